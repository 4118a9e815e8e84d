using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Delivery;

/// <summary>
/// Finds outbox rows that no job will pick up — the process died between committing a row and enqueuing its job, or
/// died mid-send and left a lease — and enqueues them again. Safe on several instances: rows are claimed with
/// SKIP LOCKED, and a duplicate job for a row finds nothing to do.
/// </summary>
public sealed partial class OutboxRecoveryService(
    IServiceScopeFactory scopeFactory,
    IOutboxDispatcher queue,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, time);
        do
        {
            try
            {
                await RecoverAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecoveryFailed(logger, ex, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var now = time.GetUtcNow();
        // A row enqueued this long ago and still pending lost its job (the process died after enqueuing it, or Hangfire
        // holds a job fetched by a dead worker until its invisibility timeout). A second job for a live row is harmless.
        var stale = now - TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, options.Value.RecoveryInterval.Ticks * 2));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.Database.SqlQuery<long>(
            $"""
            SELECT id AS "Value" FROM outbox
            WHERE (status = 'Pending' AND (next_attempt_at IS NULL OR next_attempt_at <= {now}) AND (enqueued_at IS NULL OR enqueued_at < {stale}))
               OR (status = 'Sending' AND lease_until < {now})
            ORDER BY id
            LIMIT 500
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        await db.Outbox.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.EnqueuedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var id in ids)
        {
            queue.Enqueue(id);
        }

        LogRecovered(logger, ids.Count);
        return ids.Count;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Re-enqueued {Count} outbox messages that no job was handling")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Outbox recovery sweep failed ({Error}); trying again at the next interval")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string error);
}
