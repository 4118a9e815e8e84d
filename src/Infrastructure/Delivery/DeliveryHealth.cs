namespace SlaWatch.Infrastructure.Delivery;

/// <summary>Whether messages are leaving: the last success and the last failure of a send on this instance.</summary>
public sealed class DeliveryHealth
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;

    public void RecordSuccess(DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastSuccess = at;
        }
    }

    public void RecordFailure(string error, DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastFailure = at;
            _lastError = error;
        }
    }

    /// <summary>True when the latest send attempt failed (no success since the last failure).</summary>
    public (bool Failing, string? LastError) Current()
    {
        lock (_lock)
        {
            var failing = _lastFailure is { } failure && (_lastSuccess is null || _lastSuccess < failure);
            return (failing, _lastError);
        }
    }
}
