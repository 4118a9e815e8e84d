namespace SlaWatch.Domain.Complaints;

/// <summary>
/// One alert raised for a complaint: once per deadline (and its version), escalation level and at-risk point — a
/// unique key in the database, so two instances or a crash cannot raise it twice.
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    /// <summary><c>FirstResponse</c>, <c>Promise</c> or <c>Content</c>.</summary>
    public required string Deadline { get; set; }

    public int DeadlineVersion { get; set; }

    public int LevelIndex { get; set; }

    public required string LevelName { get; set; }

    public int Point { get; set; }

    /// <summary><c>AtRisk</c>, <c>Breached</c> or <c>Content</c>.</summary>
    public required string Stage { get; set; }

    /// <summary>The threshold that raised it.</summary>
    public DateTimeOffset ThresholdAt { get; set; }

    /// <summary>When it was recorded; minus <see cref="ThresholdAt"/> is the detection delay.</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Who was told: email addresses and webhook names, space-separated.</summary>
    public string? Recipients { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public string? AcknowledgedBy { get; set; }
}
