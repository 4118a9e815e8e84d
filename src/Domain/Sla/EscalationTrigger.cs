using System.Globalization;
using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Sla;

/// <summary>When an escalation level fires.</summary>
public enum TriggerKind
{
    /// <summary>At each at-risk point of the deadline.</summary>
    AtRisk,

    /// <summary>When the deadline is breached, or <see cref="EscalationTrigger.After"/> later.</summary>
    Breached,
}

/// <summary>
/// The trigger of an escalation level (<c>SlaWatch:Escalation:Levels:N:Trigger</c>): <c>AtRisk</c>, <c>Breached</c>, or
/// <c>Breached+hh:mm:ss</c> for a level that climbs that long after the breach unless someone acknowledges.
/// </summary>
/// <param name="Kind">At risk or breached.</param>
/// <param name="After">How long after the breach; zero for <see cref="TriggerKind.AtRisk"/> and plain <c>Breached</c>.</param>
public sealed partial record EscalationTrigger(TriggerKind Kind, TimeSpan After)
{
    /// <summary>The delay after the breach; never negative, and zero for an at-risk trigger.</summary>
    public TimeSpan After { get; init; } = After < TimeSpan.Zero || (Kind == TriggerKind.AtRisk && After != TimeSpan.Zero)
        ? throw new ArgumentOutOfRangeException(nameof(After), After, "Only a Breached trigger has a delay, and it cannot be negative.")
        : After;

    /// <summary>Fires at each at-risk point.</summary>
    public static EscalationTrigger AtRisk { get; } = new(TriggerKind.AtRisk, TimeSpan.Zero);

    /// <summary>Fires at the breach.</summary>
    public static EscalationTrigger Breached { get; } = new(TriggerKind.Breached, TimeSpan.Zero);

    /// <summary>A <c>Breached+…</c> level: the one an acknowledgement skips.</summary>
    public bool IsAfterBreach => Kind == TriggerKind.Breached && After > TimeSpan.Zero;

    /// <summary>
    /// Reads <c>AtRisk</c>, <c>Breached</c> or <c>Breached+[d.]hh:mm:ss</c> (a positive delay). Case and surrounding spaces
    /// do not matter.
    /// </summary>
    /// <exception cref="FormatException">Anything else; the message quotes the text.</exception>
    public static EscalationTrigger Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Syntax().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"Escalation trigger \"{text}\" is not one of AtRisk, Breached or Breached+hh:mm:ss (for example \"Breached+00:30:00\").");
        }

        if (match.Groups["kind"].Value.Equals("AtRisk", StringComparison.OrdinalIgnoreCase))
        {
            return AtRisk;
        }

        if (!match.Groups["after"].Success)
        {
            return Breached;
        }

        if (!TimeSpan.TryParseExact(match.Groups["after"].Value, "c", CultureInfo.InvariantCulture, out var after))
        {
            throw new FormatException($"Escalation trigger \"{text}\": \"{match.Groups["after"].Value}\" is not a duration as [d.]hh:mm:ss.");
        }

        if (after <= TimeSpan.Zero)
        {
            throw new FormatException($"Escalation trigger \"{text}\": the delay after the breach must be positive (use \"Breached\" for the breach itself).");
        }

        return new EscalationTrigger(TriggerKind.Breached, after);
    }

    /// <summary>The configuration form: <c>AtRisk</c>, <c>Breached</c>, <c>Breached+00:30:00</c>.</summary>
    public override string ToString() => Kind switch
    {
        TriggerKind.AtRisk => "AtRisk",
        _ when After == TimeSpan.Zero => "Breached",
        _ => "Breached+" + After.ToString("c", CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?:(?<kind>AtRisk)|(?<kind>Breached)(?:\s*\+\s*(?<after>(?:\d+\.)?\d{1,2}:\d{2}:\d{2}(?:\.\d{1,7})?))?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
