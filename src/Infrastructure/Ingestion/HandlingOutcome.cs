namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>What processing one stored message led to; the poller marks the mail on the server accordingly.</summary>
/// <param name="Uid">The message's UID.</param>
/// <param name="Quarantined">Kept for a person to look at.</param>
/// <param name="OutboxId">An acknowledgement to send, if any.</param>
/// <param name="Retry">Processing failed for now: leave the mail unmarked and the cursor before it.</param>
public sealed record HandlingOutcome(long Uid, bool Quarantined, long? OutboxId, bool Retry = false);
