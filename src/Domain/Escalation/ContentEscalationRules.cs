using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Escalation;

/// <summary>
/// Phrase lists that escalate a complaint by what it says, one file per language that ops can extend
/// (<c>templates/escalation/{lang}.txt</c>). Every list is applied to every text: a customer writing Taglish or quoting English
/// is still heard, and the phrases are specific enough not to collide across languages.
/// </summary>
/// <remarks>
/// <para>File format: sections <c>[manager]</c>, <c>[abuse]</c>, <c>[legal]</c>; one phrase per line; a line whose first
/// non-blank character is <c>#</c> is a comment; blank lines are ignored. In a phrase, a word may list alternatives
/// (<c>speak|talk</c>), a word ending in <c>*</c> matches any ending (<c>lawyer*</c>: lawyer, lawyers), a word ending in
/// <c>?</c> may be left out (<c>pakausap po? sa supervisor</c>), and a lone <c>*</c> matches exactly one word
/// (<c>speak to * manager</c>). A phrase needs at least two letters or digits that are not wildcards.</para>
/// <para>Matching: whole words and phrases, ignoring case, runs of whitespace and punctuation between words (a comma or a
/// line break does not split "я знаю, где вы живёте"), accents on Latin letters (Lithuanian customers often type without
/// them: "kalbeti" is "kalbėti"), typographic apostrophes, and ё/е. Words in scripts written without spaces (Chinese) have
/// no edges to check, so a Chinese phrase matches anywhere — those lists hold phrases long enough not to occur inside a
/// normal sentence, and never a bare word such as 经理.</para>
/// <para>Mentioning a manager is not asking for one: "I am disappointed with the manager's delivery estimate" is a normal
/// complaint, so the lists hold requests ("speak to a manager", "позовите руководителя"), not the bare word.</para>
/// </remarks>
public sealed class ContentEscalationRules
{
    // A letter, digit or mark of a script that separates words with spaces: Han and kana are left out, so "12315" or
    // "manager" right next to Chinese text still has a word edge there.
    private const string WordChar = @"[\p{L}\p{N}\p{M}-[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]]";

    // The rules run on every complaint; a pathological text must not stall ingestion (see Rule.IsMatch).
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    // Typographic apostrophes and the acute accent used as one, all read as '.
    private const string ApostropheLookalikes = "\u2019\u2018\u02BC`\u00B4";
    private static readonly SearchValues<char> Apostrophes = SearchValues.Create(ApostropheLookalikes);

    private readonly Rule[] _rules;

    // Built on first use: Parse's per-language sets are usually only combined, never matched against.
    private readonly Lazy<AnchorAutomaton> _anchors;

    private ContentEscalationRules(IReadOnlyList<string> languages, Rule[] rules)
    {
        Languages = languages;
        _rules = rules;
        _anchors = new(() => new AnchorAutomaton([.. rules.Select(r => r.Anchors)]), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>No phrases: detects nothing.</summary>
    public static ContentEscalationRules Empty { get; } = new([], []);

    /// <summary>The languages whose lists are included, in order.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>The automaton that finds the rules' anchors (built on first use).</summary>
    internal AnchorAutomaton Anchors => _anchors.Value;

    /// <summary>How many phrases of <paramref name="flag"/> there are, over all languages.</summary>
    public int CountOf(ContentFlag flag) => _rules.Count(r => r.Flag == flag);

    /// <summary>Reads one language's list.</summary>
    /// <param name="languageCode">The list's language (<c>en</c>, <c>ru</c>, …): reported with each match.</param>
    /// <param name="fileText">The file's content.</param>
    /// <exception cref="FormatException">A phrase before any section, an unknown section, or a phrase with fewer than two
    /// letters besides wildcards; the message gives the line number and quotes the line.</exception>
    public static ContentEscalationRules Parse(string languageCode, string fileText)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(languageCode);
        ArgumentNullException.ThrowIfNull(fileText);
        var language = languageCode.Trim().ToLowerInvariant();
        var rules = new List<Rule>();
        var seen = new HashSet<(ContentFlag, string)>();
        ContentFlag? section = null;
        var lines = fileText.TrimStart('\uFEFF').Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.ToLowerInvariant() switch
                {
                    "[manager]" => ContentFlag.ManagerRequest,
                    "[abuse]" => ContentFlag.Abuse,
                    "[legal]" => ContentFlag.LegalThreat,
                    _ => throw Error(language, index, line, "unknown section; expected [manager], [abuse] or [legal]"),
                };
                continue;
            }

            if (section is not { } flag)
            {
                throw Error(language, index, line, "a phrase before any section; start with [manager], [abuse] or [legal]");
            }

            var (pattern, anchorAt, anchors) = ToPattern(line) ?? throw Error(language, index, line, "a phrase needs at least two letters or digits besides wildcards");
            if (seen.Add((flag, pattern)))
            {
                rules.Add(new Rule(flag, language, line, pattern, new Regex(RegexAt(pattern, anchorAt, anchors), RegexOptions.CultureInvariant, MatchTimeout), anchors));
            }
        }

        return new ContentEscalationRules([language], [.. rules]);
    }

    /// <summary>All phrases of all <paramref name="rules"/>; a phrase in two lists is kept once, with the first language.</summary>
    public static ContentEscalationRules Combine(IEnumerable<ContentEscalationRules> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var languages = new List<string>();
        var combined = new List<Rule>();
        var seen = new HashSet<(ContentFlag, string)>();
        foreach (var set in rules)
        {
            ArgumentNullException.ThrowIfNull(set, nameof(rules));
            languages.AddRange(set.Languages.Where(l => !languages.Contains(l)));
            combined.AddRange(set._rules.Where(r => seen.Add((r.Flag, r.Key))));
        }

        return new ContentEscalationRules(languages, [.. combined]);
    }

    /// <summary>The flags raised by <paramref name="text"/>; empty for a normal complaint.</summary>
    public IReadOnlySet<ContentFlag> Detect(string text) => Match(text).Select(m => m.Flag).ToHashSet();

    /// <summary>Every phrase found in <paramref name="text"/>, in list order, each once: what to show a supervisor.</summary>
    public IReadOnlyList<ContentMatch> Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_rules.Length == 0)
        {
            return [];
        }

        // One pass finds where the rules' anchors occur; a rule's expression is then tried only there. This used to be one
        // substring scan of the whole text per anchor, then a scan per rule whose anchor occurred (common words such as
        // "manager" made that most of them).
        var normalised = Normalise(text);
        var anchorsAt = _anchors.Value.Find(normalised);
        var matches = new List<ContentMatch>();
        for (var index = 0; index < _rules.Length; index++)
        {
            var rule = _rules[index];
            if (rule.Anchors.Length == 0 ? rule.IsMatch(normalised) : anchorsAt[index] is { } starts && rule.IsMatchAt(normalised, starts))
            {
                matches.Add(new ContentMatch(rule.Flag, rule.Language, rule.Phrase));
            }
        }

        return matches;
    }

    /// <summary>
    /// Lower case; accents off Latin letters; ё as е; typographic apostrophes as '; every run of whitespace and punctuation
    /// (except apostrophes and hyphens inside words) as one space. Phrases and texts go through the same steps.
    /// </summary>
    internal static string Normalise(string text)
    {
        // Before decomposition: the acute accent used as an apostrophe (´) would decompose to a space and a combining mark.
        if (text.AsSpan().ContainsAny(Apostrophes))
        {
            text = string.Create(text.Length, text, static (span, source) =>
            {
                source.CopyTo(span);
                foreach (var apostrophe in ApostropheLookalikes)
                {
                    span.Replace(apostrophe, '\'');
                }
            });
        }

        // Normalize returns the string itself when it is already in the form (plain ASCII always is).
        var decomposed = text.Normalize(NormalizationForm.FormKD);

        // A char array rather than a StringBuilder: this loop runs over every char of every mail (up to tens of KB).
        var buffer = new char[decomposed.Length];
        var length = 0;
        var pendingSpace = false;
        var lastBase = '\0';
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                var dropped = IsLatinLetter(lastBase) || (lastBase == 'е' && c == '\u0308');
                if (!dropped && !pendingSpace)
                {
                    buffer[length++] = c;
                }

                continue;
            }

            if (char.IsWhiteSpace(c) || (IsSeparator(category) && c is not '\'' and not '-' and not '\u2010'))
            {
                pendingSpace = length > 0;
                lastBase = '\0';
                continue;
            }

            if (pendingSpace)
            {
                // Room for it: the separator it stands for was not written.
                buffer[length++] = ' ';
                pendingSpace = false;
            }

            var lower = c == '\u2010' ? '-' : char.ToLowerInvariant(c);
            buffer[length++] = lower;
            lastBase = lower;
        }

        return new string(buffer, 0, length).Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The regular expression for one phrase line; where in it the anchor word begins; and the anchors — the spellings of its
    /// most specific required word, one of which must start where that word matches; <see langword="null"/> when the phrase
    /// has too few literal characters.
    /// </summary>
    private static (string Pattern, int AnchorAt, string[] Anchors)? ToPattern(string phrase)
    {
        if (phrase.Count(char.IsLetterOrDigit) < 2)
        {
            return null;
        }

        var pattern = new StringBuilder();
        var first = true;
        var anchorAt = 0;
        string[] anchors = [];
        foreach (var token in phrase.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // "po?" is a word that may be left out (Tagalog's polite "po" goes almost anywhere).
            var optional = token.Length > 1 && token.EndsWith('?');
            var (word, literals) = WordPattern(optional ? token[..^1] : token);
            if (word is null)
            {
                return null;
            }

            if (!optional && literals.Length > 0 && (anchors.Length == 0 || literals.Min(l => l.Length) > anchors.Min(a => a.Length)))
            {
                anchors = literals;
                anchorAt = pattern.Length + (first ? 0 : 1); // after the space that joins it to the word before
            }

            pattern.Append((first, optional) switch
            {
                (true, false) => word,
                (true, true) => "(?:" + word + " )?",
                (false, false) => " " + word,
                (false, true) => "(?: " + word + ")?",
            });
            first = false;
        }

        return first ? null : (pattern.ToString(), anchorAt, anchors);
    }

    /// <summary>
    /// The expression as run: for a phrase with anchors, anchored (<c>\G</c>) where an anchor starts, with the words before
    /// the anchor word as a lookbehind — the same matches as the whole pattern, found by one short attempt per anchor
    /// occurrence instead of a scan of the whole text.
    /// </summary>
    private static string RegexAt(string pattern, int anchorAt, string[] anchors) =>
        (anchors.Length, anchorAt) switch
        {
            (0, _) => pattern,
            (_, 0) => @"\G" + pattern,
            _ => @"\G(?<=" + pattern[..anchorAt] + ")" + pattern[anchorAt..],
        };

    /// <summary>
    /// One word of a phrase — <c>*</c>, or alternatives separated by <c>|</c>, each possibly ending in <c>*</c> — and the
    /// normalised literal text of its alternatives (none for <c>*</c>).
    /// </summary>
    private static (string? Pattern, string[] Literals) WordPattern(string word)
    {
        if (word == "*")
        {
            // Exactly one word of any kind.
            return (@"(?<!\S)\S+(?!\S)", []);
        }

        var literals = new List<string>();
        var alternatives = new List<string>();
        foreach (var alternative in word.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var open = alternative.EndsWith('*');
            var literal = Normalise(open ? alternative.TrimEnd('*') : alternative);
            if (literal.Length == 0)
            {
                return (null, []);
            }

            literals.Add(literal);
            var pattern = new StringBuilder();
            if (NeedsWordEdge(literal[0]))
            {
                pattern.Append("(?<!").Append(WordChar).Append(')');
            }

            // Regex.Escape turns a space inside a normalised literal ("u.s." is "u s") into "\ ", which still matches a space.
            pattern.Append(Regex.Escape(literal));
            if (open)
            {
                pattern.Append(WordChar).Append('*');
            }
            else if (NeedsWordEdge(literal[^1]))
            {
                pattern.Append("(?!").Append(WordChar).Append(')');
            }

            alternatives.Add(pattern.ToString());
        }

        return alternatives.Count switch
        {
            0 => (null, []),
            1 => (alternatives[0], [.. literals]),
            _ => ("(?:" + string.Join('|', alternatives) + ")", [.. literals]),
        };
    }

    private static bool IsSeparator(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.ModifierSymbol
        or UnicodeCategory.OtherSymbol or UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsLatinLetter(char c) => c < '\u0250' && char.IsLetter(c);

    /// <summary>A letter or digit of a script that separates words with spaces (not Han, kana).</summary>
    private static bool NeedsWordEdge(char c) => char.IsLetterOrDigit(c) && !IsUnspacedScript(c);

    private static bool IsUnspacedScript(char c) =>
        c is >= '\u3040' and <= '\u30FF' // Hiragana, Katakana
            or >= '\u3400' and <= '\u4DBF' // CJK Extension A
            or >= '\u4E00' and <= '\u9FFF' // CJK Unified Ideographs
            or >= '\uF900' and <= '\uFAFF' // CJK Compatibility Ideographs
            || char.IsSurrogate(c); // CJK Extensions B+ live outside the BMP.

    private static FormatException Error(string language, int index, string line, string problem) =>
        new($"Escalation phrases ({language}), line {index + 1} \"{line}\": {problem}.");

    // Key is the whole pattern (the same phrase in two lists has the same key); Pattern is what runs (see RegexAt).
    private sealed record Rule(ContentFlag Flag, string Language, string Phrase, string Key, Regex Pattern, string[] Anchors)
    {
        /// <summary>
        /// Runs the expression. The patterns are linear (literals, character classes, no nested repetition); should one still
        /// time out on a pathological text it counts as no match, so ingestion goes on instead of retrying the mail forever.
        /// </summary>
        public bool IsMatch(string normalised)
        {
            try
            {
                return Pattern.IsMatch(normalised);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        /// <summary>Whether the phrase matches where one of its anchors starts (<paramref name="starts"/>); a timeout as in
        /// <see cref="IsMatch"/>.</summary>
        public bool IsMatchAt(string normalised, List<int> starts)
        {
            try
            {
                foreach (var start in starts)
                {
                    if (Pattern.IsMatch(normalised.AsSpan(), start))
                    {
                        return true;
                    }
                }

                return false;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }
}
