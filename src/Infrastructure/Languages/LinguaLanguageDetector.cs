using System.Text;
using System.Text.RegularExpressions;
using Lingua;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Languages;

/// <summary>
/// Detects a complaint's language with Lingua, among the configured languages only. One instance per process (a
/// singleton): Lingua keeps its models in static, lazily filled concurrent caches, so <see cref="Detect"/> is safe to call
/// from any number of threads at once.
/// </summary>
/// <remarks>
/// <para>Memory, measured on this machine (2 cores, .NET 10): a console process building a detector for the six shipped
/// languages, detecting 25 short complaint phrasings, then a full garbage collection; working set
/// (<c>Process.WorkingSet64</c>) and managed heap (<c>GC.GetTotalMemory(true)</c>) against a 25 MB baseline:</para>
/// <list type="bullet">
/// <item>high accuracy (Lingua's default), lazy loading: +270 MB working set, +124 MB heap; preloaded: +300 MB working set,
/// +166 MB heap, 1.8 s to preload;</item>
/// <item>low accuracy mode (trigram models only), preloaded: +50 MB working set, +8 MB heap, 0.12 s to preload.</item>
/// </list>
/// <para>Low accuracy mode, preloaded, is used: a sixth of the memory, and the first complaint does not wait for models.
/// Lingua warns that this mode loses accuracy on texts under 120 characters; on 50 short complaints written for the six
/// languages (5 to 80 characters) it made no mistake, like high accuracy, and its misses were on one- and two-word texts
/// ("Hello"), which the short-text rule below sends to the hint or fallback anyway. Russian and Chinese are decided by
/// their script among the configured languages before any model is consulted.</para>
/// </remarks>
public sealed partial class LinguaLanguageDetector : ILanguageDetector
{
    /// <summary>Fewer words than this (a Chinese or Japanese character counts as a word) is too short to trust.</summary>
    internal const int MinimumWords = 3;

    /// <summary>Below this confidence for the most likely language, detection is unsure.</summary>
    internal const double MinimumConfidence = 0.6;

    /// <summary>The most likely language must lead the second by at least this much.</summary>
    internal const double MinimumLead = 0.2;

    /// <summary>Only the start of a long message is examined: enough to decide, and it bounds the work per message.</summary>
    // The opening of a complaint says its language; measured in B1, detection costs ~1 ms per 4 KB but 0.2-0.3 ms at
    // 500 characters, with the same answers on the test phrasings.
    internal const int MaxCharactersExamined = 600;

    /// <summary>The opening examined first; its answer is taken only at <see cref="QuickConfidence"/> or above.</summary>
    // Measured in B1 (warm worker): Lingua was 42 % of the worker's CPU at 600 characters per message.
    internal const int QuickCharacters = 200;

    /// <summary>The confidence at which the opening alone decides (the whole prefix needs only <see cref="MinimumConfidence"/>).</summary>
    internal const double QuickConfidence = 0.95;

    private readonly LanguageDetector? _detector;
    private readonly LanguageCode? _onlyLanguage;
    private readonly HashSet<LanguageCode> _configured;
    private readonly Dictionary<Language, LanguageCode> _codes;

    public LinguaLanguageDetector(IOptions<MessagesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = new List<LanguageCode>();
        foreach (var text in options.Value.EffectiveLanguages)
        {
            if (!LanguageCode.TryParse(text, out var code))
            {
                throw new InvalidOperationException(
                    $"{MessagesOptions.SectionName}:Languages: '{text}' is not a supported language (one of {string.Join(", ", LanguageCode.Shipped)}).");
            }

            if (!configured.Contains(code))
            {
                configured.Add(code);
            }
        }

        _configured = configured.ToHashSet();
        _codes = configured.ToDictionary(ToLingua);
        if (configured.Count == 1)
        {
            // Lingua needs two languages to choose between; with one configured there is nothing to detect.
            _onlyLanguage = configured[0];
            return;
        }

        _detector = LanguageDetectorBuilder
            .FromLanguages([.. _codes.Keys])
            .WithLowAccuracyMode()
            .WithPreloadedLanguageModels()
            .Build();
    }

    /// <inheritdoc />
    public LanguageCode Detect(string text, LanguageCode? hint, LanguageCode fallback)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fallback);
        var unsure = hint is not null && _configured.Contains(hint) ? hint : fallback;
        if (_onlyLanguage is not null)
        {
            return _onlyLanguage;
        }

        var own = OwnText(text);
        if (CountWords(own) < MinimumWords)
        {
            return unsure;
        }

        // A cascade: Lingua's cost grows with the text, and most complaints are clear from their first sentences. Only
        // an answer that is nearly certain on the opening is taken from it; anything less is decided on the whole prefix.
        if (own.Length > QuickCharacters
            && Leader(ComputeTopTwo(own[..QuickCharacters])) is { } quick
            && quick.Confidence >= QuickConfidence
            && _codes.TryGetValue(quick.Language, out var quickly))
        {
            return quickly;
        }

        var leader = Leader(ComputeTopTwo(own));
        if (leader is not { } top || top.Confidence < MinimumConfidence || top.Lead < MinimumLead || !_codes.TryGetValue(top.Language, out var detected))
        {
            return unsure;
        }

        return detected;
    }

    private List<KeyValuePair<Language, double>> ComputeTopTwo(string text) =>
        _detector!.ComputeLanguageConfidenceValues(text).Take(2).ToList();

    private static (Language Language, double Confidence, double Lead)? Leader(List<KeyValuePair<Language, double>> topTwo) =>
        topTwo.Count == 0 ? null : (topTwo[0].Key, topTwo[0].Value, topTwo[0].Value - (topTwo.Count > 1 ? topTwo[1].Value : 0));

    /// <summary>
    /// The customer's own words: quoted reply lines ("&gt; …") and the attribution line that introduces them ("On … wrote:"),
    /// the signature (after a "-- " line, RFC 3676 §4.3) and a forwarded or original message below a "-----Original
    /// Message-----" style separator are dropped, since they are often in another language (the mail client's, ours).
    /// </summary>
    internal static string OwnText(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var kept = new List<string>(Math.Min(lines.Length, 64));
        var budget = new KeptLength();
        for (var i = 0; i < lines.Length && budget.Settled <= MaxCharactersExamined; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (line.TrimEnd() == "--" || IsSeparator(trimmed) || IsQuotedHeaderBlock(lines, i))
            {
                break;
            }

            if (trimmed.StartsWith('>'))
            {
                // The attribution ("On Mon, X wrote:", "Le … a écrit :") ends with a colon just above the quote.
                while (kept.Count > 0 && kept[^1].Trim().Length == 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                if (kept.Count > 0 && kept[^1].TrimEnd().EndsWith(':'))
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                budget = KeptLength.Of(kept);
                continue;
            }

            kept.Add(line);
            budget.Add(line);
        }

        var own = string.Join('\n', kept).Trim();
        return own.Length > MaxCharactersExamined ? own[..MaxCharactersExamined] : own;
    }

    /// <summary>
    /// How much of the kept text is settled: its characters (leading white space aside) before the last non-blank line.
    /// Once that passes <see cref="MaxCharactersExamined"/>, later lines can neither reach the examined prefix nor change
    /// it (a quote below removes only blank lines and the one attribution line above it), so <see cref="OwnText"/> stops
    /// reading a long message there.
    /// </summary>
    private struct KeptLength
    {
        private int _pending;

        public int Settled { get; private set; }

        public static KeptLength Of(List<string> kept)
        {
            var length = new KeptLength();
            foreach (var line in kept)
            {
                length.Add(line);
            }

            return length;
        }

        public void Add(string line)
        {
            if (line.Trim().Length > 0)
            {
                Settled += _pending;
                _pending = (Settled == 0 ? line.TrimStart().Length : line.Length) + 1;
            }
            else if (Settled + _pending > 0)
            {
                _pending += line.Length + 1;
            }
        }
    }

    // "-----Original Message-----", "----- Forwarded message -----", "-------- Пересылаемое сообщение --------", and
    // Outlook's line of underscores above the quoted message.
    private static bool IsSeparator(string trimmed) =>
        trimmed.Length > 10 && trimmed.StartsWith("-----", StringComparison.Ordinal) && trimmed.EndsWith("-----", StringComparison.Ordinal)
            && trimmed.Trim('-').Trim().Length > 0
        || trimmed.Length >= 10 && trimmed.All(c => c == '_');

    /// <summary>
    /// Outlook quotes without "&gt;": the quoted message starts with a header block ("From: …" then "Sent: …" or "Date: …",
    /// in the mail client's language).
    /// </summary>
    private static bool IsQuotedHeaderBlock(string[] lines, int index)
    {
        if (!QuotedFromLine().IsMatch(lines[index]))
        {
            return false;
        }

        var next = lines.Skip(index + 1).FirstOrDefault(l => l.Trim().Length > 0);
        return next is not null && QuotedDateLine().IsMatch(next);
    }

    [GeneratedRegex(@"^\s*\*?(?:from|van|von|de|от|nuo|mula kay|发件人)\*?\s*[:：]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedFromLine();

    [GeneratedRegex(@"^\s*\*?(?:sent|date|verzonden|datum|gesendet|envoyé|отправлено|дата|išsiųsta|data|ipinadala|发送时间|日期)\*?\s*[:：]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedDateLine();

    /// <summary>Words of letters; in scripts written without spaces (Han, kana) each character counts as a word.</summary>
    internal static int CountWords(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                inWord = false;
                continue;
            }

            if (IsUnspacedScript(rune))
            {
                words++;
                inWord = false;
            }
            else if (!inWord)
            {
                words++;
                inWord = true;
            }
        }

        return words;
    }

    private static bool IsUnspacedScript(Rune rune) =>
        rune.Value is >= 0x3040 and <= 0x30FF // Hiragana, Katakana
            or >= 0x3400 and <= 0x4DBF // CJK Extension A
            or >= 0x4E00 and <= 0x9FFF // CJK Unified Ideographs
            or >= 0xF900 and <= 0xFAFF // CJK Compatibility Ideographs
            or >= 0x20000 and <= 0x3FFFF; // CJK Extensions B and later

    private static Language ToLingua(LanguageCode code)
    {
        var iso = Enum.Parse<IsoCode6391>(code.Value, ignoreCase: true);
        return LanguageInfo.GetByIsoCode6391(iso);
    }
}
