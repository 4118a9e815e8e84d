namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Escalation</c> and the per-inbox override <c>SlaWatch:Inboxes:N:Escalation</c>.</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "SlaWatch:Escalation";

    /// <summary>The chain, in order. An inbox's own list replaces the global one entirely.</summary>
    public List<EscalationLevelOptions>? Levels { get; set; }

    /// <summary>How long the acknowledge link in an alert stays valid.</summary>
    public TimeSpan? AckLinkLifetime { get; set; }

    /// <summary>
    /// The level told at once when a complaint asks for a manager, turns abusive or mentions legal action; default: the
    /// first level with a <c>Breached</c> trigger (the supervisor), else the last level.
    /// </summary>
    public string? ContentLevel { get; set; }
}

public sealed class EscalationLevelOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary><c>AtRisk</c> | <c>Breached</c> | <c>Breached+hh:mm:ss</c>.</summary>
    public string Trigger { get; set; } = string.Empty;

    public List<string> Notify { get; set; } = [];

    public List<string> Webhooks { get; set; } = [];
}
