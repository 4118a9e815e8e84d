using System.ComponentModel.DataAnnotations;

namespace SlaWatch.Infrastructure.Configuration;

/// <summary>Configuration section <c>SlaWatch:Messages</c>: templates, languages and the limits on automatic answers.</summary>
public sealed class MessagesOptions
{
    public const string SectionName = "SlaWatch:Messages";

    /// <summary>Folder of the Liquid templates; relative paths are resolved against the application's folder.</summary>
    [Required]
    public string TemplateFolder { get; set; } = "templates";

    /// <summary>
    /// The languages SlaWatch detects and answers in; empty means the six shipped ones. (Empty by default because the
    /// configuration binder appends to an array that already has items instead of replacing them.)
    /// </summary>
    public string[] Languages { get; set; } = [];

    /// <summary><see cref="Languages"/>, or the six shipped languages when none are configured.</summary>
    public IReadOnlyList<string> EffectiveLanguages => Languages.Length > 0 ? Languages : ["en", "ru", "nl", "tl", "zh", "lt"];

    /// <summary>The language used when a customer's language has no template.</summary>
    [Required]
    public string FallbackLanguage { get; set; } = "en";

    /// <summary>An acknowledgement that could not leave within this time after the complaint arrived is dropped, never sent late.</summary>
    public TimeSpan MaxAckAge { get; set; } = TimeSpan.FromMinutes(30);

    [Range(0, 1000)]
    public int MaxAcksPerSenderPerHour { get; set; } = 3;

    [Range(0, 10000)]
    public int MaxAcksPerSenderPerDay { get; set; } = 10;

    /// <summary>A follow-up this soon after resolution reopens the complaint.</summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// An open complaint whose customer has heard nothing from us for this long gets a short "still on it" update; whole
    /// days count as business days when a calendar is set (<c>SlaWatch:Sla:Calendar</c>).
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the quiet-complaint check runs (a Quartz job).</summary>
    public TimeSpan QuietCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the status-page link in a message to a customer stays valid.</summary>
    public TimeSpan StatusLinkLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>At most this many updates (not acknowledgements) to one customer address in any 24 hours.</summary>
    [Range(1, 1000)]
    public int MaxUpdatesPerRecipientPerDay { get; set; } = 10;

    /// <summary>Signature under every message to a customer.</summary>
    [Required]
    public string TeamName { get; set; } = "The Customer Care team";
}
