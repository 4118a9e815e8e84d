namespace SlaWatch.Domain.Sla;

/// <summary>Which clock a deadline belongs to.</summary>
public enum DeadlineKind
{
    /// <summary>A person must answer the complaint.</summary>
    FirstResponse,

    /// <summary>The complaint must be resolved by the date an agent promised.</summary>
    Promise,
}

/// <summary>
/// One deadline of a complaint and the moments it is at risk. All instants are UTC.
/// </summary>
/// <param name="Kind">First response or promise.</param>
/// <param name="Version">Tells deadlines of the same kind apart: each move of a promise is a new version, which re-arms its
/// alerts. Always <see cref="Deadlines.FirstResponseVersion"/> for the first response.</param>
/// <param name="StartedAt">When the clock started (the complaint arrived; the promise was made).</param>
/// <param name="DueAt">When it is breached.</param>
/// <param name="AtRiskAt">When it is at risk, ascending and distinct, all before <paramref name="DueAt"/>; may be empty.</param>
public sealed record Deadline(DeadlineKind Kind, int Version, DateTimeOffset StartedAt, DateTimeOffset DueAt, IReadOnlyList<DateTimeOffset> AtRiskAt);
