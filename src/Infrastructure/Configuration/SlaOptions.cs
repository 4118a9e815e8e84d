namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Sla</c> and the per-inbox override <c>SlaWatch:Inboxes:N:Sla</c>. Unset values fall back to the global section, then to the defaults.</summary>
public sealed class SlaOptions
{
    public const string SectionName = "SlaWatch:Sla";

    public static readonly TimeSpan DefaultFirstResponse = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultAtRisk = TimeSpan.FromMinutes(45);
    public static readonly TimeSpan DefaultPromiseAtRiskLead = TimeSpan.FromDays(1);

    /// <summary>How long after <c>received_at</c> a person must have answered (default 1 hour).</summary>
    public TimeSpan? FirstResponse { get; set; }

    /// <summary>
    /// Points after arrival at which the first response is at risk (default 45 minutes). Null by default because the
    /// configuration binder appends to an array that already has items.
    /// </summary>
    public TimeSpan[]? AtRisk { get; set; }

    /// <summary>How long before a promised date it is at risk (default one day; capped at half the time between promising and the date).</summary>
    public TimeSpan? PromiseAtRiskLead { get; set; }

    /// <summary>Optional business hours; unset: 24/7.</summary>
    public CalendarOptions? Calendar { get; set; }

    /// <summary>The inbox's window: its own override, else the global setting, else one hour.</summary>
    public static TimeSpan FirstResponseFor(InboxOptions inbox, SlaOptions global) =>
        inbox.Sla?.FirstResponse ?? global.FirstResponse ?? DefaultFirstResponse;
}

/// <summary><c>SlaWatch:Sla:Calendar</c>: business hours the SLA clocks run in.</summary>
public sealed class CalendarOptions
{
    /// <summary>IANA time zone, e.g. <c>Europe/Vilnius</c>.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Weekly hours, e.g. <c>Mon-Fri 09:00-17:00</c>.</summary>
    public string[]? Hours { get; set; }

    /// <summary>Days closed, e.g. <c>2026-12-25</c>.</summary>
    public string[]? Holidays { get; set; }
}
