using SlaWatch.Domain.Languages;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// The values a holding apology is rendered with. <see cref="IsEmail"/> is false on a social channel (Telegram, Mastodon,
/// WhatsApp), where a message has no subject line: templates test <c>{% if is_email %}</c> for what only mail has.
/// </summary>
public sealed record AcknowledgementModel(
    string Reference,
    string? CustomerName,
    string OriginalSubject,
    TimeSpan ResponseWindow,
    string TeamName,
    string? StatusUrl,
    bool IsEmail = true);

/// <summary>
/// The values an update to the customer is rendered with. Dates are shown as local dates in <see cref="TimeZone"/> (the
/// team's; UTC when null), and the span of days ("3 to 4 days") is counted from <see cref="Now"/>. <see cref="IsEmail"/>
/// as for the acknowledgement.
/// </summary>
public sealed record UpdateModel(
    string Reference,
    string? CustomerName,
    string OriginalSubject,
    string TeamName,
    string? StatusUrl,
    DateTimeOffset Now,
    TimeZoneInfo? TimeZone,
    DateTimeOffset? PromiseDueAt = null,
    DateTimeOffset? PromiseEarliestAt = null,
    DateTimeOffset? PreviousPromiseDueAt = null,
    string? Note = null,
    bool IsEmail = true);

/// <summary>A rendered message: subject and plain-text body.</summary>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>The kinds of message to a customer; each has <c>{kind}.subject.liquid</c> and <c>{kind}.body.liquid</c> per language.</summary>
public static class MessageKinds
{
    /// <summary>The holding apology, at once.</summary>
    public const string Acknowledgement = "acknowledgement";

    /// <summary>A resolution date was promised: the date with its margin.</summary>
    public const string PromiseSet = "promise-set";

    /// <summary>The promised date moved: an apology and the new date.</summary>
    public const string PromiseMoved = "promise-moved";

    /// <summary>Nothing was heard for a quiet period: a short "still on it".</summary>
    public const string StillOpen = "still-open";

    /// <summary>Resolved: thanks for telling us.</summary>
    public const string Resolved = "resolved";

    /// <summary>An agent's progress note, sent to the customer.</summary>
    public const string Note = "note";

    public static IReadOnlyList<string> Updates { get; } = [PromiseSet, PromiseMoved, StillOpen, Resolved, Note];

    public static IReadOnlyList<string> All { get; } = [Acknowledgement, .. Updates];

    public static string SubjectFile(string kind) => kind + ".subject.liquid";

    public static string BodyFile(string kind) => kind + ".body.liquid";
}

/// <summary>Renders customer messages from the editable Liquid templates.</summary>
public interface IMessageTemplates
{
    /// <summary>
    /// Renders the holding apology in <paramref name="language"/>, or in the configured fallback language when there is
    /// no template for it.
    /// </summary>
    RenderedMessage RenderAcknowledgement(LanguageCode language, AcknowledgementModel model);

    /// <summary>Renders an update of <paramref name="kind"/> (one of <see cref="MessageKinds.Updates"/>), falling back like the acknowledgement.</summary>
    RenderedMessage RenderUpdate(LanguageCode language, string kind, UpdateModel model);
}
