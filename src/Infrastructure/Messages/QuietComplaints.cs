using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Messages;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// The periodic "still on it" check: every open complaint whose customer has heard nothing from us for
/// <c>SlaWatch:Messages:QuietPeriod</c> (business days when the inbox has a calendar) gets a short update. Run by a Quartz job
/// on every instance; safe to run twice at once: candidates are claimed with <c>FOR UPDATE SKIP LOCKED</c>, each update is
/// keyed by the complaint and the moment of its last message, and writing it moves that moment, so the complaint is not a
/// candidate again until another quiet period has passed.
/// </summary>
public sealed partial class QuietComplaints(
    SlaWatchDbContext db,
    CustomerUpdates updates,
    SlaPolicies policies,
    IOutboxDispatcher dispatcher,
    IOptions<MessagesOptions> options,
    TimeProvider time,
    ILogger<QuietComplaints> logger)
{
    /// <summary>Complaints looked at per run; the rest wait for the next run.</summary>
    public const int BatchSize = 200;

    /// <summary>Queues the updates that are due; returns how many were queued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var period = options.Value.QuietPeriod;
        // Business time is never shorter than elapsed time, so every due complaint is older than this (a cheap pre-filter).
        var cutoff = now - period;
        var queued = new List<long>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Open, reachable, quiet since the cutoff, and not already refused an update since its last message.
            var candidates = await db.Complaints.FromSql($"""
                SELECT c.* FROM complaints c
                WHERE c.status <> 'Resolved' AND NOT c.customer_unreachable
                  AND coalesce(c.last_customer_message_at, c.detected_at) <= {cutoff}
                  AND NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.type = {ComplaintEventTypes.ProgressSuppressed}
                                  AND e.at >= coalesce(c.last_customer_message_at, c.detected_at))
                ORDER BY coalesce(c.last_customer_message_at, c.detected_at)
                LIMIT {BatchSize}
                FOR UPDATE OF c SKIP LOCKED
                """).ToListAsync(cancellationToken);
            foreach (var complaint in candidates)
            {
                // Nothing written yet: SlaWatch has not written to them since it saw the complaint.
                var baseline = complaint.LastCustomerMessageAt ?? complaint.DetectedAt;
                if (!QuietPeriod.IsDue(baseline, period, policies.For(complaint.Inbox).Policy.Calendar, now))
                {
                    continue;
                }

                var occasion = baseline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                var outcome = await updates.QueueAsync(db, complaint, MessageKinds.StillOpen, occasion, new UpdateContent(), now, recordSuppression: false, cancellationToken);
                if (outcome.OutboxId is { } id)
                {
                    queued.Add(id);
                }
                else if (outcome.SuppressedBecause is { } reason && reason != "rate:day")
                {
                    // Lasting reasons are recorded once per quiet spell (the query skips the complaint until it next hears
                    // from us); a per-day limit is simply asked again on the next run.
                    db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = now, Type = ComplaintEventTypes.ProgressSuppressed, Actor = "slawatch", Detail = $"{MessageKinds.StillOpen}: {reason}" });
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (queued.Count > 0)
        {
            dispatcher.EnqueueMany(queued);
            LogQueued(logger, queued.Count, period);
        }

        return queued.Count;
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Quiet-complaint check: {Count} \"still on it\" updates queued (quiet period {Period})")]
    private static partial void LogQueued(ILogger logger, int count, TimeSpan period);
}
