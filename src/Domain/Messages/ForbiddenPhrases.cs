using System.Text;

namespace SlaWatch.Domain.Messages;

/// <summary>
/// Finds the answers the seeds warn against ("it was in your contract", "see our website", "that's a management decision",
/// a flat "impossible", blaming a supplier) in a rendered customer message. Lists hold whole phrases, never single words, so a
/// normal apology that shares a character or a word with a forbidden phrase — "给您带来不便" next to "不可能" — stays allowed.
/// </summary>
/// <remarks>
/// Matching ignores case, runs of whitespace (line breaks and no-break spaces included), the typographic apostrophe
/// (’ is ') and, for Russian, ё (ё is е). A phrase matches only as a whole: in scripts that separate words with spaces, the
/// characters either side of a match must not be letters or digits, so "no way" is not found in "piano wayfinding". In
/// scripts written without spaces (Chinese, Japanese) there are no word edges to check and the phrase is matched as it stands.
/// </remarks>
public static class ForbiddenPhrases
{
    /// <summary>
    /// Reads a phrase list: one phrase per line; a line whose first non-blank character is <c>#</c> is a comment; blank lines
    /// are ignored; surrounding whitespace is trimmed and duplicates (after normalisation) are dropped.
    /// </summary>
    public static IReadOnlyList<string> Parse(string fileContent)
    {
        ArgumentNullException.ThrowIfNull(fileContent);
        var phrases = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A byte order mark left by an editor is not part of the first phrase.
        foreach (var rawLine in fileContent.TrimStart('\uFEFF').Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (seen.Add(Normalise(line)))
            {
                phrases.Add(line);
            }
        }

        return phrases;
    }

    /// <summary>The phrases of <paramref name="phrases"/> that occur in <paramref name="text"/>, in list order, each once.</summary>
    public static IReadOnlyList<string> FindIn(string text, IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(phrases);
        var haystack = Normalise(text);
        var found = new List<string>();
        foreach (var phrase in phrases)
        {
            var needle = Normalise(phrase);
            if (needle.Length > 0 && ContainsWholePhrase(haystack, needle) && !found.Contains(phrase))
            {
                found.Add(phrase);
            }
        }

        return found;
    }

    private static bool ContainsWholePhrase(string haystack, string needle)
    {
        var checkStart = NeedsWordEdge(needle[0]);
        var checkEnd = NeedsWordEdge(needle[^1]);
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Length;
            var startIsEdge = !checkStart || at == 0 || !char.IsLetterOrDigit(haystack[at - 1]);
            var endIsEdge = !checkEnd || end == haystack.Length || !char.IsLetterOrDigit(haystack[end]);
            if (startIsEdge && endIsEdge)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A letter or digit of a script that separates words with spaces (not Han, kana).</summary>
    private static bool NeedsWordEdge(char c) => char.IsLetterOrDigit(c) && !IsUnspacedScript(c);

    private static bool IsUnspacedScript(char c) =>
        c is >= '\u3040' and <= '\u30FF' // Hiragana, Katakana
            or >= '\u3400' and <= '\u4DBF' // CJK Extension A
            or >= '\u4E00' and <= '\u9FFF' // CJK Unified Ideographs
            or >= '\uF900' and <= '\uFAFF' // CJK Compatibility Ideographs
            || char.IsSurrogate(c); // CJK Extensions B+ live outside the BMP; treat any astral character as unspaced.

    /// <summary>Compatibility-normalised (full-width letters are plain), lower-cased, one space for any whitespace run.</summary>
    private static string Normalise(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalised.Length);
        var pendingSpace = false;
        foreach (var c in normalised)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c switch
            {
                '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4' => '\'',
                _ => char.ToLowerInvariant(c) switch
                {
                    'ё' => 'е',
                    var lower => lower,
                },
            });
        }

        return builder.ToString();
    }
}
