using Hangfire;

namespace SlaWatch.Infrastructure.Delivery;

public sealed class HangfireOutboxDispatcher(IBackgroundJobClient jobs) : IOutboxDispatcher
{
    public void Enqueue(long outboxId) => jobs.Enqueue<OutboxSendJob>(job => job.SendAsync(outboxId, CancellationToken.None));

    public void EnqueueMany(IReadOnlyList<long> outboxIds)
    {
        // Hangfire.PostgreSql runs on the order of a hundred jobs a second; a burst of 2,000 alerts as 2,000 jobs would
        // queue for 20 s. Chunks keep the job count small while several workers still send in parallel.
        foreach (var chunk in outboxIds.Chunk(20))
        {
            if (chunk.Length == 1)
            {
                Enqueue(chunk[0]);
            }
            else
            {
                jobs.Enqueue<OutboxSendJob>(job => job.SendManyAsync(chunk, CancellationToken.None));
            }
        }
    }

    public void Schedule(long outboxId, TimeSpan delay) => jobs.Schedule<OutboxSendJob>(job => job.SendAsync(outboxId, CancellationToken.None), delay);
}
