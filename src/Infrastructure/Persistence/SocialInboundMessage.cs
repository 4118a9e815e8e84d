namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// One message seen on a social channel, stored before anything else happens to it. Unique per (inbox, platform id):
/// a second delivery of the same message finds this row and changes nothing.
/// </summary>
public sealed class SocialInboundMessage
{
    public long Id { get; set; }

    public required string Inbox { get; set; }

    /// <summary><c>Telegram</c> or <c>Mastodon</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>The platform's id, unique within the inbox (Telegram: <c>chat:message</c>; Mastodon: the status id).</summary>
    public required string PlatformId { get; set; }

    public required string ThreadKey { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>Who to answer: the Telegram chat id, the Mastodon <c>acct</c>.</summary>
    public required string AuthorId { get; set; }

    public string? AuthorName { get; set; }

    /// <summary>A <see cref="Social.SocialAuthorRole"/> value.</summary>
    public required string Role { get; set; }

    public required string Text { get; set; }

    /// <summary>The platform's own timestamp: the SLA clock starts here, not when SlaWatch saw it.</summary>
    public DateTimeOffset SentAt { get; set; }

    /// <summary>What a reply needs besides the ids (Mastodon visibility, Telegram business connection), as the channel wrote it.</summary>
    public string? ReplyContext { get; set; }

    /// <summary>A language the platform reports for the author (Telegram's language_code): a hint only.</summary>
    public string? LanguageHint { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public InboundStatus Status { get; set; } = InboundStatus.Fetched;

    /// <summary>What it turned out to be, e.g. <c>Complaint</c>, <c>FollowUp</c>, <c>StaffReply</c>, <c>OwnReply</c>.</summary>
    public string? Classification { get; set; }

    public long? ComplaintId { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}
