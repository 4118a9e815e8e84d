namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Metrics</c>: the Prometheus endpoint and the complaint gauges behind it.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "SlaWatch:Metrics";

    /// <summary>Where Prometheus scrapes.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// A scrape from the same machine (loopback) needs no API key; any other needs an ops key. Turn it off when a
    /// reverse proxy on the same machine forwards outside requests: they would all look local.
    /// </summary>
    public bool AllowAnonymousLoopback { get; set; } = true;

    /// <summary>The open/at-risk/breached gauges are read from PostgreSQL at most this often, whatever the scrape rate.</summary>
    public TimeSpan GaugeRefresh { get; set; } = TimeSpan.FromSeconds(15);
}
