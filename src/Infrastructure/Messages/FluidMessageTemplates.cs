using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fluid;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// Renders customer messages from the Liquid templates ops can edit: <c>{TemplateFolder}/{lang}/{kind}.subject.liquid</c>
/// and <c>…/{kind}.body.liquid</c> for every kind of <see cref="MessageKinds.All"/> (the acknowledgement and the updates),
/// for each configured language and the fallback language. The files are read and
/// parsed once, when this singleton is created; a parsed Fluid template is immutable and renders on any thread with its own
/// <see cref="TemplateContext"/>. Problems found while loading are kept for <see cref="TemplateCatalogValidator"/>, which
/// turns them into a start-up error.
/// </summary>
/// <remarks>
/// Output is plain text: values are not HTML-encoded, but every value is cut to one line with control characters removed,
/// so a customer's subject cannot add header lines or reorder text (bidirectional overrides are removed too), and the
/// rendered subject is one line. Templates see only the variables of <c>TemplateValues</c> below — the member access
/// strategy knows no other type — and cannot include files. Every template sees every variable; those that do not apply to
/// its kind are empty.
/// </remarks>
public sealed partial class FluidMessageTemplates : IMessageTemplates
{
    public const string SubjectFileName = "acknowledgement.subject.liquid";
    public const string BodyFileName = "acknowledgement.body.liquid";

    /// <summary>An agent's note is cut to this many characters in a message to the customer.</summary>
    public const int MaxNoteValueLength = 1500;

    // A customer's subject or name longer than this is cut: the acknowledgement's subject stays readable.
    private const int MaxSubjectValueLength = 200;
    private const int MaxNameValueLength = 100;

    // The parser is thread-safe and costly to build: one for the process.
    private static readonly FluidParser Parser = new();

    private readonly TemplateOptions _templateOptions;
    private readonly FrozenDictionary<string, MessageTemplateSet> _templates;
    private readonly LanguageCode? _fallback;

    public FluidMessageTemplates(IOptions<MessagesOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var messages = options.Value;
        Folder = ResolveFolder(messages.TemplateFolder);
        _templateOptions = CreateTemplateOptions(timeProvider);

        var problems = new List<TemplateProblem>();
        var languages = new List<LanguageCode>();
        foreach (var text in messages.EffectiveLanguages)
        {
            if (!LanguageCode.TryParse(text, out var code))
            {
                problems.Add(new TemplateProblem($"{MessagesOptions.SectionName}:Languages", $"'{text}' is not a supported language (one of {string.Join(", ", LanguageCode.Shipped)})"));
            }
            else if (!languages.Contains(code))
            {
                languages.Add(code);
            }
        }

        if (LanguageCode.TryParse(messages.FallbackLanguage, out var fallback))
        {
            _fallback = fallback;
            if (!languages.Contains(fallback))
            {
                languages.Add(fallback);
            }
        }
        else
        {
            problems.Add(new TemplateProblem($"{MessagesOptions.SectionName}:FallbackLanguage", $"'{messages.FallbackLanguage}' is not a supported language (one of {string.Join(", ", LanguageCode.Shipped)})"));
        }

        var loaded = new Dictionary<string, MessageTemplateSet>(StringComparer.Ordinal);
        if (!Directory.Exists(Folder))
        {
            // One problem, not two missing files per language.
            problems.Add(new TemplateProblem(Folder, $"the template folder does not exist ({MessagesOptions.SectionName}:TemplateFolder; a relative path is resolved against {AppContext.BaseDirectory})"));
            languages.Clear();
        }

        foreach (var language in languages)
        {
            var isFallback = language == _fallback;
            foreach (var kind in MessageKinds.All)
            {
                var subjectPath = PathOf(language, MessageKinds.SubjectFile(kind));
                var bodyPath = PathOf(language, MessageKinds.BodyFile(kind));
                var subject = Load(subjectPath, isFallback, problems);
                var body = Load(bodyPath, isFallback, problems);
                if (subject is not null && body is not null)
                {
                    loaded[Key(language, kind)] = new MessageTemplateSet(language, kind, subjectPath, subject, bodyPath, body);
                }
            }
        }

        Languages = languages;
        LoadProblems = problems;
        _templates = loaded.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The template folder, absolute.</summary>
    public string Folder { get; }

    /// <summary>The configured languages and the fallback language: those that must have templates (none when the folder is missing).</summary>
    internal IReadOnlyList<LanguageCode> Languages { get; }

    /// <summary>What went wrong while reading and parsing the templates (empty when all is well).</summary>
    internal IReadOnlyList<TemplateProblem> LoadProblems { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Neither the language nor the fallback language has templates (the start-up
    /// validation reports this before any message is rendered).</exception>
    public RenderedMessage RenderAcknowledgement(LanguageCode language, AcknowledgementModel model)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(model);
        var templates = Resolve(language, MessageKinds.Acknowledgement);
        return new RenderedMessage(RenderSubject(templates, model), RenderBody(templates, model));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Neither the language nor the fallback language has templates of this kind.</exception>
    public RenderedMessage RenderUpdate(LanguageCode language, string kind, UpdateModel model)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(model);
        if (!MessageKinds.Updates.Contains(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Not an update kind (one of {string.Join(", ", MessageKinds.Updates)}).");
        }

        var templates = Resolve(language, kind);
        return new RenderedMessage(RenderSubject(templates, model), RenderBody(templates, model));
    }

    /// <summary>The templates of <paramref name="kind"/> in <paramref name="language"/>, else in the fallback language.</summary>
    private MessageTemplateSet Resolve(LanguageCode language, string kind) =>
        TemplatesFor(language, kind)
        ?? (_fallback is null ? null : TemplatesFor(_fallback, kind))
        ?? throw new InvalidOperationException($"No {kind} templates for '{language}' nor for the fallback language in {Folder}.");

    internal MessageTemplateSet? TemplatesFor(LanguageCode language, string kind = MessageKinds.Acknowledgement) =>
        _templates.GetValueOrDefault(Key(language, kind));

    internal string PathOf(LanguageCode language, string fileName) => Path.Combine(Folder, language.Value, fileName);

    internal string RenderSubject(MessageTemplateSet templates, object model) =>
        OneLine(templates.Subject.Render(Context(templates.Language, model), NullEncoder.Default));

    internal string RenderBody(MessageTemplateSet templates, object model) =>
        TidyBody(templates.Body.Render(Context(templates.Language, model), NullEncoder.Default));

    /// <summary>The value <c>{{ response_window }}</c> renders as for this language and window.</summary>
    internal static string ResponseWindowText(LanguageCode language, TimeSpan window) =>
        ResponseWindowWording.Describe(language, window);

    /// <summary>The value <c>{{ promise_date }}</c> (and the other dates) render as: the local date in the team's time zone.</summary>
    internal static string DateText(LanguageCode language, DateTimeOffset? instant, TimeZoneInfo? zone) =>
        instant is { } at ? PromiseWording.Date(language, PromiseWording.LocalDate(at, zone)) : string.Empty;

    private static string Key(LanguageCode language, string kind) => language.Value + "/" + kind;

    private TemplateContext Context(LanguageCode language, object model)
    {
        var values = model switch
        {
            AcknowledgementModel ack => new TemplateValues(
                Reference: OneLine(ack.Reference),
                CustomerName: Cut(OneLine(ack.CustomerName), MaxNameValueLength),
                OriginalSubject: Cut(WithoutReplyPrefixes(OneLine(ack.OriginalSubject)), MaxSubjectValueLength),
                ResponseWindow: ResponseWindowText(language, ack.ResponseWindow),
                TeamName: OneLine(ack.TeamName),
                StatusUrl: OneLine(ack.StatusUrl),
                PromiseDate: string.Empty,
                PromiseEarliestDate: string.Empty,
                PromiseDays: string.Empty,
                PreviousPromiseDate: string.Empty,
                Note: string.Empty,
                IsEmail: ack.IsEmail),
            UpdateModel update => UpdateValues(language, update),
            _ => throw new ArgumentException($"Unknown message model {model.GetType().Name}.", nameof(model)),
        };
        return new TemplateContext(values, _templateOptions, allowModelMembers: false);
    }

    private static TemplateValues UpdateValues(LanguageCode language, UpdateModel update)
    {
        var days = string.Empty;
        var earliest = string.Empty;
        if (update.PromiseDueAt is { } dueAt)
        {
            var (low, high) = PromiseWording.DaySpan(update.Now, update.PromiseEarliestAt, dueAt, update.TimeZone);
            days = PromiseWording.Days(language, low, high);
            // The earliest date only when it is another day than the promised one: "between Friday and Friday" says nothing.
            if (update.PromiseEarliestAt is { } earliestAt
                && PromiseWording.LocalDate(earliestAt, update.TimeZone) < PromiseWording.LocalDate(dueAt, update.TimeZone))
            {
                earliest = DateText(language, earliestAt, update.TimeZone);
            }
        }

        return new TemplateValues(
            Reference: OneLine(update.Reference),
            CustomerName: Cut(OneLine(update.CustomerName), MaxNameValueLength),
            OriginalSubject: Cut(WithoutReplyPrefixes(OneLine(update.OriginalSubject)), MaxSubjectValueLength),
            ResponseWindow: string.Empty,
            TeamName: OneLine(update.TeamName),
            StatusUrl: OneLine(update.StatusUrl),
            PromiseDate: DateText(language, update.PromiseDueAt, update.TimeZone),
            PromiseEarliestDate: earliest,
            PromiseDays: days,
            PreviousPromiseDate: DateText(language, update.PreviousPromiseDueAt, update.TimeZone),
            Note: NoteText(update.Note),
            IsEmail: update.IsEmail);
    }

    /// <summary>An agent's note as plain text: its own line breaks kept, control characters gone, cut to a sane length.</summary>
    internal static string NoteText(string? note)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return string.Empty;
        }

        var lines = note.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r').Select(OneLine);
        var text = ExtraBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim('\n');
        return Cut(text, MaxNoteValueLength);
    }

    private static TemplateOptions CreateTemplateOptions(TimeProvider timeProvider)
    {
        var options = new TemplateOptions
        {
            // Allow-list: templates reach the values of TemplateValues and nothing else of .NET.
            MemberAccessStrategy = new DefaultMemberAccessStrategy(),
            // A misspelt variable or filter is a start-up error (the validator renders every template), not a blank.
            StrictVariables = true,
            StrictFilters = true,
            CultureInfo = CultureInfo.InvariantCulture,
            MaxSteps = 100_000,
            Now = timeProvider.GetUtcNow,
        };
        var access = options.MemberAccessStrategy;
        access.Register<TemplateValues, string>("reference", v => v.Reference);
        access.Register<TemplateValues, string>("customer_name", v => v.CustomerName);
        access.Register<TemplateValues, string>("original_subject", v => v.OriginalSubject);
        access.Register<TemplateValues, string>("response_window", v => v.ResponseWindow);
        access.Register<TemplateValues, string>("team_name", v => v.TeamName);
        access.Register<TemplateValues, string>("status_url", v => v.StatusUrl);
        // The same link under the name issue 4 gives it; the shipped templates use status_url.
        access.Register<TemplateValues, string>("status_link", v => v.StatusUrl);
        access.Register<TemplateValues, string>("promise_date", v => v.PromiseDate);
        access.Register<TemplateValues, string>("promise_earliest_date", v => v.PromiseEarliestDate);
        access.Register<TemplateValues, string>("promise_days", v => v.PromiseDays);
        access.Register<TemplateValues, string>("previous_promise_date", v => v.PreviousPromiseDate);
        access.Register<TemplateValues, string>("note", v => v.Note);
        // True on email, false on a social channel: no subject line there to keep the reference in.
        access.Register<TemplateValues, bool>("is_email", v => v.IsEmail);
        return options;
    }

    private static IFluidTemplate? Load(string path, bool isFallback, List<TemplateProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(new TemplateProblem(path, isFallback
                ? "missing (the fallback language must have templates)"
                : "missing (every configured language needs a subject and a body template)"));
            return null;
        }

        string source;
        try
        {
            source = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new TemplateProblem(path, $"cannot be read: {ex.Message}"));
            return null;
        }

        if (!Parser.TryParse(source, out var template, out var error))
        {
            problems.Add(new TemplateProblem(path, $"is not valid Liquid: {OneLine(error)}"));
            return null;
        }

        return template;
    }

    private static string ResolveFolder(string folder) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(folder) ? "templates" : folder, AppContext.BaseDirectory);

    private static string Cut(string value, int maxLength) =>
        value.Length <= maxLength ? value : value[..(maxLength - 1)].TrimEnd() + "…";

    private static string WithoutReplyPrefixes(string subject) => ReplyPrefixes().Replace(subject, string.Empty);

    /// <summary>One line: line breaks and tabs become spaces, other control and bidirectional formatting characters go.</summary>
    internal static string OneLine(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\t' or '\u0085' or '\u2028' or '\u2029')
            {
                builder.Append(' ');
            }
            else if (!char.IsControl(c) && !IsBidiControl(c))
            {
                builder.Append(c);
            }
        }

        return MultipleSpaces().Replace(builder.ToString(), " ").Trim();
    }

    /// <summary>
    /// Line breaks become LF, control and bidirectional formatting characters go, trailing spaces go, and the blank lines a
    /// skipped <c>{% if %}</c> leaves behind collapse to one.
    /// </summary>
    private static string TidyBody(string body)
    {
        var builder = new StringBuilder(body.Length);
        foreach (var c in body.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c is '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                builder.Append('\n');
            }
            else if (c is '\n' or '\t' || !char.IsControl(c) && !IsBidiControl(c))
            {
                builder.Append(c);
            }
        }

        var lines = builder.ToString().Split('\n').Select(l => l.TrimEnd());
        return ExtraBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim('\n');
    }

    // U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates): they can make text read differently than it is.
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    [GeneratedRegex(@"^(?:\s*(?:re|fw|fwd|aw|wg|sv|vs|antw|odp|ответ|отв|回复|答复|转发)\s*(?:\[\d+\])?\s*[:：]\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefixes();

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();

    /// <summary>The values a template sees; registered by name with the member access strategy, nothing else is.</summary>
    private sealed record TemplateValues(
        string Reference,
        string CustomerName,
        string OriginalSubject,
        string ResponseWindow,
        string TeamName,
        string StatusUrl,
        string PromiseDate,
        string PromiseEarliestDate,
        string PromiseDays,
        string PreviousPromiseDate,
        string Note,
        bool IsEmail);
}

/// <summary>The parsed subject and body templates of one kind in one language, and where they came from.</summary>
internal sealed record MessageTemplateSet(LanguageCode Language, string Kind, string SubjectPath, IFluidTemplate Subject, string BodyPath, IFluidTemplate Body);

/// <summary>One thing wrong with the templates: the file (or configuration key) and the rule it breaks.</summary>
internal sealed record TemplateProblem(string Where, string Rule)
{
    public override string ToString() => $"{Where}: {Rule}";
}
