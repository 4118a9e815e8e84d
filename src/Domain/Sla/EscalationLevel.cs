namespace SlaWatch.Domain.Sla;

/// <summary>
/// One level of the escalation chain (<c>SlaWatch:Escalation:Levels:N</c>).
/// </summary>
/// <param name="Index">The level's position in the chain (N); part of the <see cref="AlertKey"/>, so keep it stable.</param>
/// <param name="Name">What supervisors see, for example "Team lead".</param>
/// <param name="Trigger">When it fires.</param>
/// <param name="Notify">Email addresses alerted.</param>
/// <param name="Webhooks">Webhook URLs alerted.</param>
public sealed record EscalationLevel(int Index, string Name, EscalationTrigger Trigger, IReadOnlyList<string> Notify, IReadOnlyList<string> Webhooks);
