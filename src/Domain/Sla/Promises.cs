namespace SlaWatch.Domain.Sla;

/// <summary>What became of a promised resolution date.</summary>
public enum PromiseOutcome
{
    /// <summary>Not resolved yet, and the date has not come.</summary>
    Pending,

    /// <summary>Resolved at or before the date.</summary>
    Kept,

    /// <summary>The date came without a resolution (or the resolution came after it).</summary>
    Missed,
}

/// <summary>Judges a promise.</summary>
public static class Promises
{
    /// <summary>
    /// <see cref="PromiseOutcome.Kept"/> when resolved at or before <paramref name="dueAt"/>; <see cref="PromiseOutcome.Missed"/>
    /// when resolved after it, or unresolved once <paramref name="now"/> has reached it (the moment the breach alert fires);
    /// otherwise <see cref="PromiseOutcome.Pending"/>.
    /// </summary>
    public static PromiseOutcome Outcome(DateTimeOffset dueAt, DateTimeOffset? resolvedAt, DateTimeOffset now) =>
        resolvedAt switch
        {
            { } resolved when resolved <= dueAt => PromiseOutcome.Kept,
            not null => PromiseOutcome.Missed,
            null when now >= dueAt => PromiseOutcome.Missed,
            null => PromiseOutcome.Pending,
        };
}
