namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>What processing one stored message led to; the poller marks the mail on the server accordingly.</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="Quarantined">Kept for a person to look at.</param>
/// <param name="OutboxIds">Messages to send once committed (an acknowledgement, content-escalation alerts).</param>
/// <param name="Retry">Processing failed for now: leave the mail unmarked and the cursor before it.</param>
/// <param name="NewDeadline">A deadline appeared or moved: wake the deadline watcher.</param>
public sealed record HandlingOutcome(long Uid, bool Quarantined, IReadOnlyList<long> OutboxIds, bool Retry = false, bool NewDeadline = false)
{
    public static HandlingOutcome Recorded(long uid) => new(uid, false, []);

    public static HandlingOutcome Quarantine(long uid) => new(uid, true, []);
}
