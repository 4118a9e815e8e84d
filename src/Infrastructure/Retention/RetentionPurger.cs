using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Retention;

/// <summary>
/// Applies <c>SlaWatch:Retention</c>: blanks raw mail and raw webhook deliveries older than <see cref="RetentionOptions.RawMail"/> (the row keeps
/// its hash, Message-ID and classification, so a re-listed message is still recognised as a duplicate), and anonymises
/// complaints resolved longer ago than <see cref="RetentionOptions.PersonalData"/>. Works in batches, each its own short
/// transaction, claiming rows with <c>FOR UPDATE SKIP LOCKED</c>: it never waits for ingestion, and two instances
/// running it at once share the work instead of doing it twice.
/// </summary>
public sealed partial class RetentionPurger(
    IServiceScopeFactory scopes,
    IOptionsMonitor<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPurger> logger)
{
    public async Task<RetentionRun> PurgeAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var rawMail = 0;
        var complaints = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var purged = await PurgeRawMailBatchAsync(settings, cancellationToken);
            rawMail += purged;
            if (purged < settings.BatchSize)
            {
                break;
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var purged = await PurgeWebhookPayloadBatchAsync(settings, cancellationToken);
            rawMail += purged;
            if (purged < settings.BatchSize)
            {
                break;
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var anonymised = await AnonymiseBatchAsync(settings, cancellationToken);
            complaints += anonymised;
            if (anonymised < settings.BatchSize)
            {
                break;
            }
        }

        if (rawMail > 0 || complaints > 0)
        {
            LogPurged(logger, rawMail, complaints);
        }

        return new RetentionRun(rawMail, complaints);
    }

    private async Task<int> PurgeRawMailBatchAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var now = time.GetUtcNow();
        var cutoff = now - settings.RawMail;
        // Mail not yet processed ('Fetched') keeps its bytes whatever its age: they are all there is of it.
        // Mail no complaint claimed (machine mail, unthreaded Sent copies) also loses its sender and subject.
        return await db.Database.ExecuteSqlAsync(
            $"""
             WITH batch AS (
                 SELECT id FROM inbound_messages
                 WHERE raw_purged_at IS NULL AND fetched_at < {cutoff} AND status <> 'Fetched'
                 ORDER BY fetched_at
                 LIMIT {settings.BatchSize}
                 FOR UPDATE SKIP LOCKED)
             UPDATE inbound_messages m
             SET raw = ''::bytea, raw_purged_at = {now},
                 from_address = CASE WHEN m.complaint_id IS NULL THEN NULL ELSE m.from_address END,
                 subject = CASE WHEN m.complaint_id IS NULL THEN NULL ELSE m.subject END
             FROM batch WHERE m.id = batch.id
             """,
            cancellationToken);
    }

    /// <summary>
    /// Signed webhook deliveries are raw platform JSON (the customer's number, name and words): past RawMail their
    /// body is blanked like raw mail. The row stays (inbox, time, status, message count) as the record of the delivery;
    /// its messages were copied to social_messages when it arrived, so nothing still needs the bytes.
    /// </summary>
    private async Task<int> PurgeWebhookPayloadBatchAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var cutoff = time.GetUtcNow() - settings.RawMail;
        return await db.Database.ExecuteSqlAsync(
            $"""
             WITH batch AS (
                 SELECT id FROM webhook_payloads
                 WHERE received_at < {cutoff} AND octet_length(body) > 0
                 ORDER BY received_at
                 LIMIT {settings.BatchSize}
                 FOR UPDATE SKIP LOCKED)
             UPDATE webhook_payloads p SET body = ''::bytea, error = NULL
             FROM batch WHERE p.id = batch.id
             """,
            cancellationToken);
    }

    private async Task<int> AnonymiseBatchAsync(RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var now = time.GetUtcNow();
        var cutoff = now - settings.PersonalData;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var resolved = ComplaintStatus.Resolved.ToString();
        var ids = await db.Database
            .SqlQuery<long>(
                $"""
                 SELECT id AS "Value" FROM complaints
                 WHERE status = {resolved} AND resolved_at < {cutoff} AND customer_address <> {PersonalDataScrubber.Erased}
                 ORDER BY resolved_at
                 LIMIT {settings.BatchSize}
                 FOR UPDATE SKIP LOCKED
                 """)
            .ToListAsync(cancellationToken);
        var counts = await PersonalDataScrubber.ScrubComplaintsAsync(db, [.. ids], PersonalDataScrubber.AnonymisedEvent, "slawatch", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return counts.Complaints;
    }

    [LoggerMessage(EventId = 8010, Level = LogLevel.Information, Message = "Retention: raw bytes of {RawMail} inbound messages and webhook deliveries blanked, {Complaints} resolved complaints anonymised")]
    private static partial void LogPurged(ILogger logger, int rawMail, int complaints);
}

public sealed record RetentionRun(int RawMessages, int Complaints);
