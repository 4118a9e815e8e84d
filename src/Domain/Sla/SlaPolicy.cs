namespace SlaWatch.Domain.Sla;

/// <summary>
/// The deadlines one inbox works to (<c>SlaWatch:Sla</c>, overridden per inbox).
/// </summary>
/// <param name="FirstResponse">How much open time after <c>received_at</c> a person has to answer (<c>SlaWatch:Sla:FirstResponse</c>).</param>
/// <param name="AtRisk">Open time after arrival at which the first response is at risk (<c>SlaWatch:Sla:AtRisk</c>); points
/// not strictly between zero and <paramref name="FirstResponse"/> are ignored.</param>
/// <param name="PromiseAtRiskLead">How long before a promised date it is at risk (<c>SlaWatch:Sla:PromiseAtRiskLead</c>),
/// capped at half the time between promising and the date; zero for no warning.</param>
/// <param name="Calendar">Business hours for the first response; <see cref="BusinessCalendar.AlwaysOpen"/> by default.</param>
public sealed record SlaPolicy(TimeSpan FirstResponse, IReadOnlyList<TimeSpan> AtRisk, TimeSpan PromiseAtRiskLead, BusinessCalendar Calendar)
{
    /// <summary>The documented defaults: answer within an hour, at risk after 45 minutes, a promise at risk a day ahead, 24/7.</summary>
    public static SlaPolicy Default { get; } = new(TimeSpan.FromHours(1), [TimeSpan.FromMinutes(45)], TimeSpan.FromDays(1), BusinessCalendar.AlwaysOpen);
}
