namespace SlaWatch.Infrastructure.Delivery;

/// <summary>Hands outbox rows to the job system for sending (Hangfire).</summary>
public interface IOutboxDispatcher
{
    void Enqueue(long outboxId);

    void Schedule(long outboxId, TimeSpan delay);
}
