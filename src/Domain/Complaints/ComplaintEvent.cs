namespace SlaWatch.Domain.Complaints;

/// <summary>One entry of a complaint's append-only timeline.</summary>
public sealed class ComplaintEvent
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>A <see cref="ComplaintEventTypes"/> value.</summary>
    public required string Type { get; set; }

    /// <summary>Who did it: <c>customer</c>, <c>slawatch</c>, or a person's name.</summary>
    public required string Actor { get; set; }

    /// <summary>Short human-readable detail; never the customer's message body.</summary>
    public string? Detail { get; set; }
}

public static class ComplaintEventTypes
{
    public const string Received = "received";
    public const string FollowUpReceived = "follow-up-received";
    public const string AutomaticReplyReceived = "automatic-reply-received";
    public const string Reopened = "reopened";
    public const string AcknowledgementQueued = "acknowledgement-queued";
    public const string AcknowledgementSuppressed = "acknowledgement-suppressed";
    public const string AcknowledgementSent = "acknowledgement-sent";
    public const string AcknowledgementDropped = "acknowledgement-dropped";
    public const string AcknowledgementFailed = "acknowledgement-failed";
    public const string AcknowledgementUndeliverable = "acknowledgement-undeliverable";
    public const string FirstResponse = "first-response";

    /// <summary>A person wrote to the customer again after the first response (by email or on a social channel).</summary>
    public const string StaffReply = "staff-reply";
    public const string PromiseSet = "promise-set";
    public const string PromiseMoved = "promise-moved";
    public const string PromiseKept = "promise-kept";
    public const string PromiseMissed = "promise-missed";
    public const string Resolved = "resolved";
    public const string AlertRaised = "alert-raised";
    public const string AlertAcknowledged = "alert-acknowledged";
    public const string EscalatedByContent = "escalated-by-content";
    public const string NoteAdded = "note-added";

    /// <summary>An update to the customer was queued (its detail names the occasion and the language).</summary>
    public const string ProgressQueued = "progress-queued";

    /// <summary>An update was not sent (the customer cannot be written to automatically, or the per-recipient limit).</summary>
    public const string ProgressSuppressed = "progress-suppressed";

    /// <summary>The relay accepted an update to the customer.</summary>
    public const string ProgressSent = "progress-sent";

    /// <summary>An update to the customer could not be sent (refused, or given up after retries).</summary>
    public const string ProgressFailed = "progress-failed";
}
