using System.Diagnostics.CodeAnalysis;

namespace SlaWatch.Domain.Escalation;

/// <summary>
/// Why a complaint is escalated at once, whatever the clock (the seeds: honour a request for the boss; bring in the boss when
/// it turns abusive or risks a lawsuit). Any flag also means "call the customer".
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The name is the agreed public API; it is a plain enum, not a [Flags] one.")]
public enum ContentFlag
{
    /// <summary>The customer asks for a manager, supervisor, the boss, someone in charge.</summary>
    ManagerRequest,

    /// <summary>Insults, obscenities aimed at the team, threats.</summary>
    Abuse,

    /// <summary>A lawyer, a court, a lawsuit, a consumer authority or ombudsman.</summary>
    LegalThreat,
}

/// <summary>One phrase found in a text: which flag, from which language's list, and the phrase as written there.</summary>
public sealed record ContentMatch(ContentFlag Flag, string Language, string Phrase);
