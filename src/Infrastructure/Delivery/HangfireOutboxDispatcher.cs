using Hangfire;

namespace SlaWatch.Infrastructure.Delivery;

public sealed class HangfireOutboxDispatcher(IBackgroundJobClient jobs) : IOutboxDispatcher
{
    public void Enqueue(long outboxId) => jobs.Enqueue<OutboxSendJob>(job => job.SendAsync(outboxId, CancellationToken.None));

    public void Schedule(long outboxId, TimeSpan delay) => jobs.Schedule<OutboxSendJob>(job => job.SendAsync(outboxId, CancellationToken.None), delay);
}
