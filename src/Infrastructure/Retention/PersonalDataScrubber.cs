using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Retention;

/// <summary>
/// Removes the personal data of a set of complaints, inside the caller's transaction, everywhere SlaWatch keeps it:
/// the complaint's address, name, subject and thread id; the detail of its events (the events themselves stay, so the
/// timeline and the figures survive); the raw mail and its sender and subject; the subject, body, threading headers
/// and customer address of its outbox messages (unsent ones are dropped); the customer's Message-IDs used for threading;
/// on a social channel also the words and handle in social_messages and the platform ids that name the chat.
/// </summary>
internal static class PersonalDataScrubber
{
    /// <summary>What an erased address, name or subject reads as.</summary>
    public const string Erased = "(erased)";

    /// <summary>complaints.channel of a mail complaint (the outbox calls the same channel <c>Email</c>).</summary>
    private const string MailChannel = "Imap";

    /// <summary>The last_error of an unsent outbox row dropped by an erasure (a send in flight recognises it).</summary>
    public const string DroppedAsErased = "dropped: personal data erased";

    public const string ErasedEvent = "personal-data-erased";
    public const string AnonymisedEvent = "personal-data-anonymised";

    public static async Task<ScrubCounts> ScrubComplaintsAsync(SlaWatchDbContext db, long[] ids, string eventType, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return new ScrubCounts(0, 0, 0, 0, 0);
        }

        // The customers' addresses, to recognise the outbox rows sent to them (alerts to staff keep their recipient).
        var addresses = await db.Database
            .SqlQuery<string>($"SELECT DISTINCT lower(customer_address) AS \"Value\" FROM complaints WHERE id = ANY({ids})")
            .ToListAsync(cancellationToken);
        var addressArray = addresses.ToArray();
        var events = await db.Database.ExecuteSqlAsync(
            $"UPDATE complaint_events SET detail = NULL WHERE complaint_id = ANY({ids}) AND detail IS NOT NULL",
            cancellationToken);
        var inbound = await db.Database.ExecuteSqlAsync(
            $"""
             UPDATE inbound_messages
             SET raw = ''::bytea, raw_purged_at = COALESCE(raw_purged_at, {now}), from_address = NULL, subject = NULL,
                 message_id = NULL, reasons = NULL, last_error = NULL
             WHERE complaint_id = ANY({ids})
             """,
            cancellationToken);
        // Social messages carry the customer's words and handle in place of raw mail.
        inbound += await ScrubSocialMessagesAsync(db, ids, null, cancellationToken);
        var outbox = await ScrubOutboxAsync(db, ids, addressArray, cancellationToken);
        // SlaWatch's own Message-IDs stay on email (they name no one, and let a Sent copy be recognised); a social
        // platform's ids of our replies name the chat (Telegram: chat:message), so they go.
        var threadIds = await db.Database.ExecuteSqlAsync(
            $"""
             DELETE FROM thread_message_ids t USING complaints c
             WHERE c.id = t.complaint_id AND t.complaint_id = ANY({ids}) AND (t.direction = 'in' OR c.channel <> {MailChannel})
             """,
            cancellationToken);
        var complaints = await db.Database.ExecuteSqlAsync(
            $"""
             UPDATE complaints SET customer_address = {Erased}, customer_name = NULL, subject = {Erased}, thread_message_id = NULL
             WHERE id = ANY({ids})
             """,
            cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO complaint_events (complaint_id, at, type, actor, detail)
             SELECT id, {now}, {eventType}, {actor}, NULL FROM unnest({ids}) AS id
             """,
            cancellationToken);
        return new ScrubCounts(complaints, inbound, outbox, threadIds, events);
    }

    /// <summary>
    /// Social messages: no text, author or reply context. The platform id and thread key name the chat on Telegram
    /// (<c>chat:message</c>), so they go too; the platform id becomes unique per row again so the (inbox, platform id)
    /// index holds — a later re-delivery of an erased message would not be recognised, but the channels' cursors
    /// never go back that far. A message not yet recorded is closed, so it never becomes a complaint afterwards.
    /// Those of the complaints <paramref name="ids"/>, and those of the author <paramref name="authorId"/> (lower-cased;
    /// null for none) that no complaint claimed.
    /// </summary>
    internal static Task<int> ScrubSocialMessagesAsync(SlaWatchDbContext db, long[] ids, string? authorId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
             UPDATE social_messages
             SET text = '', author_id = {Erased}, author_name = NULL, reply_context = NULL, last_error = NULL,
                 platform_id = 'erased:' || id, thread_key = {Erased}, in_reply_to = NULL,
                 classification = CASE WHEN status = 'Fetched' THEN 'Erased' ELSE classification END,
                 status = CASE WHEN status = 'Fetched' THEN 'Processed' ELSE status END
             WHERE complaint_id = ANY({ids}) OR (author_id <> {Erased} AND lower(author_id) = {authorId})
             """,
            cancellationToken);

    /// <summary>Outbox rows of the complaints: no subject, body or threading headers; the customer's address replaced; unsent ones dropped.</summary>
    private static Task<int> ScrubOutboxAsync(SlaWatchDbContext db, long[] ids, string[] addresses, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
             UPDATE outbox
             SET subject = {Erased}, body = '', in_reply_to = NULL, "references" = NULL, server_response = NULL,
                 recipient = CASE WHEN lower(recipient) = ANY({addresses}) THEN {Erased} ELSE recipient END,
                 message_id = CASE WHEN channel <> {OutboxChannels.Email} THEN 'erased-' || id ELSE message_id END,
                 last_error = CASE WHEN status IN ('Pending', 'Sending') THEN {DroppedAsErased} ELSE NULL END,
                 status = CASE WHEN status IN ('Pending', 'Sending') THEN 'Dropped' ELSE status END,
                 lease_until = NULL
             WHERE complaint_id = ANY({ids})
             """,
            cancellationToken);
}

public sealed record ScrubCounts(int Complaints, int InboundMessages, int OutboxMessages, int ThreadIds, int Events);
