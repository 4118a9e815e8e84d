namespace SlaWatch.Domain.Outbox;

/// <summary>
/// Something SlaWatch will send, written in the same transaction as the state change that calls for it,
/// then sent by a job. The Message-ID is fixed at creation so a resend is recognisable as the same message.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>A <see cref="OutboxKinds"/> value.</summary>
    public required string Kind { get; set; }

    /// <summary>Unique: at most one row per purpose, e.g. <c>ack:42</c>, <c>alert:7:lead@example.com</c>.</summary>
    public required string DedupeKey { get; set; }

    public long? ComplaintId { get; set; }

    public required string Inbox { get; set; }

    /// <summary>An <see cref="OutboxChannels"/> value: email, a webhook (the recipient is then a URL), or a social channel.</summary>
    public required string Channel { get; set; }

    public required string FromAddress { get; set; }

    public string? FromName { get; set; }

    public required string Recipient { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public required string Language { get; set; }

    /// <summary>Without angle brackets.</summary>
    public required string MessageId { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>Space-separated Message-IDs without angle brackets.</summary>
    public string? References { get; set; }

    /// <summary><c>auto-replied</c> for acknowledgements, <c>auto-generated</c> for updates and alerts (RFC 3834).</summary>
    public required string AutoSubmitted { get; set; }

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not sent after this moment (the acknowledgement's MaxAckAge); null: no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? EnqueuedAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? ServerResponse { get; set; }
}

public static class OutboxChannels
{
    public const string Email = "Email";
    public const string Webhook = "Webhook";

    /// <summary>A reply in a Telegram chat: the recipient is the chat id, <see cref="OutboxMessage.InReplyTo"/> the customer's message.</summary>
    public const string Telegram = "Telegram";

    /// <summary>A Mastodon status: the recipient is the customer's acct, <see cref="OutboxMessage.InReplyTo"/> their status.</summary>
    public const string Mastodon = "Mastodon";

    /// <summary>A WhatsApp Cloud API message: the recipient is the customer's wa_id.</summary>
    public const string WhatsApp = "WhatsApp";

    /// <summary>A Messenger message from a Facebook Page: the recipient is the customer's page-scoped id (PSID).</summary>
    public const string Messenger = "Messenger";

    /// <summary>An Instagram direct message from a professional account: the recipient is the customer's IGSID.</summary>
    public const string Instagram = "Instagram";

    public static bool IsSocial(string channel) => channel is Telegram or Mastodon or WhatsApp or Messenger or Instagram;
}

public static class OutboxKinds
{
    public const string Acknowledgement = "acknowledgement";
    public const string Alert = "alert";

    /// <summary>An update to the customer while the complaint is open: a promise, a moved promise, "still on it", a note, the thanks at the end.</summary>
    public const string Progress = "progress";
}

public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,

    /// <summary>The relay refused it permanently.</summary>
    Failed,

    /// <summary>Could not leave in time (MaxAckAge) or no longer allowed at send time.</summary>
    Dropped,

    /// <summary>Sent, then bounced.</summary>
    Undeliverable,
}
