namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// One message as fetched from a mailbox, stored before anything else happens to it (raw bytes kept, NUL-safe in bytea).
/// Keyed by (inbox, folder, UIDVALIDITY, UID): fetching it again after a crash finds this row (EMAIL.md bookkeeping).
/// </summary>
public sealed class InboundMessage
{
    public long Id { get; set; }

    public required string Inbox { get; set; }

    public required string Folder { get; set; }

    public long UidValidity { get; set; }

    public long Uid { get; set; }

    public required byte[] Sha256 { get; set; }

    public required byte[] Raw { get; set; }

    /// <summary>True when only the first part of an oversized message was kept.</summary>
    public bool Truncated { get; set; }

    public long Size { get; set; }

    /// <summary>IMAP INTERNALDATE: when the message reached the mailbox.</summary>
    public DateTimeOffset InternalDate { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public InboundStatus Status { get; set; } = InboundStatus.Fetched;

    public string? MessageId { get; set; }

    public string? FromAddress { get; set; }

    public string? Subject { get; set; }

    /// <summary>The classifier's verdict, e.g. <c>Human</c>, <c>AutoReply</c>, <c>Bounce</c>.</summary>
    public string? Classification { get; set; }

    /// <summary>Why, e.g. <c>auto-submitted:auto-replied</c>.</summary>
    public string? Reasons { get; set; }

    public long? ComplaintId { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>When the raw bytes were blanked (SlaWatch:Retention:RawMail, or an erasure); null while they are kept.</summary>
    public DateTimeOffset? RawPurgedAt { get; set; }
}

public enum InboundStatus
{
    /// <summary>Stored, not yet processed.</summary>
    Fetched,

    /// <summary>Turned into a complaint, a follow-up or a recorded machine message.</summary>
    Processed,

    /// <summary>Another copy of a message already processed (same Message-ID from the same sender).</summary>
    Duplicate,

    /// <summary>Could not be parsed or processed; kept for a person to look at.</summary>
    Quarantined,
}
