using SlaWatch.Domain.Languages;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>The values a holding apology is rendered with.</summary>
public sealed record AcknowledgementModel(
    string Reference,
    string? CustomerName,
    string OriginalSubject,
    TimeSpan ResponseWindow,
    string TeamName,
    string? StatusUrl);

/// <summary>A rendered message: subject and plain-text body.</summary>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>Renders customer messages from the editable Liquid templates.</summary>
public interface IMessageTemplates
{
    /// <summary>
    /// Renders the holding apology in <paramref name="language"/>, or in the configured fallback language when there is
    /// no template for it.
    /// </summary>
    RenderedMessage RenderAcknowledgement(LanguageCode language, AcknowledgementModel model);
}
