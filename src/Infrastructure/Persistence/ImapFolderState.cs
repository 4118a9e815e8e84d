namespace SlaWatch.Infrastructure.Persistence;

/// <summary>Where ingestion stands in one IMAP folder: UIDs up to <see cref="LastUid"/> under <see cref="UidValidity"/> are done.</summary>
public sealed class ImapFolderState
{
    public required string Inbox { get; set; }

    public required string Folder { get; set; }

    public long UidValidity { get; set; }

    public long LastUid { get; set; }

    public DateTimeOffset FirstConnectedAt { get; set; }

    /// <summary>
    /// The highest UID in the folder at the first connection (or after a UIDVALIDITY change): the backlog. Only mail up
    /// to it is measured against the start cutoff, however many sweeps the backlog takes.
    /// </summary>
    public long BacklogLastUid { get; set; }

    public DateTimeOffset? LastSweepAt { get; set; }

    /// <summary>Messages older than the start cutoff that were left alone (first connection or UIDVALIDITY change).</summary>
    public long SkippedOld { get; set; }
}
