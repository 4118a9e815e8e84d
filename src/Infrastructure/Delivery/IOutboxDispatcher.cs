namespace SlaWatch.Infrastructure.Delivery;

/// <summary>Hands outbox rows to the job system for sending (Hangfire).</summary>
public interface IOutboxDispatcher
{
    void Enqueue(long outboxId);

    /// <summary>Many rows at once (a burst of alerts): a few jobs of several rows each rather than one job per row.</summary>
    void EnqueueMany(IReadOnlyList<long> outboxIds);

    void Schedule(long outboxId, TimeSpan delay);
}
