namespace SlaWatch.Infrastructure.Digest;

/// <summary><c>SlaWatch:Digest</c>: the daily digest for supervisors.</summary>
public sealed class DigestOptions
{
    public const string SectionName = "SlaWatch:Digest";

    public const string DefaultCron = "0 0 8 * * ?";

    /// <summary>Off: no digest is scheduled.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A Quartz cron expression (seconds first) read in <see cref="TimeZone"/>; default 08:00 every day.</summary>
    public string Cron { get; set; } = DefaultCron;

    /// <summary>IANA time zone of the cron and of "the previous day"; default <c>SlaWatch:Sla:Calendar:TimeZone</c>, else UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Email addresses; default (unset): every <c>Notify</c> address of the escalation levels.</summary>
    public List<string>? Recipients { get; set; }

    /// <summary>Webhook URLs that receive the digest as JSON (signed like alerts); default none.</summary>
    public List<string> Webhooks { get; set; } = [];

    /// <summary>The time zone id in force: the digest's own, else the SLA calendar's, else UTC.</summary>
    public static string ZoneId(string? digestTimeZone, string? calendarTimeZone) =>
        !string.IsNullOrWhiteSpace(digestTimeZone) ? digestTimeZone.Trim()
        : !string.IsNullOrWhiteSpace(calendarTimeZone) ? calendarTimeZone.Trim()
        : "UTC";
}
