namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// One signed delivery to a webhook inbox, stored as received before the platform gets its 200 — also when it cannot
/// be parsed, so nothing is lost and a person can look at it.
/// </summary>
public sealed class WebhookPayload
{
    public long Id { get; set; }

    public required string Inbox { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public required byte[] Body { get; set; }

    /// <summary><c>Stored</c> (its messages are in social_messages) or <c>Malformed</c>.</summary>
    public required string Status { get; set; }

    public int Messages { get; set; }

    public string? Error { get; set; }
}
