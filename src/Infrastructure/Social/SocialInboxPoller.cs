using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Ingestion;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Social;

/// <summary>
/// Polls one social inbox for as long as the process runs, in repeatable steps: hold the account's lease (one poller
/// across instances), poll from the persisted cursor, store the messages and the new cursor in one transaction, then
/// record them (complaints, follow-ups, staff replies) in another. A failed poll backs off (longer when the platform
/// says so) and is retried; nothing moves the cursor before the messages are stored.
/// </summary>
public sealed partial class SocialInboxPoller(
    InboxOptions inbox,
    ISocialChannel channel,
    IServiceScopeFactory scopeFactory,
    NpgsqlDataSource dataSource,
    IOutboxDispatcher outboxQueue,
    DeadlineSignal deadlineSignal,
    InboxHealth health,
    SocialWakeups wakeups,
    IOptions<IngestionOptions> ingestionOptions,
    IOptions<MessagesOptions> messagesOptions,
    TimeProvider time,
    ILogger<SocialInboxPoller> logger)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        await using var lease = new InboxLease(dataSource, channel.LeaseKey);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await lease.TryAcquireAsync(stoppingToken))
                {
                    LogStandby(logger, inbox.Name);
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                    continue;
                }

                var more = await SweepAsync(stoppingToken);
                health.RecordSweep(inbox.Name, time.GetUtcNow());
                failures = 0;
                if (!await lease.StillHeldAsync(stoppingToken))
                {
                    continue;
                }

                if (!more && !channel.LongPolls)
                {
                    // A webhook delivery wakes it early.
                    await wakeups.WaitAsync(inbox.Name, inbox.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures);
                if (ex is SocialChannelException { RetryAfter: { } wait } && wait > delay)
                {
                    delay = wait;
                }

                health.RecordFailure(inbox.Name, ex.Message, time.GetUtcNow());
                LogPollFailed(logger, ex is SocialChannelException ? null : ex, inbox.Name, ex.Message, delay.TotalSeconds);
                try
                {
                    await lease.StillHeldAsync(stoppingToken);
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(ingestionOptions.Value.MaxReconnectDelay.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>One poll, stored and recorded. True when the platform has more right away.</summary>
    public async Task<bool> SweepAsync(CancellationToken cancellationToken)
    {
        var state = await LoadCursorAsync(cancellationToken);
        var result = await channel.PollAsync(state.Cursor, cancellationToken);
        if (result.Warning is not null)
        {
            LogAccountWarning(logger, inbox.Name, result.Warning);
        }
        var now = time.GetUtcNow();
        var messages = result.Messages;
        if (state.LastPolledAt is null)
        {
            // First connection: what is already waiting and older than MaxAckAge is left alone (no complaint, no clock).
            var cutoff = inbox.StartFrom ?? now - messagesOptions.Value.MaxAckAge;
            var old = messages.Count(m => m.SentAt < cutoff);
            if (old > 0)
            {
                LogSkippedOld(logger, inbox.Name, old, cutoff);
                messages = messages.Where(m => m.SentAt >= cutoff).ToList();
            }
        }
        else if (channel.Retention is { } retention && now - state.LastPolledAt.Value > retention)
        {
            LogOutageTooLong(logger, inbox.Name, channel.Channel, now - state.LastPolledAt.Value, retention);
        }

        await StoreAsync(messages, result.Cursor, now, cancellationToken);
        await RecordPendingAsync(cancellationToken);
        return result.More;
    }

    private async Task<ChannelCursor> LoadCursorAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var state = await db.ChannelCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Inbox == inbox.Name, cancellationToken);
        return state ?? new ChannelCursor { Inbox = inbox.Name };
    }

    /// <summary>The messages and the cursor past them, in one transaction: a crash in between re-polls from the old cursor.</summary>
    private async Task StoreAsync(IReadOnlyList<SocialMessage> messages, string? cursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SocialMessageStore.InsertAsync(db, inbox.Name, channel.Channel, messages, now, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO channel_cursors (inbox, cursor, last_polled_at, updated_at) VALUES ({inbox.Name}, {cursor}, {now}, {now})
            ON CONFLICT (inbox) DO UPDATE SET cursor = EXCLUDED.cursor, last_polled_at = EXCLUDED.last_polled_at, updated_at = EXCLUDED.updated_at
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every stored message not yet recorded (also those a crash left behind), oldest first.</summary>
    private async Task RecordPendingAsync(CancellationToken cancellationToken)
    {
        List<long> ids;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
            ids = await db.SocialMessages
                .Where(m => m.Inbox == inbox.Name && m.Status == InboundStatus.Fetched)
                .OrderBy(m => m.SentAt).ThenBy(m => m.Id)
                .Select(m => m.Id)
                .ToListAsync(cancellationToken);
        }

        if (ids.Count == 0)
        {
            return;
        }

        List<HandlingOutcome> outcomes;
        try
        {
            outcomes = await RecordInTransactionAsync(ids, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ids.Count > 1)
        {
            // One bad message must not block the rest: record them one by one.
            LogBatchFallback(logger, ex, inbox.Name, ids.Count);
            outcomes = [];
            foreach (var id in ids)
            {
                try
                {
                    outcomes.AddRange(await RecordInTransactionAsync([id], cancellationToken));
                }
                catch (Exception single) when (single is not OperationCanceledException)
                {
                    await RecordFailureAsync(id, single, cancellationToken);
                }
            }
        }

        outboxQueue.EnqueueMany(outcomes.SelectMany(o => o.OutboxIds).ToList());
        if (outcomes.Any(o => o.NewDeadline))
        {
            deadlineSignal.Wake();
        }
    }

    private async Task<List<HandlingOutcome>> RecordInTransactionAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var recorder = scope.ServiceProvider.GetRequiredService<SocialMessageRecorder>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claimed under a row lock: should two instances ever hold a lease at once, a message is still recorded once.
        var rows = await db.SocialMessages
            .FromSql($"SELECT * FROM social_messages WHERE id = ANY({ids.ToArray()}) AND status = 'Fetched' ORDER BY sent_at, id FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        var outcomes = new List<HandlingOutcome>(rows.Count);
        var now = time.GetUtcNow();
        foreach (var row in rows)
        {
            outcomes.Add(await recorder.RecordAsync(db, row, inbox, channel, now, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }

        if (outcomes.Any(o => o.NewDeadline))
        {
            await DeadlineSignal.NotifyOthersAsync(db, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    private async Task RecordFailureAsync(long id, Exception error, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var row = await db.SocialMessages.SingleAsync(m => m.Id == id, cancellationToken);
        row.Attempts++;
        row.LastError = $"{error.GetType().Name}: {error.Message}";
        if (row.LastError.Length > 2000)
        {
            row.LastError = row.LastError[..2000];
        }

        if (row.Attempts >= ingestionOptions.Value.MaxAttempts)
        {
            row.Status = InboundStatus.Quarantined;
            LogQuarantined(logger, error, inbox.Name, row.PlatformId, row.Attempts);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Debug, Message = "Social inbox {Inbox}: another instance polls this account; standing by")]
    private static partial void LogStandby(ILogger logger, string inbox);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "Social inbox {Inbox}: poll failed ({Error}); retrying in {DelaySeconds:F0} s")]
    private static partial void LogPollFailed(ILogger logger, Exception? exception, string inbox, string error, double delaySeconds);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Information, Message = "Social inbox {Inbox}: first connection; {Count} message(s) older than {Cutoff:o} left alone")]
    private static partial void LogSkippedOld(ILogger logger, string inbox, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Error, Message = "Social inbox {Inbox}: not polled for {Gap}, longer than {Channel} keeps unread messages ({Retention}); complaints from that time may be lost — check the account by hand")]
    private static partial void LogOutageTooLong(ILogger logger, string inbox, string channel, TimeSpan gap, TimeSpan retention);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "Social inbox {Inbox}: recording {Count} messages together failed; recording them one by one")]
    private static partial void LogBatchFallback(ILogger logger, Exception exception, string inbox, int count);

    [LoggerMessage(EventId = 1416, Level = LogLevel.Warning, Message = "Social inbox {Inbox}: {Warning}")]
    private static partial void LogAccountWarning(ILogger logger, string inbox, string warning);

    [LoggerMessage(EventId = 1415, Level = LogLevel.Error, Message = "Social inbox {Inbox}: message {PlatformId} failed {Attempts} times and is quarantined for a person to look at; it is kept")]
    private static partial void LogQuarantined(ILogger logger, Exception exception, string inbox, string platformId, int attempts);
}
