using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Retention;

/// <summary>
/// Erases one customer's personal data everywhere (a data-subject request), in one transaction, and records that it
/// did in <c>erasures</c> (who asked, when, how many rows; a keyed hash of the address, never the address) and as an
/// event on each complaint touched. Social messages and webhook deliveries count as inbound messages.
/// </summary>
public sealed partial class CustomerErasure(SlaWatchDbContext db, MessageSigner signer, TimeProvider time, ILogger<CustomerErasure> logger)
{
    /// <summary>
    /// Erases the customer <paramref name="address"/> names as complaints.customer_address holds it, on any channel:
    /// an email address, a Mastodon acct (<c>name@instance</c>), a Telegram chat id, a WhatsApp number. Matched
    /// without regard to case, so an acct that looks like an email is found either way.
    /// </summary>
    public async Task<Erasure> EraseAsync(string address, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var normalized = address.Trim().ToLowerInvariant();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Waits for a command holding a complaint: the erasure must be whole.
        var ids = await db.Database
            .SqlQuery<long>($"SELECT id AS \"Value\" FROM complaints WHERE lower(customer_address) = {normalized} ORDER BY id FOR UPDATE")
            .ToListAsync(cancellationToken);
        var counts = await PersonalDataScrubber.ScrubComplaintsAsync(db, [.. ids], PersonalDataScrubber.ErasedEvent, actor, now, cancellationToken);

        // Mail from the address that no complaint claimed (an auto-reply, a message from before a reopen window).
        var inbound = await db.Database.ExecuteSqlAsync(
            $"""
             UPDATE inbound_messages
             SET raw = ''::bytea, raw_purged_at = COALESCE(raw_purged_at, {now}), from_address = NULL, subject = NULL,
                 message_id = NULL, reasons = NULL, last_error = NULL
             WHERE lower(from_address) = {normalized}
             """,
            cancellationToken);
        // Raw mail that carries the address elsewhere than in From (a staff reply in the Sent folder no complaint
        // claimed, a bounce). A scan of the raw bytes still kept: an erasure is rare, and bounded by RawMail retention.
        // Only for an address with an @ (an email, or a Mastodon acct that looks like one): a bare Telegram chat id or
        // phone number would match unrelated digits in mail.
        if (normalized.Contains('@', StringComparison.Ordinal))
        {
            var needle = System.Text.Encoding.UTF8.GetBytes(normalized);
            var needleAsGiven = System.Text.Encoding.UTF8.GetBytes(address.Trim());
            inbound += await db.Database.ExecuteSqlAsync(
                $"""
                 UPDATE inbound_messages
                 SET raw = ''::bytea, raw_purged_at = {now}, from_address = NULL, subject = NULL, message_id = NULL, reasons = NULL, last_error = NULL
                 WHERE raw_purged_at IS NULL AND status <> 'Fetched' AND (position({needle} in raw) > 0 OR position({needleAsGiven} in raw) > 0)
                 """,
                cancellationToken);
        }

        // Social messages of the same author that no complaint claimed (a thanks after the resolution, a message
        // classified as not a complaint).
        inbound += await PersonalDataScrubber.ScrubSocialMessagesAsync(db, [], normalized, cancellationToken);

        // Signed webhook deliveries are raw platform JSON (WhatsApp: the customer's number in "from" and "wa_id").
        // They are matched by the customer id as a quoted JSON string inside the bytes — a plain scan, acceptable for a
        // rare request and bounded by RawMail retention; their messages are already in social_messages, so the body
        // is not needed any more.
        var quoted = System.Text.Encoding.UTF8.GetBytes("\"" + address.Trim() + "\"");
        inbound += await db.Database.ExecuteSqlAsync(
            $"UPDATE webhook_payloads SET body = ''::bytea, error = NULL WHERE octet_length(body) > 0 AND position({quoted} in body) > 0",
            cancellationToken);
        var outbox = await db.Database.ExecuteSqlAsync(
            $"""
             UPDATE outbox
             SET recipient = {PersonalDataScrubber.Erased}, subject = {PersonalDataScrubber.Erased}, body = '', in_reply_to = NULL, "references" = NULL,
                 server_response = NULL, lease_until = NULL,
                 last_error = CASE WHEN status IN ('Pending', 'Sending') THEN {PersonalDataScrubber.DroppedAsErased} ELSE NULL END,
                 status = CASE WHEN status IN ('Pending', 'Sending') THEN 'Dropped' ELSE status END
             WHERE lower(recipient) = {normalized}
             """,
            cancellationToken);
        var erasure = new Erasure
        {
            At = now,
            Actor = actor,
            SubjectHash = signer.Sign("erasure:" + normalized, 64),
            Complaints = counts.Complaints,
            InboundMessages = counts.InboundMessages + inbound,
            OutboxMessages = counts.OutboxMessages + outbox,
            ThreadIds = counts.ThreadIds,
            Events = counts.Events,
        };
        db.Erasures.Add(erasure);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogErased(logger, erasure.Id, actor, erasure.Complaints, erasure.InboundMessages, erasure.OutboxMessages);
        return erasure;
    }

    /// <summary>The hash an erasure of <paramref name="address"/> is recorded under (to answer "was it erased?").</summary>
    public string HashOf(string address) => signer.Sign("erasure:" + address.Trim().ToLowerInvariant(), 64);

    [LoggerMessage(EventId = 8020, Level = LogLevel.Information, Message = "Erasure {ErasureId} by {Actor}: {Complaints} complaints, {Inbound} inbound messages, {Outbox} outbox messages cleared of personal data")]
    private static partial void LogErased(ILogger logger, long erasureId, string actor, int complaints, int inbound, int outbox);
}
