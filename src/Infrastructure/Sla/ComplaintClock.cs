using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Sla;

namespace SlaWatch.Infrastructure.Sla;

/// <summary>
/// A complaint's open deadlines and the alerts they call for, from the Domain's pure rules and what was already raised.
/// Keeps <see cref="Complaint.NextAlertAt"/> — the one indexed column the deadline watcher reads — up to date.
/// </summary>
public sealed class ComplaintClock(SlaPolicies policies)
{
    public IReadOnlyList<Deadline> OpenDeadlines(Complaint complaint)
    {
        if (complaint.Status == ComplaintStatus.Resolved)
        {
            return [];
        }

        var policy = policies.For(complaint.Inbox).Policy;
        var deadlines = new List<Deadline>(2);
        if (complaint.RespondedAt is null)
        {
            deadlines.Add(Deadlines.FirstResponse(complaint.ReceivedAt, policy));
        }

        if (complaint is { PromiseDueAt: { } dueAt, PromisedAt: { } promisedAt })
        {
            deadlines.Add(Deadlines.Promise(promisedAt, dueAt, complaint.PromiseVersion, policy));
        }

        return deadlines;
    }

    /// <summary>The alerts due now, never one before its threshold, never one already raised.</summary>
    public IReadOnlyList<DueAlert> Due(Complaint complaint, IReadOnlyCollection<Alert> raised, DateTimeOffset now)
    {
        var levels = policies.For(complaint.Inbox).Levels;
        var fired = Fired(raised);
        return OpenDeadlines(complaint)
            .SelectMany(d => EscalationPlan.Due(d, levels, fired, IsAcknowledged(raised, d), now))
            .OrderBy(a => a.ThresholdAt)
            .ToList();
    }

    /// <summary>Recomputes the first-response due time and the next moment the watcher must look at this complaint.</summary>
    public void Refresh(Complaint complaint, IReadOnlyCollection<Alert> raised)
    {
        var levels = policies.For(complaint.Inbox).Levels;
        var fired = Fired(raised);
        DateTimeOffset? next = null;
        foreach (var deadline in OpenDeadlines(complaint))
        {
            if (deadline.Kind == DeadlineKind.FirstResponse)
            {
                complaint.FirstResponseDueAt = deadline.DueAt;
            }

            next = Earliest(next, EscalationPlan.Next(deadline, levels, fired, IsAcknowledged(raised, deadline)));
        }

        // A promise that passes unresolved is recorded as missed even when no level fires at its breach.
        if (complaint is { Status: not ComplaintStatus.Resolved, PromiseDueAt: { } dueAt, PromiseOutcome: null })
        {
            next = Earliest(next, dueAt);
        }

        complaint.NextAlertAt = next;
    }

    public static string DeadlineName(DeadlineKind kind) => kind.ToString();

    private static HashSet<AlertKey> Fired(IReadOnlyCollection<Alert> raised) =>
        raised
            .Where(a => Enum.TryParse<DeadlineKind>(a.Deadline, out _))
            .Select(a => new AlertKey(Enum.Parse<DeadlineKind>(a.Deadline), a.DeadlineVersion, a.LevelIndex, a.Point))
            .ToHashSet();

    private static bool IsAcknowledged(IReadOnlyCollection<Alert> raised, Deadline deadline) =>
        raised.Any(a => a.AcknowledgedAt is not null && a.Deadline == DeadlineName(deadline.Kind) && a.DeadlineVersion == deadline.Version);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
