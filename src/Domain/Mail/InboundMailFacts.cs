namespace SlaWatch.Domain.Mail;

/// <summary>
/// What the classifier needs to know about one inbound email, already extracted from the MIME message by Infrastructure.
/// Header values are decoded; absent headers are null.
/// </summary>
public sealed record InboundMailFacts
{
    /// <summary>The From address (lower-cased), or null when From is missing or unparseable.</summary>
    public string? From { get; init; }

    /// <summary>
    /// Every address in the From header (lower-cased), in order. Usually one; RFC 5322 allows several, and then there is
    /// no single address an automatic answer could go to (EMAIL.md A16). Empty when From is missing.
    /// </summary>
    public IReadOnlyList<string> FromAddresses { get; init; } = [];

    /// <summary>Display name from the From header, if any.</summary>
    public string? FromName { get; init; }

    /// <summary>Sender header address, if any.</summary>
    public string? Sender { get; init; }

    /// <summary>Reply-To addresses.</summary>
    public IReadOnlyList<string> ReplyTo { get; init; } = [];

    /// <summary>
    /// The top Return-Path: null when the header is missing, an empty string when it is the null path <c>&lt;&gt;</c>.
    /// </summary>
    public string? ReturnPath { get; init; }

    public IReadOnlyList<string> To { get; init; } = [];

    public IReadOnlyList<string> Cc { get; init; } = [];

    public string? Subject { get; init; }

    /// <summary>Message-ID without angle brackets, or null.</summary>
    public string? MessageId { get; init; }

    public string? InReplyTo { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>
    /// Every header, by lower-cased name, with all its values in order. The classifier reads Auto-Submitted,
    /// X-Auto-Response-Suppress, Precedence, List-*, X-Autoreply and the rest from here.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The top-level media type, e.g. <c>multipart/report</c>, lower-cased.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// The kind of report, lower-cased: the <c>report-type</c> parameter of a multipart/report (e.g. <c>delivery-status</c>,
    /// <c>disposition-notification</c>, <c>feedback-report</c>), or derived from the first report part found; null when none.
    /// </summary>
    public string? ReportType { get; init; }

    /// <summary>True when any part is message/delivery-status, message/disposition-notification or message/feedback-report.</summary>
    public bool HasReportPart { get; init; }

    /// <summary>File names of the attachments.</summary>
    public IReadOnlyList<string> AttachmentNames { get; init; } = [];

    /// <summary>Plain text of the body (HTML converted to text), trimmed to a sane length, NULs removed.</summary>
    public string BodyText { get; init; } = string.Empty;

    /// <summary>The Content-Language header, if any.</summary>
    public string? ContentLanguage { get; init; }

    /// <summary>Message-IDs found inside an attached original (the message/rfc822 or text/rfc822-headers part of a report).</summary>
    public IReadOnlyList<string> EmbeddedMessageIds { get; init; } = [];
}
