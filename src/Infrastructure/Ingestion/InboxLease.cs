using Npgsql;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>
/// One poller per mailbox across instances: a PostgreSQL session-level advisory lock held on a dedicated connection.
/// If the holder dies, its connection closes and the lock is free for another instance at once.
/// </summary>
public sealed class InboxLease(NpgsqlDataSource dataSource, string inbox) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    public bool IsHeld => _connection is not null;

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return true;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
            command.Parameters.AddWithValue("key", "slawatch:inbox:" + inbox);
            var acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (acquired)
            {
                _connection = connection;
                return true;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return false;
    }

    /// <summary>Checks that the lock's connection is still alive; when it is not, the lock may be held by someone else now.</summary>
    public async Task<bool> StillHeldAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            return false;
        }

        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", _connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            await ReleaseAsync();
            return false;
        }
    }

    public async Task ReleaseAsync()
    {
        if (_connection is null)
        {
            return;
        }

        var connection = _connection;
        _connection = null;
        // Closing the session releases the lock; no explicit unlock needed.
        await connection.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(ReleaseAsync());
}
