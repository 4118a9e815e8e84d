using System.Text;
using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Mail;

/// <summary>An acknowledgement already sent (or queued) to the recipient in question.</summary>
/// <param name="SentAt">When it was sent, or enqueued when not sent yet.</param>
/// <param name="Subject">The subject of the customer message it acknowledged (or of the acknowledgement itself).</param>
public sealed record PriorAcknowledgement(DateTimeOffset SentAt, string? Subject);

/// <summary>Per-recipient limits on automatic answers (EMAIL.md D; <c>SlaWatch:Messages:MaxAcksPerSenderPer…</c>).</summary>
/// <param name="PerHour">At most this many acknowledgements to one recipient in any rolling hour.</param>
/// <param name="PerDay">At most this many acknowledgements to one recipient in any rolling 24 hours.</param>
public sealed record AckLimits(int PerHour, int PerDay)
{
    /// <summary>EMAIL.md D's recommendation: 3 an hour, 10 a day.</summary>
    public static AckLimits Default { get; } = new(3, 10);
}

/// <summary>The gate's answer.</summary>
/// <param name="Allowed">True when the acknowledgement may be sent.</param>
/// <param name="Reason">Why not (<c>rate:hour</c>, <c>rate:day</c>, <c>repeat:subject</c>, <c>recipient:invalid</c>); null when allowed.</param>
public sealed record AckDecision(bool Allowed, string? Reason)
{
    public static AckDecision Allow { get; } = new(true, null);

    public static AckDecision Deny(string reason) => new(false, reason);
}

/// <summary>
/// Rate limits on acknowledgements to one recipient, so two autoresponders can never ping-pong and a customer who
/// writes ten times is not buried in apologies (RFC 3834 §2: "SHOULD NOT … more than once" within a period; EMAIL.md D,
/// after FreeScout's per-customer and same-subject rules). Pure: the caller passes the prior acknowledgements to this
/// recipient and <c>now</c>. Check at enqueue time and again at send time.
/// </summary>
public static partial class AcknowledgementGate
{
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>Decides whether one more acknowledgement may go to <paramref name="recipient"/>.</summary>
    /// <param name="recipient">The address the acknowledgement would go to.</param>
    /// <param name="subject">The subject of the message being acknowledged.</param>
    /// <param name="priorToRecipient">Acknowledgements already sent to this recipient (older ones are ignored).</param>
    /// <param name="limits">The per-hour and per-day limits.</param>
    /// <param name="now">The current time.</param>
    public static AckDecision Decide(
        string recipient,
        string? subject,
        IReadOnlyList<PriorAcknowledgement> priorToRecipient,
        AckLimits limits,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(priorToRecipient);
        ArgumentNullException.ThrowIfNull(limits);

        if (!MailAddressSyntax.IsValid(recipient))
        {
            return AckDecision.Deny("recipient:invalid");
        }

        // Rolling windows. A prior stamped after "now" (clock skew between instances) counts as recent.
        var lastHour = 0;
        var lastDay = 0;
        var normalizedSubject = NormalizeSubject(subject);
        var repeated = false;
        foreach (var prior in priorToRecipient)
        {
            var age = now - prior.SentAt;
            if (age >= Day)
            {
                continue;
            }

            lastDay++;
            if (age < Hour)
            {
                lastHour++;
            }

            if (NormalizeSubject(prior.Subject) == normalizedSubject)
            {
                repeated = true;
            }
        }

        if (lastHour >= limits.PerHour)
        {
            return AckDecision.Deny("rate:hour");
        }

        if (lastDay >= limits.PerDay)
        {
            return AckDecision.Deny("rate:day");
        }

        if (repeated)
        {
            // FreeScout: the same subject again within the window is a repeat or a loop, not a new complaint.
            return AckDecision.Deny("repeat:subject");
        }

        return AckDecision.Allow;
    }

    /// <summary>
    /// The subject as compared for repeats: reply and forward prefixes (Re, Fwd, AW, SV, Ответ, 回复 …, repeated or
    /// numbered) and <c>[SW-…]</c> reference tokens removed, whitespace collapsed, case folded. Null becomes empty, so
    /// two subject-less messages count as the same subject.
    /// </summary>
    public static string NormalizeSubject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return string.Empty;
        }

        var text = ReferenceToken().Replace(subject, " ");
        text = Whitespace().Replace(text, " ").Trim();
        string previous;
        do
        {
            previous = text;
            text = ReplyPrefix().Replace(text, string.Empty).Trim();
        }
        while (text.Length != previous.Length);

        return text.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
    }

    [GeneratedRegex(@"\[\s*SW-[^\]]*\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ReferenceToken();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Whitespace();

    /// <summary>Reply and forward prefixes in the languages we serve and the clients our customers use.</summary>
    [GeneratedRegex(
        @"^(re|fwd?|aw|wg|sv|vs|vb|antw|doorst|tr|rv|res|enc|odp|pd|ats|pers|fw|ответ|отв|пересл|переслать|回复|答复|回覆|转发|轉寄)" +
        @"\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 200)]
    private static partial Regex ReplyPrefix();
}
