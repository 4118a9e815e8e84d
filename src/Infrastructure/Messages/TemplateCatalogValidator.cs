using System.Text;
using Microsoft.Extensions.Logging;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// Checks the message templates at start, so a broken one is a start-up error and not a surprise at 3 a.m. For every
/// configured language and the fallback language, and every kind of message (<see cref="MessageKinds.All"/>): both
/// templates exist, parse and render (with and without the optional values; on email and on a social channel; an hour-long and a seconds-long window; a
/// promise with and without a margin, and one due today); the subject carries the reference; the body does not quote the
/// customer's subject and carries the status link when there is one; neither contains a phrase from
/// <c>{TemplateFolder}/forbidden/{lang}.txt</c>. Each kind's own content must be there too: the acknowledgement's response
/// window, the promised date of a promise (set or moved), the agent's note. All problems are reported at once.
/// </summary>
public sealed partial class TemplateCatalogValidator(FluidMessageTemplates templates, ILogger<TemplateCatalogValidator> logger)
{
    public const string ForbiddenFolderName = "forbidden";

    internal const string SampleReference = "SW-2026-000123";

    // A marker the body must not repeat: the customer's words go back only in the subject.
    internal const string SampleSubject = "Parcel 4711 never arrived";

    internal const string SampleStatusUrl = "https://support.example.com/status/abc123";

    internal const string SampleNote = "The replacement part left our warehouse this morning.";

    /// <summary>Runs every check; throws when any fails.</summary>
    /// <exception cref="TemplateValidationException">Lists every problem, each with the file and the rule it breaks.</exception>
    public void ValidateAll()
    {
        var problems = new List<string>();
        foreach (var problem in templates.LoadProblems)
        {
            Add(problems, problem.ToString());
        }

        foreach (var language in templates.Languages)
        {
            var forbidden = ReadForbiddenPhrases(language, problems);
            foreach (var kind in MessageKinds.All)
            {
                var set = templates.TemplatesFor(language, kind);
                if (set is null)
                {
                    continue; // Missing or unparsable: already reported.
                }

                foreach (var sample in kind == MessageKinds.Acknowledgement ? Samples().Cast<object>() : UpdateSamples())
                {
                    Check(set, sample, forbidden, problems);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new TemplateValidationException(templates.Folder, problems);
        }

        LogTemplatesValid(logger, templates.Languages, templates.Folder);
    }

    private void Check(MessageTemplateSet set, object sample, IReadOnlyList<string> forbidden, List<string> problems)
    {
        var subject = TryRender(() => templates.RenderSubject(set, sample), set.SubjectPath, problems);
        if (subject is not null)
        {
            if (!subject.Contains(SampleReference, StringComparison.Ordinal))
            {
                Add(problems, $"{set.SubjectPath}: the rendered subject does not contain the reference ({{{{ reference }}}})");
            }

            foreach (var phrase in ForbiddenPhrases.FindIn(subject, forbidden))
            {
                Add(problems, $"{set.SubjectPath}: contains the forbidden phrase \"{phrase}\" (listed in {ForbiddenPathOf(set.Language)})");
            }
        }

        var body = TryRender(() => templates.RenderBody(set, sample), set.BodyPath, problems);
        if (body is not null)
        {
            CheckKindContent(set, sample, body, problems);
            var statusUrl = sample switch
            {
                AcknowledgementModel ack => ack.StatusUrl,
                UpdateModel update => update.StatusUrl,
                _ => null,
            };
            if (!string.IsNullOrEmpty(statusUrl) && !body.Contains(statusUrl, StringComparison.Ordinal))
            {
                Add(problems, $"{set.BodyPath}: the rendered body does not contain the status link ({{{{ status_url }}}}) when there is one");
            }

            if (body.Contains(SampleSubject, StringComparison.Ordinal))
            {
                Add(problems, $"{set.BodyPath}: the body quotes the customer's subject ({{{{ original_subject }}}}); only the subject may");
            }

            foreach (var phrase in ForbiddenPhrases.FindIn(body, forbidden))
            {
                Add(problems, $"{set.BodyPath}: contains the forbidden phrase \"{phrase}\" (listed in {ForbiddenPathOf(set.Language)})");
            }
        }
    }

    /// <summary>What each kind of message must say: the window, the date, the note.</summary>
    private static void CheckKindContent(MessageTemplateSet set, object sample, string body, List<string> problems)
    {
        switch (sample)
        {
            case AcknowledgementModel ack:
                var window = FluidMessageTemplates.ResponseWindowText(set.Language, ack.ResponseWindow);
                if (!body.Contains(window, StringComparison.Ordinal))
                {
                    Add(problems, $"{set.BodyPath}: the rendered body does not contain the response window ({{{{ response_window }}}}, here \"{window}\")");
                }

                break;
            case UpdateModel update when set.Kind is MessageKinds.PromiseSet or MessageKinds.PromiseMoved:
                var date = FluidMessageTemplates.DateText(set.Language, update.PromiseDueAt, update.TimeZone);
                if (!body.Contains(date, StringComparison.Ordinal))
                {
                    Add(problems, $"{set.BodyPath}: the rendered body does not contain the promised date ({{{{ promise_date }}}}, here \"{date}\")");
                }

                break;
            case UpdateModel update when set.Kind == MessageKinds.Note:
                if (!body.Contains(FluidMessageTemplates.NoteText(update.Note), StringComparison.Ordinal))
                {
                    Add(problems, $"{set.BodyPath}: the rendered body does not contain the agent's note ({{{{ note }}}})");
                }

                break;
            default:
                break;
        }
    }

    private static string? TryRender(Func<string> render, string path, List<string> problems)
    {
        try
        {
            return render();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fluid reports an unknown variable or filter, a step limit or a bad filter argument with various exception types.
            Add(problems, $"{path}: does not render: {FluidMessageTemplates.OneLine(ex.Message)}");
            return null;
        }
    }

    private IReadOnlyList<string> ReadForbiddenPhrases(LanguageCode language, List<string> problems)
    {
        var path = ForbiddenPathOf(language);
        if (!File.Exists(path))
        {
            Add(problems, $"{path}: missing (the list of phrases the seeds warn against, one per line)");
            return [];
        }

        try
        {
            return ForbiddenPhrases.Parse(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Add(problems, $"{path}: cannot be read: {ex.Message}");
            return [];
        }
    }

    private string ForbiddenPathOf(LanguageCode language) => Path.Combine(templates.Folder, ForbiddenFolderName, language.Value + ".txt");

    // Both branches of the optional values, an ordinary window and a compressed one (tests and demos run on seconds),
    // on email and on a social channel (no subject there; a social acknowledgement has no original subject either).
    private static IEnumerable<AcknowledgementModel> Samples()
    {
        yield return new AcknowledgementModel(SampleReference, "Alex Example", SampleSubject, TimeSpan.FromHours(1), "The Customer Care team", SampleStatusUrl);
        yield return new AcknowledgementModel(SampleReference, null, SampleSubject, TimeSpan.FromSeconds(30), "The Customer Care team", null);
        yield return new AcknowledgementModel(SampleReference, string.Empty, string.Empty, TimeSpan.FromMinutes(90), "The Customer Care team", string.Empty);
        yield return new AcknowledgementModel(SampleReference, "Alex Example", string.Empty, TimeSpan.FromHours(1), "The Customer Care team", SampleStatusUrl, IsEmail: false);
        yield return new AcknowledgementModel(SampleReference, null, string.Empty, TimeSpan.FromSeconds(30), "The Customer Care team", null, IsEmail: false);
    }

    // A promise with a margin, one without, one due today (no span of days), and the optional values present and absent.
    private static IEnumerable<UpdateModel> UpdateSamples()
    {
        var now = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        yield return new UpdateModel(SampleReference, "Alex Example", SampleSubject, "The Customer Care team", SampleStatusUrl, now, null, now.AddDays(4), now.AddDays(3), now.AddDays(2), SampleNote);
        yield return new UpdateModel(SampleReference, null, SampleSubject, "The Customer Care team", null, now, null, now.AddDays(1), null, now.AddDays(5), SampleNote);
        yield return new UpdateModel(SampleReference, string.Empty, string.Empty, "The Customer Care team", string.Empty, now, null, now.AddHours(5), now.AddHours(1), null, SampleNote + "\nA second line.");
        yield return new UpdateModel(SampleReference, "Alex Example", string.Empty, "The Customer Care team", SampleStatusUrl, now, null, now.AddDays(4), now.AddDays(3), now.AddDays(2), SampleNote, IsEmail: false);
    }

    private static void Add(List<string> problems, string problem)
    {
        if (!problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Message templates checked for {Languages} in {Folder}")]
    private static partial void LogTemplatesValid(ILogger logger, IReadOnlyList<LanguageCode> languages, string folder);
}

/// <summary>The message templates break a rule checked at start; the message lists every problem with its file.</summary>
public sealed class TemplateValidationException : Exception
{
    public TemplateValidationException()
        : this("The message templates are not valid.")
    {
    }

    public TemplateValidationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public TemplateValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public TemplateValidationException(string folder, IReadOnlyList<string> problems)
        : base(Format(folder, problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem: the file (or configuration key) and the rule it breaks.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string folder, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var builder = new StringBuilder();
        builder.Append(problems.Count == 1 ? "1 problem" : $"{problems.Count} problems")
            .Append(" with the message templates in ").Append(folder).Append(':');
        foreach (var problem in problems)
        {
            builder.Append("\n  - ").Append(problem);
        }

        return builder.ToString();
    }
}
