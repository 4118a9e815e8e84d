namespace SlaWatch.Infrastructure.Social;

/// <summary>Who wrote a message on a social channel, as far as the channel can tell.</summary>
public enum SocialAuthorRole
{
    Customer,

    /// <summary>A person of the company answering on the platform itself: stops the first-response clock.</summary>
    Staff,

    /// <summary>SlaWatch's own message (the holding apology): never stops a clock.</summary>
    SlaWatch,
}

/// <summary>One inbound message as a channel yields it, before anything is recorded.</summary>
/// <param name="PlatformId">Unique within the inbox; a second delivery carries the same id.</param>
/// <param name="ThreadKey">The conversation (Telegram: the chat; Mastodon: the status itself, replies follow <paramref name="InReplyTo"/>).</param>
/// <param name="InReplyTo">The platform id this message answers, if any.</param>
/// <param name="AuthorId">Whom a reply goes to (chat id, acct).</param>
/// <param name="AuthorName">A display name, if any.</param>
/// <param name="Role">Customer, staff, or SlaWatch itself.</param>
/// <param name="Text">Plain text.</param>
/// <param name="SentAt">The platform's timestamp; the SLA clock starts here.</param>
/// <param name="ReplyContext">Opaque to everyone but the channel: what its sender needs to answer this message.</param>
/// <param name="LanguageHint">A language the platform reports for the author, if any.</param>
public sealed record SocialMessage(
    string PlatformId,
    string ThreadKey,
    string? InReplyTo,
    string AuthorId,
    string? AuthorName,
    SocialAuthorRole Role,
    string Text,
    DateTimeOffset SentAt,
    string? ReplyContext = null,
    string? LanguageHint = null);

/// <summary>A page of messages and the cursor to persist once they are stored.</summary>
/// <param name="Messages">Oldest first.</param>
/// <param name="Cursor">Where the next poll starts.</param>
/// <param name="More">True when the platform has more right away (page on without waiting).</param>
/// <param name="Warning">Something about the account a person should fix (e.g. a policy that drops complaints).</param>
public sealed record SocialPollResult(IReadOnlyList<SocialMessage> Messages, string? Cursor, bool More, string? Warning = null);

/// <summary>A reply to send on the platform.</summary>
/// <param name="Recipient">The chat id or acct.</param>
/// <param name="InReplyTo">The platform id of the message answered.</param>
/// <param name="ReplyContext">What the channel stored with that message.</param>
/// <param name="Text">Fitted to the platform's limit.</param>
/// <param name="IdempotencyKey">Fixed per outbox row: a retry after a timeout is recognised as the same reply.</param>
public sealed record SocialReply(string Recipient, string? InReplyTo, string? ReplyContext, string Text, string IdempotencyKey);

/// <summary>What the platform answered.</summary>
/// <param name="Delivered">Posted.</param>
/// <param name="Permanent">Retrying will not help.</param>
/// <param name="Response">For the record.</param>
/// <param name="PlatformId">The id of our reply when it was posted.</param>
/// <param name="RetryAfter">How long the platform asked us to wait.</param>
public sealed record SocialSendResult(bool Delivered, bool Permanent, string Response, string? PlatformId, TimeSpan? RetryAfter = null);

/// <summary>A poll failed; <see cref="RetryAfter"/> when the platform said how long to wait (429).</summary>
public sealed class SocialChannelException : Exception
{
    public SocialChannelException()
    {
    }

    public SocialChannelException(string message)
        : base(message)
    {
    }

    public SocialChannelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SocialChannelException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// One social account SlaWatch watches and answers on. Polls from an opaque cursor the caller persists; sends a reply
/// with an idempotency key. Email fits the same shape (the IMAP folder's UID is its cursor) but keeps its own watcher.
/// </summary>
public interface ISocialChannel
{
    /// <summary>The <see cref="Domain.Outbox.OutboxChannels"/> value of this channel's replies.</summary>
    string Channel { get; }

    /// <summary>The longest reply the platform takes, in characters.</summary>
    int MaxReplyLength { get; }

    /// <summary>How long the platform keeps unread messages; a longer outage may have lost some. Null: kept for good.</summary>
    TimeSpan? Retention { get; }

    /// <summary>The key of the cross-instance lease: one poller per account (Telegram refuses a second getUpdates).</summary>
    string LeaseKey { get; }

    /// <summary>True when a poll itself waits for news (Telegram); else the poller waits PollInterval between empty polls.</summary>
    bool LongPolls { get; }

    Task<SocialPollResult> PollAsync(string? cursor, CancellationToken cancellationToken);

    /// <summary>The text of a reply to <paramref name="customer"/>, with whatever the platform needs in front (Mastodon's @mention).</summary>
    string ReplyPrefix(string customer, string? replyContext);

    Task<SocialSendResult> SendAsync(SocialReply reply, CancellationToken cancellationToken);
}
