using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Digest;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Ingestion;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Digest;

/// <summary>
/// Makes the previous day's digest and puts it in the outbox: one email per recipient, one JSON post per webhook. Each
/// row's dedupe key is <c>digest:{day}:{recipient}</c> and is inserted with <c>ON CONFLICT DO NOTHING</c>, so two
/// instances firing the same trigger, or a trigger firing again the same day, send it once.
/// </summary>
public sealed partial class DailyDigestService(
    SlaWatchDbContext db,
    IOptions<DigestOptions> digestOptions,
    IOptions<SlaWatchOptions> options,
    IOptions<SlaOptions> sla,
    SlaPolicies policies,
    MessageSigner signer,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    ILogger<DailyDigestService> logger)
{
    public const string Kind = "digest";

    /// <summary>The digest of the day before now; returns how many outbox rows this run queued (zero when another run already did).</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) => RunAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// The digest a firing of the schedule at <paramref name="firing"/> makes: the day before that moment in the team's
    /// zone (a firing made up later still reports its own day). Returns how many outbox rows this run queued.
    /// </summary>
    public async Task<int> RunAsync(DateTimeOffset firing, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var zoneId = DigestOptions.ZoneId(digestOptions.Value.TimeZone, sla.Value.Calendar?.TimeZone);
        var period = DigestPeriod.PreviousDay(firing, TimeZoneInfo.FindSystemTimeZoneById(zoneId));
        var day = period.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var emails = Recipients();
        var webhooks = digestOptions.Value.Webhooks.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var wanted = emails.Select(e => (Channel: OutboxChannels.Email, Recipient: e))
            .Concat(webhooks.Select(w => (Channel: OutboxChannels.Webhook, Recipient: w)))
            .ToList();
        if (wanted.Count == 0)
        {
            LogNobody(logger, day);
            return 0;
        }

        var keys = wanted.Select(w => DedupeKey(day, w.Recipient)).ToList();
        var done = await db.Outbox.AsNoTracking().Where(o => keys.Contains(o.DedupeKey)).Select(o => o.DedupeKey).ToListAsync(cancellationToken);
        var missing = wanted.Where(w => !done.Contains(DedupeKey(day, w.Recipient))).ToList();
        if (missing.Count == 0)
        {
            LogAlreadySent(logger, day);
            return 0;
        }

        var report = await ComputeAsync(period, now, cancellationToken);
        var subject = DigestComposer.Subject(report);
        var text = DigestComposer.Text(report, zoneId);
        var json = DigestComposer.JsonBody(report, zoneId);
        var inbox = options.Value.Inboxes.FirstOrDefault() ?? throw new InvalidOperationException("The digest leaves from the first configured inbox; none is configured.");
        var queued = new List<long>(missing.Count);
        foreach (var (channel, recipient) in missing)
        {
            var row = new OutboxMessage
            {
                Kind = Kind,
                DedupeKey = DedupeKey(day, recipient),
                Inbox = inbox.Name,
                Channel = channel,
                FromAddress = inbox.Address,
                FromName = "SlaWatch",
                Recipient = recipient,
                Subject = subject,
                Body = channel == OutboxChannels.Webhook ? json : text,
                Language = "en",
                MessageId = $"digest.{period.Day:yyyyMMdd}.{signer.Sign($"digest:{day}:{recipient}")}@{InboundMailHandler.DomainOf(inbox.Address)}",
                AutoSubmitted = "auto-generated",
                CreatedAt = now,
                EnqueuedAt = now,
            };
            if (await InsertOnceAsync(row, cancellationToken) is { } id)
            {
                queued.Add(id);
            }
        }

        dispatcher.EnqueueMany(queued);
        LogQueued(logger, day, queued.Count, report.Totals.Received);
        return queued.Count;
    }

    public static string DedupeKey(string day, string recipient) => $"digest:{day}:{recipient}";

    /// <summary>True once any digest has been queued: a worker that never sent one has no missed firing to make up.</summary>
    public Task<bool> HasSentBeforeAsync(CancellationToken cancellationToken) =>
        db.Outbox.AsNoTracking().AnyAsync(o => o.Kind == Kind, cancellationToken);

    /// <summary>The figures: two queries (the day's and the open complaints; the day's promise outcomes), then the Domain.</summary>
    public async Task<DailyDigestReport> ComputeAsync(DigestPeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var start = period.Start;
        var end = period.End;
        var complaints = await db.Complaints.AsNoTracking()
            .Where(c => (c.ReceivedAt >= start && c.ReceivedAt < end) || c.Status != ComplaintStatus.Resolved)
            .Select(c => new DigestComplaint(c.Reference, c.Inbox, c.ReceivedAt, c.FirstResponseDueAt, c.RespondedAt, c.Status == ComplaintStatus.Resolved))
            .ToListAsync(cancellationToken);
        var outcomes = await db.ComplaintEvents.AsNoTracking()
            .Where(e => (e.Type == ComplaintEventTypes.PromiseKept || e.Type == ComplaintEventTypes.PromiseMissed) && e.At >= start && e.At < end)
            .Join(db.Complaints, e => e.ComplaintId, c => c.Id, (e, c) => new DigestPromiseOutcome(c.Inbox, e.At, e.Type == ComplaintEventTypes.PromiseKept))
            .ToListAsync(cancellationToken);
        return DailyDigest.Compute(period, now, options.Value.Inboxes.Select(i => i.Name).ToList(), complaints, outcomes);
    }

    /// <summary><c>SlaWatch:Digest:Recipients</c>, or every address the escalation chains notify.</summary>
    public IReadOnlyList<string> Recipients()
    {
        var configured = digestOptions.Value.Recipients?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (configured is { Count: > 0 })
        {
            return configured.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        return options.Value.Inboxes
            .SelectMany(i => policies.For(i.Name).Levels)
            .SelectMany(l => l.Notify)
            .Where(a => !string.IsNullOrWhiteSpace(a))
            .Select(a => a.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Inserts the row unless its dedupe key (or Message-ID) is taken; returns its id, or null when another run won.</summary>
    private async Task<long?> InsertOnceAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO outbox (kind, dedupe_key, complaint_id, inbox, channel, from_address, from_name, recipient, subject, body,
                                    language, message_id, auto_submitted, status, created_at, enqueued_at, attempts)
                VALUES (@kind, @dedupe_key, NULL, @inbox, @channel, @from_address, @from_name, @recipient, @subject, @body,
                        @language, @message_id, @auto_submitted, @status, @created_at, @enqueued_at, 0)
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                connection);
            command.Parameters.AddWithValue("kind", row.Kind);
            command.Parameters.AddWithValue("dedupe_key", row.DedupeKey);
            command.Parameters.AddWithValue("inbox", row.Inbox);
            command.Parameters.AddWithValue("channel", row.Channel);
            command.Parameters.AddWithValue("from_address", row.FromAddress);
            command.Parameters.AddWithValue("from_name", (object?)row.FromName ?? DBNull.Value);
            command.Parameters.AddWithValue("recipient", row.Recipient);
            command.Parameters.AddWithValue("subject", row.Subject);
            command.Parameters.AddWithValue("body", row.Body);
            command.Parameters.AddWithValue("language", row.Language);
            command.Parameters.AddWithValue("message_id", row.MessageId);
            command.Parameters.AddWithValue("auto_submitted", row.AutoSubmitted);
            command.Parameters.AddWithValue("status", nameof(OutboxStatus.Pending));
            command.Parameters.AddWithValue("created_at", row.CreatedAt);
            command.Parameters.AddWithValue("enqueued_at", row.EnqueuedAt!.Value);
            return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(EventId = 6400, Level = LogLevel.Information, Message = "Daily digest for {Day}: {Rows} message(s) queued ({Received} complaints received that day)")]
    private static partial void LogQueued(ILogger logger, string day, int rows, int received);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Daily digest for {Day}: already sent")]
    private static partial void LogAlreadySent(ILogger logger, string day);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "Daily digest for {Day}: nobody to send it to (SlaWatch:Digest:Recipients and Webhooks are empty and no escalation level notifies an address)")]
    private static partial void LogNobody(ILogger logger, string day);
}
