using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Complaints;

/// <summary>The state changes people make to a complaint; each one an event, each one re-arming or stopping the clocks.</summary>
public sealed partial class ComplaintCommands(
    SlaWatchDbContext db,
    ComplaintClock clock,
    DeadlineSignal signal,
    TimeProvider time,
    SlaWatchMetrics metrics,
    ILogger<ComplaintCommands> logger) : IComplaintCommands
{
    public Task<CommandResult> RecordResponseAsync(string reference, string actor, string channel, string? note, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, (complaint, alerts, now) =>
        {
            var result = RecordFirstResponse(db, clock, complaint, alerts, now, actor, $"by {channel}{(note is null ? string.Empty : ": " + note)}", metrics)
                ? CommandResult.Done()
                : new CommandResult(CommandOutcome.AlreadyDone, $"the first response was already recorded at {complaint.RespondedAt:o}");
            return Task.FromResult(result);
        }, cancellationToken);

    public Task<CommandResult> SetPromiseAsync(string reference, DateTimeOffset dueAt, string actor, string? reason, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, (complaint, alerts, now) =>
        {
            if (complaint.Status == ComplaintStatus.Resolved)
            {
                return Task.FromResult(CommandResult.Invalid($"{complaint.Reference} is resolved; reopen it before promising a date."));
            }

            if (dueAt <= now)
            {
                return Task.FromResult(CommandResult.Invalid($"the promised date {dueAt:o} is not in the future."));
            }

            var moved = complaint.PromiseDueAt is not null;
            var previous = complaint.PromiseDueAt;
            complaint.PromiseDueAt = dueAt.ToUniversalTime();
            complaint.PromisedAt = now;
            complaint.PromiseVersion++;
            complaint.PromiseOutcome = null;
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Type = moved ? ComplaintEventTypes.PromiseMoved : ComplaintEventTypes.PromiseSet,
                Actor = actor,
                Detail = (moved ? $"from {previous:o} to {dueAt.ToUniversalTime():o}" : $"for {dueAt.ToUniversalTime():o}") + (reason is null ? string.Empty : ": " + reason),
            });
            clock.Refresh(complaint, alerts);
            return Task.FromResult(CommandResult.Done());
        }, cancellationToken);

    public Task<CommandResult> ResolveAsync(string reference, string actor, string? note, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, (complaint, alerts, now) =>
        {
            if (complaint.Status == ComplaintStatus.Resolved)
            {
                return Task.FromResult(new CommandResult(CommandOutcome.AlreadyDone, $"{complaint.Reference} is already resolved."));
            }

            complaint.Status = ComplaintStatus.Resolved;
            complaint.ResolvedAt = now;
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = now, Type = ComplaintEventTypes.Resolved, Actor = actor, Detail = note });
            if (complaint is { PromiseDueAt: { } dueAt, PromiseOutcome: null })
            {
                var outcome = Promises.Outcome(dueAt, now, now);
                complaint.PromiseOutcome = outcome.ToString();
                db.ComplaintEvents.Add(new ComplaintEvent
                {
                    ComplaintId = complaint.Id,
                    At = now,
                    Type = outcome == PromiseOutcome.Kept ? ComplaintEventTypes.PromiseKept : ComplaintEventTypes.PromiseMissed,
                    Actor = "slawatch",
                    Detail = $"promised for {dueAt:o}, resolved {now:o}",
                });
            }

            clock.Refresh(complaint, alerts);
            return Task.FromResult(CommandResult.Done());
        }, cancellationToken);

    public async Task<CommandResult> AcknowledgeAlertAsync(long alertId, string actor, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null)
        {
            return CommandResult.NotFound($"there is no alert {alertId}.");
        }

        var reference = await db.Complaints.Where(c => c.Id == alert.ComplaintId).Select(c => c.Reference).SingleAsync(cancellationToken);
        return await InTransactionAsync(reference, (complaint, alerts, now) =>
        {
            var row = alerts.Single(a => a.Id == alertId);
            if (row.AcknowledgedAt is not null)
            {
                return Task.FromResult(new CommandResult(CommandOutcome.AlreadyDone, $"already acknowledged by {row.AcknowledgedBy} at {row.AcknowledgedAt:o}."));
            }

            row.AcknowledgedAt = now;
            row.AcknowledgedBy = actor;
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Type = ComplaintEventTypes.AlertAcknowledged,
                Actor = actor,
                Detail = $"{row.Stage} {row.Deadline} alert to {row.LevelName}; the chain stops climbing for this deadline",
            });
            clock.Refresh(complaint, alerts);
            return Task.FromResult(CommandResult.Done());
        }, cancellationToken);
    }

    /// <summary>The first reply of a person stops the first-response clock (a no-op when one was already recorded).</summary>
    public static bool RecordFirstResponse(SlaWatchDbContext db, ComplaintClock clock, Complaint complaint, List<Alert> alerts, DateTimeOffset at, string actor, string detail, SlaWatchMetrics? metrics = null)
    {
        if (complaint.RespondedAt is not null)
        {
            return false;
        }

        complaint.RespondedAt = at;
        if (complaint.Status == ComplaintStatus.Open)
        {
            complaint.Status = ComplaintStatus.Responded;
        }

        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = at, Type = ComplaintEventTypes.FirstResponse, Actor = actor, Detail = detail });
        metrics?.FirstResponseRecorded(complaint, at);
        clock.Refresh(complaint, alerts);
        return true;
    }

    private async Task<CommandResult> InTransactionAsync(string reference, Func<Complaint, List<Alert>, DateTimeOffset, Task<CommandResult>> change, CancellationToken cancellationToken)
    {
        var normalized = reference.Trim().ToUpperInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Lock the row: the deadline watcher and another API call see the change whole or not at all.
        var complaint = (await db.Complaints.FromSql($"SELECT * FROM complaints WHERE reference = {normalized} FOR UPDATE").ToListAsync(cancellationToken)).SingleOrDefault();
        if (complaint is null)
        {
            return CommandResult.NotFound($"there is no complaint {normalized}.");
        }

        var alerts = await db.Alerts.Where(a => a.ComplaintId == complaint.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var before = complaint.NextAlertAt;
        var result = await change(complaint, alerts, now);
        if (result.Outcome != CommandOutcome.Done)
        {
            return result;
        }

        var earlier = complaint.NextAlertAt is { } next && (before is null || next < before);
        if (earlier)
        {
            await DeadlineSignal.NotifyOthersAsync(db, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (earlier)
        {
            signal.Wake();
        }

        LogChanged(logger, complaint.Reference, result.Outcome);
        return result;
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Complaint {Reference}: change applied ({Outcome})")]
    private static partial void LogChanged(ILogger logger, string reference, CommandOutcome outcome);
}
