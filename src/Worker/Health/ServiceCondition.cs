using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Ingestion;

namespace SlaWatch.Worker.Health;

/// <summary>
/// What readiness and the watchdog both judge: can this instance still send alerts, and is every inbox it watches
/// still reachable. One place, so the two never disagree.
/// </summary>
public sealed class ServiceCondition(
    InboxHealth inboxes,
    DeliveryHealth delivery,
    SmtpReachability smtp,
    IOptions<SlaWatchOptions> slaWatch,
    IOptionsMonitor<WatchdogOptions> watchdog,
    TimeProvider time)
{
    // Until an inbox has had a successful sweep, its failures are measured from the start of the process.
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    /// <summary>
    /// Inboxes that have failed without a successful sweep for longer than <c>SlaWatch:Watchdog:InboxStaleAfter</c>.
    /// An inbox this instance has never touched is watched by another instance (the lease) and is not its concern.
    /// </summary>
    public IReadOnlyList<string> UnreachableInboxes()
    {
        var now = time.GetUtcNow();
        var staleAfter = watchdog.CurrentValue.InboxStaleAfter;
        var snapshot = inboxes.Snapshot();
        var problems = new List<string>();
        foreach (var inbox in slaWatch.Value.Inboxes)
        {
            if (!snapshot.TryGetValue(inbox.Name, out var status))
            {
                continue;
            }

            var failingSinceSweep = status.LastErrorAt is { } errorAt && (status.LastSweepAt is null || status.LastSweepAt < errorAt);
            var lastGood = status.LastSweepAt ?? _startedAt;
            if (failingSinceSweep && now - lastGood > staleAfter)
            {
                var since = status.LastSweepAt is null ? "never swept" : $"last swept {(now - lastGood).TotalSeconds:0} s ago";
                problems.Add($"{inbox.Name} ({since}): {status.LastError}");
            }
        }

        return problems;
    }

    /// <summary>Why alerts cannot leave now (the relay did not answer the last probe; the last send failed), or null.</summary>
    public string? SendingProblem()
    {
        var probe = smtp.Last;
        if (probe is { Reachable: false })
        {
            return $"the SMTP relay did not answer the probe at {probe.At:HH:mm:ss} UTC ({probe.Error})";
        }

        var (failing, error) = delivery.Current();
        return failing ? $"the last send failed ({error}); messages wait in the outbox and are retried" : null;
    }
}
