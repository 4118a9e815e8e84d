namespace SlaWatch.Infrastructure.Complaints;

/// <summary>
/// What agents and supervisors do to a complaint through the API. Each call records an event in the complaint's log,
/// re-arms or stops its clocks, and wakes the deadline watcher when a deadline moved earlier.
/// </summary>
public interface IComplaintCommands
{
    /// <summary>A person answered the customer outside the mailbox (a phone call, a chat): the first-response clock stops.</summary>
    Task<CommandResult> RecordResponseAsync(string reference, string actor, string channel, string? note, CancellationToken cancellationToken);

    /// <summary>
    /// Sets or moves the promised resolution date; a moved promise re-arms its warnings. The customer is told the date with
    /// its <paramref name="margin"/> ("normally within 3 to 4 days": a margin of one day before the date), or, when it
    /// moved, an apology and the new date.
    /// </summary>
    Task<CommandResult> SetPromiseAsync(string reference, DateTimeOffset dueAt, TimeSpan margin, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>Sets or moves the promised resolution date without a margin.</summary>
    Task<CommandResult> SetPromiseAsync(string reference, DateTimeOffset dueAt, string actor, string? reason, CancellationToken cancellationToken) =>
        SetPromiseAsync(reference, dueAt, TimeSpan.Zero, actor, reason, cancellationToken);

    /// <summary>Marks the complaint resolved: every clock stops; a promise still open is recorded as kept; the customer is thanked.</summary>
    Task<CommandResult> ResolveAsync(string reference, string actor, string? note, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a progress note to the complaint's log; with <paramref name="sendToCustomer"/>, also an update to the customer
    /// carrying the note (plain text, cut to a sane length).
    /// </summary>
    Task<CommandResult> AddNoteAsync(string reference, string actor, string text, bool sendToCustomer, CancellationToken cancellationToken);

    /// <summary>A supervisor took the alert: the chain stops climbing for that deadline.</summary>
    Task<CommandResult> AcknowledgeAlertAsync(long alertId, string actor, CancellationToken cancellationToken);
}

public enum CommandOutcome
{
    Done,

    /// <summary>Nothing changed: it was already so (a repeated call is not an error).</summary>
    AlreadyDone,
    NotFound,

    /// <summary>The request does not fit the complaint's state (e.g. a promise in the past, a resolved complaint).</summary>
    Invalid,
}

public sealed record CommandResult(CommandOutcome Outcome, string? Message = null)
{
    public static CommandResult Done() => new(CommandOutcome.Done);

    public static CommandResult NotFound(string message) => new(CommandOutcome.NotFound, message);

    public static CommandResult Invalid(string message) => new(CommandOutcome.Invalid, message);
}
