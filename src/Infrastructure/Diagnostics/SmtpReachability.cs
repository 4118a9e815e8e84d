using SlaWatch.Infrastructure.Channels.Smtp;

namespace SlaWatch.Infrastructure.Diagnostics;

/// <summary>
/// Whether the relay answered the last probe (connect, EHLO, authenticate, NOOP on the shared connection). Unknown
/// until the first probe. The watchdog probes; readiness and the watchdog read.
/// </summary>
public sealed class SmtpReachability(SmtpTransport smtp, TimeProvider time)
{
    private readonly Lock _lock = new();
    private SmtpProbe? _last;

    public SmtpProbe? Last
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    public async Task<SmtpProbe> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        SmtpProbe probe;
        try
        {
            await smtp.CheckAsync(limit.Token);
            probe = new SmtpProbe(time.GetUtcNow(), true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            probe = new SmtpProbe(time.GetUtcNow(), false, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            probe = new SmtpProbe(time.GetUtcNow(), false, $"{ex.GetType().Name}: {ex.Message}");
        }

        lock (_lock)
        {
            _last = probe;
        }

        return probe;
    }
}

public sealed record SmtpProbe(DateTimeOffset At, bool Reachable, string? Error);
