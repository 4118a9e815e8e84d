namespace SlaWatch.Infrastructure.Persistence;

/// <summary>Where ingestion stands in one IMAP folder: UIDs up to <see cref="LastUid"/> under <see cref="UidValidity"/> are done.</summary>
public sealed class ImapFolderState
{
    public required string Inbox { get; set; }

    public required string Folder { get; set; }

    public long UidValidity { get; set; }

    public long LastUid { get; set; }

    public DateTimeOffset FirstConnectedAt { get; set; }

    public DateTimeOffset? LastSweepAt { get; set; }

    /// <summary>Messages older than the start cutoff that were left alone (first connection or UIDVALIDITY change).</summary>
    public long SkippedOld { get; set; }
}
