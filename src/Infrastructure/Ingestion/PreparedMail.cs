using SlaWatch.Domain.Escalation;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Mail;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>
/// What can be worked out about one stored message without the database: its facts, the classifier's verdict, its
/// language and content flags. Computed for a whole batch in parallel before the sequential database part.
/// </summary>
/// <param name="Facts">The parsed facts; null when the message could not be parsed.</param>
/// <param name="Error">Why parsing failed, or null.</param>
/// <param name="Verdict">The classifier's verdict for inbound mail; null for the Sent folder or unparseable mail.</param>
/// <param name="Language">The detected language when the message may open a complaint; null otherwise.</param>
/// <param name="Flags">Content escalation flags for human inbound mail; empty otherwise.</param>
public sealed record PreparedMail(
    InboundMailFacts? Facts,
    string? Error,
    MailVerdict? Verdict,
    LanguageCode? Language,
    IReadOnlySet<ContentFlag> Flags)
{
    /// <summary>True when this message would open a complaint unless it turns out to be a duplicate or a follow-up.</summary>
    public bool MayOpenComplaint => Verdict is { IsHuman: true } && Facts?.From is not null;
}

/// <summary>A message prepared right after it was fetched, with the SHA-256 of the bytes it was prepared from.</summary>
public sealed record PreparedEntry(byte[] Sha256, PreparedMail Mail);
