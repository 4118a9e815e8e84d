namespace SlaWatch.Domain.Sla;

/// <summary>Computes deadlines from a <see cref="SlaPolicy"/>: pure functions of the instants they are given.</summary>
public static class Deadlines
{
    /// <summary>The version of every first-response deadline (a complaint has one first response).</summary>
    public const int FirstResponseVersion = 1;

    /// <summary>
    /// The first-response deadline: due when <see cref="SlaPolicy.FirstResponse"/> of open time has passed since
    /// <paramref name="receivedAt"/>; at risk when each configured point (0 &lt; point &lt; FirstResponse) has, ascending and
    /// distinct. Both count business time when the policy has a calendar.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="SlaPolicy.FirstResponse"/> is not positive.</exception>
    public static Deadline FirstResponse(DateTimeOffset receivedAt, SlaPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.FirstResponse <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The first-response window must be positive (was {policy.FirstResponse}).", nameof(policy));
        }

        var start = receivedAt.ToUniversalTime();
        var calendar = policy.Calendar ?? BusinessCalendar.AlwaysOpen;
        var due = calendar.Add(start, policy.FirstResponse);
        DateTimeOffset[] atRisk =
        [
            .. (policy.AtRisk ?? [])
                .Where(point => point > TimeSpan.Zero && point < policy.FirstResponse)
                .Distinct()
                .Order()
                .Select(point => calendar.Add(start, point))
                .Distinct(),
        ];
        return new Deadline(DeadlineKind.FirstResponse, FirstResponseVersion, start, due, atRisk);
    }

    /// <summary>
    /// A promised resolution date: due at <paramref name="dueAt"/>, at risk <see cref="SlaPolicy.PromiseAtRiskLead"/> before
    /// it, but never earlier than halfway between <paramref name="promisedAt"/> and the date (PRODUCT.md: the lead is capped at
    /// half the time between promising and the date). Wall-clock time: a date the agent chose is not counted in business
    /// hours. No at-risk point when the lead is zero or the date is not after the promise.
    /// </summary>
    public static Deadline Promise(DateTimeOffset promisedAt, DateTimeOffset dueAt, int version, SlaPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var start = promisedAt.ToUniversalTime();
        var due = dueAt.ToUniversalTime();
        var window = due - start;
        if (window <= TimeSpan.Zero || policy.PromiseAtRiskLead <= TimeSpan.Zero)
        {
            return new Deadline(DeadlineKind.Promise, version, start, due, []);
        }

        var half = window / 2;
        var lead = policy.PromiseAtRiskLead < half ? policy.PromiseAtRiskLead : half;
        return new Deadline(DeadlineKind.Promise, version, start, due, [due - lead]);
    }
}
