using SlaWatch.Domain.Languages;

namespace SlaWatch.Infrastructure.Languages;

/// <summary>Finds the language a customer wrote in, among the configured languages.</summary>
public interface ILanguageDetector
{
    /// <summary>
    /// Detects the language of <paramref name="text"/> (subject and body). When detection is unsure, the
    /// <paramref name="hint"/> (a Content-Language header) wins if it is one of the configured languages, else
    /// <paramref name="fallback"/> (the inbox's default language).
    /// </summary>
    LanguageCode Detect(string text, LanguageCode? hint, LanguageCode fallback);
}
