namespace SlaWatch.Domain.Languages;

/// <summary>An ISO 639-1 language code SlaWatch can write to a customer in.</summary>
public sealed record LanguageCode
{
    public static readonly LanguageCode English = new("en");
    public static readonly LanguageCode Russian = new("ru");
    public static readonly LanguageCode Dutch = new("nl");
    public static readonly LanguageCode Tagalog = new("tl");
    public static readonly LanguageCode Chinese = new("zh");
    public static readonly LanguageCode Lithuanian = new("lt");

    /// <summary>The languages of the seeds, shipped with templates.</summary>
    public static IReadOnlyList<LanguageCode> Shipped { get; } = [English, Russian, Dutch, Tagalog, Chinese, Lithuanian];

    private LanguageCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>Parses a code such as <c>en</c>, <c>EN</c> or <c>en-GB</c> (the region is dropped); <c>fil</c> is Tagalog.</summary>
    public static bool TryParse(string? text, out LanguageCode code)
    {
        code = English;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var primary = text.Trim().Split('-', '_')[0].ToLowerInvariant();
        if (primary == "fil")
        {
            primary = "tl";
        }

        foreach (var shipped in Shipped)
        {
            if (shipped.Value == primary)
            {
                code = shipped;
                return true;
            }
        }

        return false;
    }

    public static LanguageCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not a supported language code (one of {string.Join(", ", Shipped.Select(l => l.Value))}).");

    public override string ToString() => Value;
}
