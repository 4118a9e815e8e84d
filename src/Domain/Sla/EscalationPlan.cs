namespace SlaWatch.Domain.Sla;

/// <summary>Which side of the deadline an alert warns about.</summary>
public enum AlertStage
{
    /// <summary>The deadline is at risk.</summary>
    AtRisk,

    /// <summary>The deadline has passed.</summary>
    Breached,
}

/// <summary>
/// Identifies one alert: it is sent once per complaint and key. A moved promise has a new <paramref name="DeadlineVersion"/>,
/// so its alerts are new keys and fire again.
/// </summary>
/// <param name="Deadline">Which clock.</param>
/// <param name="DeadlineVersion">The deadline's <see cref="Sla.Deadline.Version"/>.</param>
/// <param name="Level">The level's <see cref="EscalationLevel.Index"/>.</param>
/// <param name="Point">For an at-risk level, the index of the at-risk point; 0 for a breached level.</param>
public sealed record AlertKey(DeadlineKind Deadline, int DeadlineVersion, int Level, int Point);

/// <summary>An alert a deadline raises at <paramref name="ThresholdAt"/> (UTC).</summary>
public sealed record DueAlert(AlertKey Key, EscalationLevel Level, AlertStage Stage, DateTimeOffset ThresholdAt);

/// <summary>
/// The escalation chain as pure functions of a deadline and the alerts already recorded (PRODUCT.md, "Escalation
/// semantics"). Callers ask only about open deadlines: once a person has answered or the promise is resolved, nothing fires.
/// </summary>
public static class EscalationPlan
{
    /// <summary>
    /// Every alert the deadline can raise, ordered by threshold (then level, then point): each at-risk level once per at-risk
    /// point, each breached level at <see cref="Deadline.DueAt"/> plus its delay.
    /// </summary>
    /// <exception cref="ArgumentException">Two levels share an index, so their alerts could not be told apart.</exception>
    public static IReadOnlyList<DueAlert> Schedule(Deadline deadline, IReadOnlyList<EscalationLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(deadline);
        ArgumentNullException.ThrowIfNull(levels);
        var indexes = new HashSet<int>();
        var alerts = new List<DueAlert>();
        foreach (var level in levels)
        {
            ArgumentNullException.ThrowIfNull(level, nameof(levels));
            if (!indexes.Add(level.Index))
            {
                throw new ArgumentException($"Two escalation levels have the index {level.Index}.", nameof(levels));
            }

            if (level.Trigger.Kind == TriggerKind.AtRisk)
            {
                for (var point = 0; point < deadline.AtRiskAt.Count; point++)
                {
                    var key = new AlertKey(deadline.Kind, deadline.Version, level.Index, point);
                    alerts.Add(new DueAlert(key, level, AlertStage.AtRisk, deadline.AtRiskAt[point].ToUniversalTime()));
                }
            }
            else
            {
                var key = new AlertKey(deadline.Kind, deadline.Version, level.Index, 0);
                alerts.Add(new DueAlert(key, level, AlertStage.Breached, (deadline.DueAt + level.Trigger.After).ToUniversalTime()));
            }
        }

        return [.. alerts.OrderBy(a => a.ThresholdAt).ThenBy(a => a.Key.Level).ThenBy(a => a.Key.Point)];
    }

    /// <summary>
    /// The alerts to raise now: threshold at or before <paramref name="now"/> (never one before its threshold), not in
    /// <paramref name="fired"/>, and, once the deadline's alert has been <paramref name="acknowledged"/>, not a
    /// <c>Breached+…</c> level (an acknowledgement stops the climb; the plain <c>Breached</c> level still fires). Ordered as
    /// <see cref="Schedule"/>; an alert overdue because the watcher was down is still returned.
    /// </summary>
    public static IReadOnlyList<DueAlert> Due(Deadline deadline, IReadOnlyList<EscalationLevel> levels, IReadOnlySet<AlertKey> fired, bool acknowledged, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fired);
        return [.. Remaining(deadline, levels, fired, acknowledged).Where(a => a.ThresholdAt <= now)];
    }

    /// <summary>
    /// The earliest threshold of an alert still to raise under the rules of <see cref="Due"/> — what the watcher sleeps
    /// until; <see langword="null"/> when nothing is left. It may lie in the past when an alert is overdue and not yet recorded.
    /// </summary>
    public static DateTimeOffset? Next(Deadline deadline, IReadOnlyList<EscalationLevel> levels, IReadOnlySet<AlertKey> fired, bool acknowledged)
    {
        ArgumentNullException.ThrowIfNull(fired);
        foreach (var alert in Remaining(deadline, levels, fired, acknowledged))
        {
            return alert.ThresholdAt;
        }

        return null;
    }

    private static IEnumerable<DueAlert> Remaining(Deadline deadline, IReadOnlyList<EscalationLevel> levels, IReadOnlySet<AlertKey> fired, bool acknowledged) =>
        Schedule(deadline, levels).Where(a => !fired.Contains(a.Key) && !(acknowledged && a.Level.Trigger.IsAfterBreach));
}
