using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Channels.Imap;
using SlaWatch.Infrastructure.Channels.Smtp;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Retention;
using SlaWatch.Infrastructure.Social;

namespace SlaWatch.Infrastructure.Delivery;

/// <summary>
/// Sends one outbox row. At-least-once underneath, once as the customer sees it: the row is claimed under a lease, the
/// message carries its fixed Message-ID, a retry of a send whose outcome was not recorded first looks for it in the Sent
/// folder, and the result is recorded at once. The job may run more than once for a row; every run re-reads the row.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed partial class OutboxSendJob(
    SlaWatchDbContext db,
    SmtpTransport smtp,
    SentFolderArchive sentFolder,
    WebhookSender webhooks,
    SocialSender social,
    IOutboxDispatcher queue,
    CrashInjector crash,
    DeliveryHealth health,
    SlaWatchMetrics metrics,
    IOptions<DeliveryOptions> deliveryOptions,
    TimeProvider time,
    ILogger<OutboxSendJob> logger)
{
    /// <summary>Several rows in one job (a burst of alerts); each is claimed and recorded on its own.</summary>
    public async Task SendManyAsync(long[] outboxIds, CancellationToken cancellationToken)
    {
        foreach (var id in outboxIds)
        {
            await SendAsync(id, cancellationToken);
        }
    }

    public async Task SendAsync(long outboxId, CancellationToken cancellationToken)
    {
        var claim = await ClaimAsync(outboxId, cancellationToken);
        if (claim is null)
        {
            return;
        }

        var (message, wasInFlight) = claim.Value;
        if (message.Channel == OutboxChannels.Webhook)
        {
            await SendWebhookAsync(message, cancellationToken);
            return;
        }

        if (OutboxChannels.IsSocial(message.Channel))
        {
            await SendSocialAsync(message, cancellationToken);
            return;
        }

        var mime = Build(message);
        // What the customer receives is kept in the Sent folder as the copy of record (and checked before a resend).
        var keepsCopy = message.Kind is OutboxKinds.Acknowledgement or OutboxKinds.Progress;
        if (wasInFlight && keepsCopy && await AlreadyInSentFolderAsync(message, cancellationToken))
        {
            // The last attempt got through and died before recording it: do not send twice.
            await RecordSentAsync(message, "recovered: found in the Sent folder", cancellationToken);
            return;
        }

        crash.At(CrashPoint.BeforeSmtpSend);
        string response;
        try
        {
            response = await smtp.SendAsync(mime, message.Recipient, cancellationToken);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            await RecordFailureAsync(message, ex, permanent: true, cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordFailureAsync(message, ex, permanent: false, cancellationToken);
            return;
        }

        health.RecordSuccess(time.GetUtcNow());
        if (keepsCopy)
        {
            await KeepCopyAsync(message, mime, cancellationToken);
        }

        crash.At(CrashPoint.AfterSentCopy);
        await RecordSentAsync(message, response, cancellationToken);
    }

    private async Task SendWebhookAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var result = await webhooks.PostAsync(message.Recipient, message.Body, message.MessageId, cancellationToken);
        if (result.Delivered)
        {
            health.RecordSuccess(time.GetUtcNow());
            await RecordSentAsync(message, result.Response, cancellationToken);
            return;
        }

        await RecordFailureAsync(message, new HttpRequestException(result.Response), result.Permanent, cancellationToken);
    }

    private async Task SendSocialAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        // Delivery health speaks of alerts reaching staff (SMTP, webhooks); a social platform's answer says nothing about it.
        var result = await social.SendAsync(db, message, cancellationToken);
        if (result.Delivered)
        {
            await RecordSentAsync(message, result.PlatformId is null ? result.Response : SocialSender.PostedAs(result.PlatformId), cancellationToken);
            return;
        }

        await RecordFailureAsync(message, new HttpRequestException(result.Response), result.Permanent, cancellationToken, result.RetryAfter);
    }

    private async Task<(OutboxMessage Message, bool WasInFlight)?> ClaimAsync(long outboxId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // SKIP LOCKED: if another worker holds the row, it is sending it; this run has nothing to do.
        // Materialised as written (not composed into a sub-select), so the lock clause applies as it reads.
        var rows = await db.Outbox
            .FromSql($"SELECT * FROM outbox WHERE id = {outboxId} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        var message = rows.SingleOrDefault();
        if (message is null || message.Status is not (OutboxStatus.Pending or OutboxStatus.Sending))
        {
            return null;
        }

        if (message.Status == OutboxStatus.Sending && message.LeaseUntil > now)
        {
            return null;
        }

        if (message.ExpiresAt is { } expiresAt && now > expiresAt)
        {
            // A holding apology that arrives late is worse than none (PRODUCT.md): drop it, say so.
            message.Status = OutboxStatus.Dropped;
            message.LastError = $"not sent within its time limit (expired {expiresAt:o})";
            message.LeaseUntil = null;
            AddEvent(message, now, DeliveryOutcome.Dropped, message.LastError);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogDropped(logger, message.Id, message.Kind, expiresAt);
            return null;
        }

        var wasInFlight = message.Status == OutboxStatus.Sending;
        message.Status = OutboxStatus.Sending;
        message.LeaseUntil = now + deliveryOptions.Value.SendLease;
        message.Attempts++;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (message, wasInFlight);
    }

    private async Task<bool> AlreadyInSentFolderAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await sentFolder.ContainsAsync(message.Inbox, message.MessageId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSentCheckFailed(logger, ex, message.Id);
            return false;
        }
    }

    private async Task KeepCopyAsync(OutboxMessage message, MimeMessage mime, CancellationToken cancellationToken)
    {
        try
        {
            await sentFolder.AppendAsync(message.Inbox, mime, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message left; the copy of record is the outbox row. A missing Sent copy is worth a warning, not a resend.
            LogCopyFailed(logger, ex, message.Id, message.Inbox);
        }
    }

    private async Task RecordSentAsync(OutboxMessage message, string response, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Never cancelled: once the relay has accepted, recording it is what prevents a second send.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        if (!await StillClaimedAsync(message, delivered: true))
        {
            return;
        }

        message.Status = OutboxStatus.Sent;
        message.SentAt = now;
        message.LeaseUntil = null;
        message.LastError = null;
        message.ServerResponse = response.Length > 500 ? response[..500] : response;
        AddEvent(message, now, DeliveryOutcome.Sent, $"to the customer in {message.Language}");
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        await metrics.MessageSentAsync(db, message, CancellationToken.None);
        LogSent(logger, message.Id, message.Kind, (now - message.CreatedAt).TotalMilliseconds);
        _ = cancellationToken;
    }

    private async Task RecordFailureAsync(OutboxMessage message, Exception error, bool permanent, CancellationToken cancellationToken, TimeSpan? retryAfter = null)
    {
        var now = time.GetUtcNow();
        var options = deliveryOptions.Value;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        if (!await StillClaimedAsync(message, delivered: false))
        {
            return;
        }

        message.LastError = $"{error.GetType().Name}: {error.Message}";
        message.LeaseUntil = null;
        var giveUp = permanent || message.Attempts >= options.MaxAttempts;
        metrics.SendFailed(message, giveUp);
        if (giveUp)
        {
            message.Status = OutboxStatus.Failed;
            AddEvent(message, now, DeliveryOutcome.Failed, permanent ? "the relay refused it" : "gave up after repeated failures");
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            LogFailedForGood(logger, error, message.Id, message.Attempts, message.LastError);
            return;
        }

        var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, message.Attempts)));
        if (retryAfter is { } wait && wait > delay)
        {
            // The platform said how long to wait (429): honour it.
            delay = wait;
        }

        message.Status = OutboxStatus.Pending;
        message.NextAttemptAt = now + delay;
        message.EnqueuedAt = now;
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        if (!OutboxChannels.IsSocial(message.Channel))
        {
            health.RecordFailure(message.LastError, now);
        }

        LogWillRetry(logger, message.Id, message.Attempts, message.LastError, delay.TotalSeconds);
        queue.Schedule(message.Id, delay);
        _ = cancellationToken;
    }

    // What StillClaimedAsync reads for a row an erasure dropped (not a status: a marker for the log).
    private const string Erased = "Erased";

    /// <summary>
    /// Locks the row (inside the caller's transaction) and says whether this run may still record its result: the row is
    /// as the run claimed it, Sending. An erasure, or the retention scrub, that ran while the message was on its way has
    /// dropped the row and removed its personal data; recording the result then would write the platform's ids
    /// (<c>posted:chat:message</c>) or the relay's answer back into it, and a failure would schedule a resend. So nothing
    /// of this run is saved: the tracked changes (a social reply's thread id too) are discarded, and the log says so. The
    /// lock orders this against a concurrent erasure, which then scrubs what this run wrote.
    /// </summary>
    /// <param name="message">The row as this run claimed it.</param>
    /// <param name="delivered">A send that got through may also be recorded over Pending: another run of the same row
    /// (after the lease ran out) failed and scheduled a retry, and Sent is the truth that stops a second send. An erasure
    /// never leaves a row Pending.</param>
    private async Task<bool> StillClaimedAsync(OutboxMessage message, bool delivered)
    {
        var status = (await db.Database
            .SqlQuery<string>($"SELECT CASE WHEN status = 'Dropped' AND last_error = {PersonalDataScrubber.DroppedAsErased} THEN {Erased} ELSE status END AS \"Value\" FROM outbox WHERE id = {message.Id} FOR UPDATE")
            .ToListAsync(CancellationToken.None)).SingleOrDefault();
        if (status == nameof(OutboxStatus.Sending) || (delivered && status == nameof(OutboxStatus.Pending)))
        {
            return true;
        }

        db.ChangeTracker.Clear();
        var outcome = delivered ? "was delivered" : "failed";
        if (status == Erased)
        {
            LogResultDiscardedErased(logger, message.Id, message.Kind, message.Channel, outcome);
        }
        else
        {
            LogResultDiscarded(logger, message.Id, message.Kind, message.Channel, outcome, status ?? "gone");
        }

        return false;
    }

    /// <summary>What became of a message to the customer goes into the complaint's timeline; alerts and digests keep theirs in the outbox.</summary>
    private void AddEvent(OutboxMessage message, DateTimeOffset now, DeliveryOutcome outcome, string detail)
    {
        var type = (message.Kind, outcome) switch
        {
            (OutboxKinds.Acknowledgement, DeliveryOutcome.Sent) => ComplaintEventTypes.AcknowledgementSent,
            (OutboxKinds.Acknowledgement, DeliveryOutcome.Dropped) => ComplaintEventTypes.AcknowledgementDropped,
            (OutboxKinds.Acknowledgement, DeliveryOutcome.Failed) => ComplaintEventTypes.AcknowledgementFailed,
            (OutboxKinds.Progress, DeliveryOutcome.Sent) => ComplaintEventTypes.ProgressSent,
            (OutboxKinds.Progress, DeliveryOutcome.Failed) => ComplaintEventTypes.ProgressFailed,
            _ => null,
        };
        if (message.ComplaintId is { } complaintId && type is not null)
        {
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaintId, At = now, Type = type, Actor = "slawatch", Detail = detail });
        }
    }

    private enum DeliveryOutcome
    {
        Sent,
        Dropped,
        Failed,
    }

    /// <summary>The wire form of an outbox row (EMAIL.md C: marked automatic, threaded, our fixed Message-ID).</summary>
    public static MimeMessage Build(OutboxMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            Date = message.CreatedAt,
            Body = new TextPart("plain") { Text = message.Body },
        };
        mime.From.Add(new MailboxAddress(message.FromName ?? string.Empty, message.FromAddress));
        mime.To.Add(MailboxAddress.Parse(message.Recipient));
        if (message.InReplyTo is not null)
        {
            mime.InReplyTo = message.InReplyTo;
        }

        if (!string.IsNullOrWhiteSpace(message.References))
        {
            foreach (var reference in message.References.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                mime.References.Add(reference);
            }
        }

        mime.Headers.Add("Auto-Submitted", message.AutoSubmitted);
        mime.Headers.Add("X-Auto-Response-Suppress", "All");
        mime.Headers.Add("X-Loop", message.FromAddress);
        mime.Headers.Add("Content-Language", message.Language);
        return mime;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Outbox {OutboxId} ({Kind}) sent, {LatencyMs:F0} ms after it was queued")]
    private static partial void LogSent(ILogger logger, long outboxId, string kind, double latencyMs);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Outbox {OutboxId} ({Kind}) dropped: not sent before {ExpiresAt:o}; a late holding apology is worse than none")]
    private static partial void LogDropped(ILogger logger, long outboxId, string kind, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Outbox {OutboxId}: attempt {Attempt} failed ({Error}); retrying in {DelaySeconds:F0} s")]
    private static partial void LogWillRetry(ILogger logger, long outboxId, int attempt, string error, double delaySeconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Outbox {OutboxId}: failed for good after {Attempts} attempts ({Error}); a person has to reach the customer")]
    private static partial void LogFailedForGood(ILogger logger, Exception exception, long outboxId, int attempts, string error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Outbox {OutboxId}: sent, but the copy for the Sent folder of inbox {Inbox} could not be stored")]
    private static partial void LogCopyFailed(ILogger logger, Exception exception, long outboxId, string inbox);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Outbox {OutboxId}: could not check the Sent folder before a resend; sending again with the same Message-ID")]
    private static partial void LogSentCheckFailed(ILogger logger, Exception exception, long outboxId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Outbox {OutboxId} ({Kind}, {Channel}): the attempt {Outcome}, but the customer's personal data was erased meanwhile and the row dropped; result discarded, the erased row stays as it is")]
    private static partial void LogResultDiscardedErased(ILogger logger, long outboxId, string kind, string channel, string outcome);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Outbox {OutboxId} ({Kind}, {Channel}): the attempt {Outcome}, but the row is {Status} now, no longer Sending (recorded by another run); result discarded")]
    private static partial void LogResultDiscarded(ILogger logger, long outboxId, string kind, string channel, string outcome, string status);
}
