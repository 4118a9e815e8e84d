namespace SlaWatch.Infrastructure.Persistence;

/// <summary>A Message-ID that belongs to a complaint's thread: the customer's messages and ours. Replies are threaded through it.</summary>
public sealed class ThreadMessageId
{
    public required string Inbox { get; set; }

    public required string MessageId { get; set; }

    public long ComplaintId { get; set; }

    /// <summary><c>in</c> for the customer's messages, <c>out</c> for ours.</summary>
    public required string Direction { get; set; }
}
