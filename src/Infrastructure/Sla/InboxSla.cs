using SlaWatch.Domain.Sla;

namespace SlaWatch.Infrastructure.Sla;

/// <summary>An inbox's SLA as the Domain sees it: the policy, the escalation chain, and who hears of content escalations.</summary>
public sealed record InboxSla(SlaPolicy Policy, IReadOnlyList<EscalationLevel> Levels, EscalationLevel? ContentLevel, TimeSpan AckLinkLifetime);
