using Microsoft.EntityFrameworkCore;

namespace SlaWatch.Infrastructure.Escalation;

/// <summary>
/// Wakes the deadline watcher early when a new, possibly earlier deadline appears: in this process directly, in other
/// instances through PostgreSQL NOTIFY on <see cref="Channel"/>.
/// </summary>
public sealed class DeadlineSignal : IDisposable
{
    public const string Channel = "slawatch_deadlines";

    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up is enough.
        }
    }

    /// <summary>Waits for a wake-up or the timeout; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    /// <summary>Queues a NOTIFY in the caller's transaction: delivered to the other instances when it commits.</summary>
    public static Task NotifyOthersAsync(DbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{Channel}', '')", cancellationToken);

    public void Dispose() => _signal.Dispose();
}
