using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Diagnostics;

/// <summary>
/// SlaWatch's own instruments on the meter <c>SlaWatch</c> (exported at <c>/metrics</c> in Prometheus form, e.g.
/// <c>slawatch.acknowledgement.latency</c> becomes <c>slawatch_acknowledgement_latency_seconds_bucket</c>). Counters
/// and histograms are recorded where the thing happens; the open/at-risk/breached gauges are read from PostgreSQL.
/// </summary>
public sealed class SlaWatchMetrics
{
    public const string MeterName = "SlaWatch";

    // Seconds. An acknowledgement should leave within seconds; a first response within the hour (or the business day).
    private static readonly double[] AcknowledgementBuckets = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 1800];
    private static readonly double[] FirstResponseBuckets = [60, 300, 900, 1800, 2700, 3600, 7200, 14400, 28800, 86400, 172800, 604800];

    private readonly Counter<long> _complaintsReceived;
    private readonly Counter<long> _acknowledgementsSent;
    private readonly Histogram<double> _acknowledgementLatency;
    private readonly Histogram<double> _firstResponseTime;
    private readonly Counter<long> _alertsSent;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _sendFailures;

    public SlaWatchMetrics(IMeterFactory meterFactory, ComplaintGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(gauges);
        var meter = meterFactory.Create(MeterName);
        _complaintsReceived = meter.CreateCounter<long>("slawatch.complaints.received", "{complaint}", "Complaints opened from incoming mail, by inbox, channel and language.");
        _acknowledgementsSent = meter.CreateCounter<long>("slawatch.acknowledgements.sent", "{message}", "Acknowledgements the relay accepted.");
        _acknowledgementLatency = meter.CreateHistogram(
            "slawatch.acknowledgement.latency",
            "s",
            "From the complaint reaching the mailbox to the relay accepting its acknowledgement.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AcknowledgementBuckets });
        _firstResponseTime = meter.CreateHistogram(
            "slawatch.first_response.time",
            "s",
            "From the complaint reaching the mailbox to the first response of a person.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstResponseBuckets });
        _alertsSent = meter.CreateCounter<long>("slawatch.alerts.sent", "{message}", "Alert messages delivered (email or webhook), by escalation level, deadline and stage.");
        _messagesSent = meter.CreateCounter<long>("slawatch.messages.sent", "{message}", "Every outbox message delivered, by kind and channel.");
        _sendFailures = meter.CreateCounter<long>("slawatch.send.failures", "{attempt}", "Failed send attempts, by kind and channel; final=true when SlaWatch gave up.");
        meter.CreateObservableGauge("slawatch.complaints.open", () => gauges.Measure(c => c.Open), "{complaint}", "Complaints not resolved, by inbox.");
        meter.CreateObservableGauge("slawatch.complaints.at_risk", () => gauges.Measure(c => c.AtRisk), "{complaint}", "Open complaints past an at-risk point of a deadline and not yet breached, by inbox.");
        meter.CreateObservableGauge("slawatch.complaints.breached", () => gauges.Measure(c => c.Breached), "{complaint}", "Open complaints past the due time of a deadline (first response or promise), by inbox.");
    }

    public void ComplaintReceived(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        _complaintsReceived.Add(1, new("inbox", complaint.Inbox), new("channel", complaint.Channel), new("language", complaint.Language));
    }

    public void FirstResponseRecorded(Complaint complaint, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        _firstResponseTime.Record(Math.Max(0, (at - complaint.ReceivedAt).TotalSeconds), new KeyValuePair<string, object?>("inbox", complaint.Inbox));
    }

    public void SendFailed(OutboxMessage message, bool final)
    {
        ArgumentNullException.ThrowIfNull(message);
        _sendFailures.Add(1, new("kind", message.Kind), new("channel", message.Channel), new("final", final ? "true" : "false"));
    }

    /// <summary>
    /// A message recorded as sent: counts it, and for an acknowledgement records its latency, for an alert its level and
    /// deadline (one small read each). Never throws: a metric must not fail a send that already happened.
    /// </summary>
    public async Task MessageSentAsync(SlaWatchDbContext db, OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        _messagesSent.Add(1, new("kind", message.Kind), new("channel", message.Channel));
        try
        {
            if (message.Kind == OutboxKinds.Acknowledgement && message.ComplaintId is { } complaintId && message.SentAt is { } sentAt)
            {
                var receivedAt = await db.Complaints.Where(c => c.Id == complaintId).Select(c => (DateTimeOffset?)c.ReceivedAt).SingleOrDefaultAsync(cancellationToken);
                _acknowledgementsSent.Add(1, new("inbox", message.Inbox), new("language", message.Language));
                if (receivedAt is not null)
                {
                    _acknowledgementLatency.Record(Math.Max(0, (sentAt - receivedAt.Value).TotalSeconds), new("inbox", message.Inbox), new("language", message.Language));
                }
            }
            else if (message.Kind == OutboxKinds.Alert && AlertIdOf(message.DedupeKey) is { } alertId)
            {
                var alert = await db.Alerts.Where(a => a.Id == alertId).Select(a => new { a.LevelName, a.Deadline, a.Stage }).SingleOrDefaultAsync(cancellationToken);
                _alertsSent.Add(1, new("level", alert?.LevelName ?? "unknown"), new("deadline", alert?.Deadline ?? "unknown"), new("stage", alert?.Stage ?? "unknown"), new("channel", message.Channel));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The message left and is recorded; a lost sample is the lesser harm.
        }
    }

    /// <summary>The alert id in an alert's dedupe key <c>alert:{id}:{recipient}</c>.</summary>
    internal static long? AlertIdOf(string dedupeKey)
    {
        var parts = dedupeKey.Split(':', 3);
        return parts.Length == 3 && parts[0] == "alert" && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
