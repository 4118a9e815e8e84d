namespace SlaWatch.Domain.Complaints;

/// <summary>One complaint: who complained, where, when the clock started, and where it stands.</summary>
public sealed class Complaint
{
    public long Id { get; set; }

    /// <summary>Human reference such as <c>SW-2026-000123</c>.</summary>
    public required string Reference { get; set; }

    /// <summary><c>Imap</c> (later social channels).</summary>
    public required string Channel { get; set; }

    /// <summary>The configured inbox name.</summary>
    public required string Inbox { get; set; }

    public required string CustomerAddress { get; set; }

    public string? CustomerName { get; set; }

    public required string Subject { get; set; }

    /// <summary>ISO 639-1 code the customer is answered in.</summary>
    public required string Language { get; set; }

    /// <summary>When the customer's message reached us (IMAP INTERNALDATE): the SLA clock starts here.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When SlaWatch saw it.</summary>
    public DateTimeOffset DetectedAt { get; set; }

    public ComplaintStatus Status { get; set; } = ComplaintStatus.Open;

    public DateTimeOffset? RespondedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Message-ID of the customer's first message (threading and the acknowledgement's In-Reply-To).</summary>
    public string? ThreadMessageId { get; set; }

    /// <summary>Set when a bounce shows the customer cannot be reached by email.</summary>
    public bool CustomerUnreachable { get; set; }

    /// <summary>When the first response is due (kept for display and queries; the Domain recomputes it).</summary>
    public DateTimeOffset? FirstResponseDueAt { get; set; }

    /// <summary>The resolution date an agent promised the customer, if any.</summary>
    public DateTimeOffset? PromiseDueAt { get; set; }

    /// <summary>
    /// The earliest date of the promise's margin ("normally within 3 to 4 days": the 3rd day); null when the agent gave no
    /// margin.
    /// </summary>
    public DateTimeOffset? PromiseEarliestAt { get; set; }

    /// <summary>When the current promise was made (its at-risk point is capped at half the time since).</summary>
    public DateTimeOffset? PromisedAt { get; set; }

    /// <summary>Bumped each time the promise is set or moved: a new version re-arms its alerts.</summary>
    public int PromiseVersion { get; set; }

    /// <summary><c>Kept</c> or <c>Missed</c> once known.</summary>
    public string? PromiseOutcome { get; set; }

    /// <summary>
    /// The earliest moment the deadline watcher has something to do for this complaint (an alert threshold, a promise
    /// passing); null when nothing is left. Indexed: the watcher sleeps until the smallest one.
    /// </summary>
    public DateTimeOffset? NextAlertAt { get; set; }

    /// <summary>
    /// When SlaWatch last wrote to the customer (the acknowledgement, an update) or a person last answered them; the "still
    /// on it" update is due a quiet period after this.
    /// </summary>
    public DateTimeOffset? LastCustomerMessageAt { get; set; }

    /// <summary>The customer asked for a manager, wrote abusively or mentioned legal action: a person should call them.</summary>
    public bool CallCustomer { get; set; }

    /// <summary>Why the complaint was escalated by its content (e.g. <c>ManagerRequest LegalThreat</c>).</summary>
    public string? ContentFlags { get; set; }
}
