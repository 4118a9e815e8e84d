namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Watchdog</c>: when readiness fails, when the critical line is logged, the outside heartbeat.</summary>
public sealed class WatchdogOptions
{
    public const string SectionName = "SlaWatch:Watchdog";

    /// <summary>An inbox this instance watches that has failed without a successful sweep for this long is unreachable.</summary>
    public TimeSpan InboxStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the relay is probed (connect, EHLO, authenticate, NOOP on the shared connection).</summary>
    public TimeSpan SmtpProbeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one probe may take before the relay counts as unreachable.</summary>
    public TimeSpan SmtpProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A URL GET-requested every <see cref="HeartbeatInterval"/> while all is well (a dead man's switch); unset: none.</summary>
    public string? HeartbeatUrl { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMinutes(1);
}
