namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// Where polling stands in one social inbox: an opaque cursor only the channel understands (Telegram's next update
/// offset, Mastodon's newest notification and status ids). Written in the same transaction as the messages it covers.
/// </summary>
public sealed class ChannelCursor
{
    public required string Inbox { get; set; }

    public string? Cursor { get; set; }

    /// <summary>The last poll that succeeded; a gap longer than the platform keeps messages means some may be lost.</summary>
    public DateTimeOffset? LastPolledAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
