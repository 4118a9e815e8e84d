using System.Collections.Concurrent;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>The last successful sweep and the last error of each inbox this instance watches, for health checks.</summary>
public sealed class InboxHealth
{
    private readonly ConcurrentDictionary<string, InboxStatus> _status = new(StringComparer.Ordinal);

    public void RecordSweep(string inbox, DateTimeOffset at) =>
        _status.AddOrUpdate(inbox, _ => new InboxStatus(at, null, null), (_, s) => s with { LastSweepAt = at });

    public void RecordFailure(string inbox, string error, DateTimeOffset at) =>
        _status.AddOrUpdate(inbox, _ => new InboxStatus(null, error, at), (_, s) => s with { LastError = error, LastErrorAt = at });

    public IReadOnlyDictionary<string, InboxStatus> Snapshot() => new Dictionary<string, InboxStatus>(_status);
}

public sealed record InboxStatus(DateTimeOffset? LastSweepAt, string? LastError, DateTimeOffset? LastErrorAt);
