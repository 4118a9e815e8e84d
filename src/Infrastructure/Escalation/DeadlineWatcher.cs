using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Escalation;

/// <summary>
/// Raises alerts the moment their threshold comes — never before. Sleeps until the earliest <c>next_alert_at</c>
/// (one indexed query), wakes early on <see cref="DeadlineSignal"/> (this process) or NOTIFY (other instances), claims the
/// due complaints with <c>FOR UPDATE SKIP LOCKED</c> (so two instances never raise the same alert), records the alerts
/// and their messages in the same transaction, and hands the sending to Hangfire in batches.
/// </summary>
public sealed partial class DeadlineWatcher(
    IServiceScopeFactory scopeFactory,
    NpgsqlDataSource dataSource,
    DeadlineSignal signal,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    ILogger<DeadlineWatcher> logger) : BackgroundService
{
    private const int ClaimBatch = 200;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = Task.Run(() => ListenAsync(stoppingToken), stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessDueAsync(stoppingToken) == ClaimBatch)
                {
                    // A burst: keep claiming until a batch comes back short.
                }

                var next = await NextAsync(stoppingToken);
                failures = 0;
                var wait = next is null ? MaxSleep : next.Value - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await signal.WaitAsync(wait < MaxSleep ? wait : MaxSleep, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                LogWatchFailed(logger, ex, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
            }
        }

        await listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task<DateTimeOffset?> NextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        return await db.Complaints.Where(c => c.NextAlertAt != null).MinAsync(c => c.NextAlertAt, cancellationToken);
    }

    /// <summary>Claims up to one batch of due complaints and raises their alerts; returns how many it claimed.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<ComplaintClock>();
        var raiser = scope.ServiceProvider.GetRequiredService<AlertRaiser>();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var complaints = await db.Complaints
            .FromSql($"SELECT * FROM complaints WHERE next_alert_at <= {now} ORDER BY next_alert_at LIMIT {ClaimBatch} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (complaints.Count == 0)
        {
            return 0;
        }

        var ids = complaints.Select(c => c.Id).ToList();
        var alerts = (await db.Alerts.Where(a => ids.Contains(a.ComplaintId)).ToListAsync(cancellationToken))
            .GroupBy(a => a.ComplaintId)
            .ToDictionary(g => g.Key, g => g.ToList());
        var outbox = new List<SlaWatch.Domain.Outbox.OutboxMessage>();
        var raisedCount = 0;
        foreach (var complaint in complaints)
        {
            var raised = alerts.TryGetValue(complaint.Id, out var list) ? list : [];
            var due = clock.Due(complaint, raised, now);
            var before = raised.Count;
            outbox.AddRange(await raiser.RaiseAsync(db, complaint, raised, due, clock.OpenDeadlines(complaint), now, cancellationToken));
            raisedCount += raised.Count - before;
            RecordMissedPromise(db, complaint, now);
            clock.Refresh(complaint, raised);
        }

        // One SaveChanges for the whole batch: alerts, their messages and events go in a few batched round trips.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        dispatcher.EnqueueMany(outbox.Select(m => m.Id).ToList());
        if (raisedCount > 0)
        {
            var elapsed = time.GetUtcNow() - now;
            LogRaised(logger, raisedCount, complaints.Count, elapsed.TotalMilliseconds);
        }

        return complaints.Count;
    }

    private static void RecordMissedPromise(SlaWatchDbContext db, Complaint complaint, DateTimeOffset now)
    {
        if (complaint is { Status: not ComplaintStatus.Resolved, PromiseDueAt: { } dueAt, PromiseOutcome: null } && dueAt <= now)
        {
            complaint.PromiseOutcome = "Missed";
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = now, Type = ComplaintEventTypes.PromiseMissed, Actor = "slawatch", Detail = $"promised for {dueAt:o}" });
        }
    }

    /// <summary>LISTEN on a dedicated connection; every notification wakes the watcher. Reconnects after a failure.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {DeadlineSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Anything that changed while we were not listening: look once.
                signal.Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                LogListenFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Raised {Alerts} alerts for {Complaints} due complaints in {ElapsedMs:F1} ms")]
    private static partial void LogRaised(ILogger logger, int alerts, int complaints, double elapsedMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Deadline watcher failed ({Error}); retrying in {DelaySeconds:F0} s. Deadlines are kept in the database and none is skipped")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string error, double delaySeconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Deadline notifications from other instances interrupted ({Error}); reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string error);
}
