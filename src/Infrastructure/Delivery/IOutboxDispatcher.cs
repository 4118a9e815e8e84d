namespace SlaWatch.Infrastructure.Delivery;

/// <summary>Hands outbox rows to the job system for sending.</summary>
public interface IOutboxQueue
{
    void Enqueue(long outboxId);

    void Schedule(long outboxId, TimeSpan delay);
}
