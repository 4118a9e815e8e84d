using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Escalation;

/// <summary>Records alerts and their messages in the caller's transaction (the alert and its outbox rows commit together).</summary>
public sealed class AlertRaiser(AlertComposer composer, SlaPolicies policies)
{
    /// <summary>
    /// Raises the due alerts of one complaint without saving (the caller saves the whole batch once); returns the outbox
    /// rows to send once committed.
    /// </summary>
    public async Task<List<OutboxMessage>> RaiseAsync(SlaWatchDbContext db, Complaint complaint, List<Alert> raised, IEnumerable<DueAlert> due, IReadOnlyList<Deadline> deadlines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outbox = new List<OutboxMessage>();
        foreach (var alert in due)
        {
            var deadline = deadlines.First(d => d.Kind == alert.Key.Deadline && d.Version == alert.Key.DeadlineVersion);
            var row = new Alert
            {
                ComplaintId = complaint.Id,
                Deadline = ComplaintClock.DeadlineName(alert.Key.Deadline),
                DeadlineVersion = alert.Key.DeadlineVersion,
                LevelIndex = alert.Key.Level,
                LevelName = alert.Level.Name,
                Point = alert.Key.Point,
                Stage = alert.Stage.ToString(),
                ThresholdAt = alert.ThresholdAt,
                RecordedAt = now,
            };
            outbox.AddRange(await AddAsync(db, complaint, raised, row, alert.Level, new AlertFacts(deadline.DueAt, null, Before(raised)), now, cancellationToken));
        }

        return outbox;
    }

    /// <summary>An alert raised by the complaint's content, whatever the clock; once per complaint.</summary>
    public async Task<List<long>> RaiseContentAsync(SlaWatchDbContext db, Complaint complaint, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var level = policies.For(complaint.Inbox).ContentLevel;
        if (level is null)
        {
            return [];
        }

        var raised = await db.Alerts.Where(a => a.ComplaintId == complaint.Id).ToListAsync(cancellationToken);
        if (raised.Any(a => a.Deadline == "Content"))
        {
            return [];
        }

        var row = new Alert
        {
            ComplaintId = complaint.Id,
            Deadline = "Content",
            LevelIndex = level.Index,
            LevelName = level.Name,
            Stage = "Content",
            ThresholdAt = now,
            RecordedAt = now,
        };
        var messages = await AddAsync(db, complaint, raised, row, level, new AlertFacts(complaint.FirstResponseDueAt, reason, Before(raised)), now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return messages.Select(m => m.Id).ToList();
    }

    private async Task<List<OutboxMessage>> AddAsync(SlaWatchDbContext db, Complaint complaint, List<Alert> raised, Alert row, EscalationLevel level, AlertFacts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row.Recipients = string.Join(' ', level.Notify.Concat(level.Webhooks.Select(w => new Uri(w).Host)));
        // The hi-lo generator assigns the id here, without a round trip for most alerts.
        await db.Alerts.AddAsync(row, cancellationToken);
        raised.Add(row);
        var messages = composer.Compose(complaint, row, facts, level.Notify, level.Webhooks, policies.For(complaint.Inbox).AckLinkLifetime, now);
        db.Outbox.AddRange(messages);
        db.ComplaintEvents.Add(new ComplaintEvent
        {
            ComplaintId = complaint.Id,
            At = now,
            Type = ComplaintEventTypes.AlertRaised,
            Actor = "slawatch",
            Detail = $"{row.Stage} {row.Deadline} → {row.LevelName}: {row.Recipients}",
        });
        return messages.ToList();
    }

    private static List<string> Before(List<Alert> raised) =>
        raised.OrderBy(a => a.RecordedAt).Select(a => $"{a.LevelName} ({a.Stage} {a.Deadline}, {a.RecordedAt:HH:mm:ss} UTC{(a.AcknowledgedAt is null ? string.Empty : ", acknowledged by " + a.AcknowledgedBy)})").ToList();
}
