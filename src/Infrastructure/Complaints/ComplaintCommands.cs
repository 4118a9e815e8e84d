using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Complaints;

/// <summary>
/// The state changes people make to a complaint; each one an event, each one re-arming or stopping the clocks. The update it
/// calls for (a promise, a moved promise, the thanks at the end, a note) is written to the outbox in the same transaction
/// and handed to the sender after the commit.
/// </summary>
public sealed partial class ComplaintCommands(
    SlaWatchDbContext db,
    ComplaintClock clock,
    DeadlineSignal signal,
    CustomerUpdates updates,
    IOutboxDispatcher dispatcher,
    TimeProvider time,
    SlaWatchMetrics metrics,
    ILogger<ComplaintCommands> logger) : IComplaintCommands
{
    /// <summary>A note is kept in the complaint's log up to this many characters.</summary>
    public const int MaxNoteLength = 2000;

    // Outbox rows written in the current transaction, sent once it commits.
    private readonly List<long> _queued = [];

    public Task<CommandResult> RecordResponseAsync(string reference, string actor, string channel, string? note, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, (complaint, alerts, now) =>
        {
            // A later contact (another call) is not a first response, but the customer heard from us: it goes in the
            // log and the "still on it" update waits a quiet period from it.
            var result = RecordStaffMessage(db, clock, complaint, alerts, now, actor, $"by {channel}{(note is null ? string.Empty : ": " + note)}", metrics)
                ? CommandResult.Done()
                : new CommandResult(CommandOutcome.AlreadyDone, $"the first response was already recorded at {complaint.RespondedAt:o}; this one is logged as a later reply");
            return Task.FromResult(result);
        }, cancellationToken);

    public Task<CommandResult> SetPromiseAsync(string reference, DateTimeOffset dueAt, TimeSpan margin, string actor, string? reason, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, async (complaint, alerts, now) =>
        {
            if (complaint.Status == ComplaintStatus.Resolved)
            {
                return CommandResult.Invalid($"{complaint.Reference} is resolved; reopen it before promising a date.");
            }

            if (dueAt <= now)
            {
                return CommandResult.Invalid($"the promised date {dueAt:o} is not in the future.");
            }

            if (margin < TimeSpan.Zero || (margin > TimeSpan.Zero && dueAt - margin <= now))
            {
                return CommandResult.Invalid($"a margin of {margin.TotalDays:0.##} days before {dueAt:o} starts in the past; choose a smaller margin or a later date.");
            }

            var moved = complaint.PromiseDueAt is not null;
            var previous = complaint.PromiseDueAt;
            complaint.PromiseDueAt = dueAt.ToUniversalTime();
            complaint.PromiseEarliestAt = margin > TimeSpan.Zero ? (dueAt - margin).ToUniversalTime() : null;
            complaint.PromisedAt = now;
            complaint.PromiseVersion++;
            complaint.PromiseOutcome = null;
            var marginText = margin > TimeSpan.Zero ? $" (normally from {complaint.PromiseEarliestAt:o})" : string.Empty;
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Type = moved ? ComplaintEventTypes.PromiseMoved : ComplaintEventTypes.PromiseSet,
                Actor = actor,
                Detail = (moved ? $"from {previous:o} to {dueAt.ToUniversalTime():o}" : $"for {dueAt.ToUniversalTime():o}") + marginText + (reason is null ? string.Empty : ": " + reason),
            });
            clock.Refresh(complaint, alerts);
            var update = await QueueUpdateAsync(
                complaint,
                moved ? MessageKinds.PromiseMoved : MessageKinds.PromiseSet,
                $"v{complaint.PromiseVersion}",
                new UpdateContent(PreviousPromiseDueAt: previous),
                now,
                cancellationToken);
            return new CommandResult(CommandOutcome.Done, update);
        }, cancellationToken);

    public Task<CommandResult> AddNoteAsync(string reference, string actor, string text, bool sendToCustomer, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, async (complaint, _, now) =>
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return CommandResult.Invalid("a note needs some text.");
            }

            var note = text.Trim();
            note = note.Length <= MaxNoteLength ? note : note[..MaxNoteLength];
            // The notes so far number this one: a deterministic dedupe key under the row lock.
            var number = await db.ComplaintEvents.CountAsync(e => e.ComplaintId == complaint.Id && e.Type == ComplaintEventTypes.NoteAdded, cancellationToken) + 1;
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Type = ComplaintEventTypes.NoteAdded,
                Actor = actor,
                Detail = (sendToCustomer ? "to the customer: " : "internal: ") + note,
            });
            if (!sendToCustomer)
            {
                return CommandResult.Done();
            }

            var update = await QueueUpdateAsync(complaint, MessageKinds.Note, $"n{number}", new UpdateContent(Note: note), now, cancellationToken);
            return new CommandResult(CommandOutcome.Done, update);
        }, cancellationToken);

    public Task<CommandResult> ResolveAsync(string reference, string actor, string? note, CancellationToken cancellationToken) =>
        InTransactionAsync(reference, async (complaint, alerts, now) =>
        {
            if (complaint.Status == ComplaintStatus.Resolved)
            {
                return new CommandResult(CommandOutcome.AlreadyDone, $"{complaint.Reference} is already resolved.");
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
            // Thanks for telling us (seed 000: thank the customer at the end). Keyed by the moment: a complaint reopened
            // and resolved again is thanked again.
            var update = await QueueUpdateAsync(complaint, MessageKinds.Resolved, now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), new UpdateContent(), now, cancellationToken);
            return new CommandResult(CommandOutcome.Done, update);
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
        // A person's answer is a message to the customer too: the "still on it" update counts its quiet period from it.
        if (complaint.LastCustomerMessageAt is null || complaint.LastCustomerMessageAt < at)
        {
            complaint.LastCustomerMessageAt = at;
        }

        if (complaint.Status == ComplaintStatus.Open)
        {
            complaint.Status = ComplaintStatus.Responded;
        }

        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = at, Type = ComplaintEventTypes.FirstResponse, Actor = actor, Detail = detail });
        metrics?.FirstResponseRecorded(complaint, at);
        clock.Refresh(complaint, alerts);
        return true;
    }

    /// <summary>
    /// A person wrote to the customer: the first time, that is the first response (<see cref="RecordFirstResponse"/>);
    /// any later time, a <see cref="ComplaintEventTypes.StaffReply"/> in the log, and the "still on it" update counts its
    /// quiet period from it, so it does not follow an agent's own message. Returns true when it was the first response.
    /// </summary>
    public static bool RecordStaffMessage(SlaWatchDbContext db, ComplaintClock clock, Complaint complaint, List<Alert> alerts, DateTimeOffset at, string actor, string detail, SlaWatchMetrics? metrics = null)
    {
        if (RecordFirstResponse(db, clock, complaint, alerts, at, actor, detail, metrics))
        {
            return true;
        }

        if (complaint.LastCustomerMessageAt is null || complaint.LastCustomerMessageAt < at)
        {
            complaint.LastCustomerMessageAt = at;
        }

        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaint.Id, At = at, Type = ComplaintEventTypes.StaffReply, Actor = actor, Detail = detail });
        return false;
    }

    /// <summary>Writes the update and says what became of it, for the caller's answer.</summary>
    private async Task<string> QueueUpdateAsync(Complaint complaint, string kind, string occasion, UpdateContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = await updates.QueueAsync(db, complaint, kind, occasion, content, now, recordSuppression: true, cancellationToken);
        if (outcome.OutboxId is { } id)
        {
            _queued.Add(id);
            return $"the customer is told ({kind}, in {complaint.Language}).";
        }

        return outcome.AlreadyQueued
            ? "the customer was already told."
            : $"no message to the customer ({outcome.SuppressedBecause}).";
    }

    private async Task<CommandResult> InTransactionAsync(string reference, Func<Complaint, List<Alert>, DateTimeOffset, Task<CommandResult>> change, CancellationToken cancellationToken)
    {
        var normalized = reference.Trim().ToUpperInvariant();
        _queued.Clear();
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
        // "Already done" may still log something (a later response is a staff-reply); a refusal writes nothing.
        if (result.Outcome is not (CommandOutcome.Done or CommandOutcome.AlreadyDone))
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

        if (_queued.Count > 0)
        {
            dispatcher.EnqueueMany([.. _queued]);
            _queued.Clear();
        }

        LogChanged(logger, complaint.Reference, result.Outcome);
        return result;
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Complaint {Reference}: change applied ({Outcome})")]
    private static partial void LogChanged(ILogger logger, string reference, CommandOutcome outcome);
}
