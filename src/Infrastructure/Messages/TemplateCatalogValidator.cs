using System.Text;
using Microsoft.Extensions.Logging;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// Checks the message templates at start, so a broken one is a start-up error and not a surprise at 3 a.m. For every
/// configured language and the fallback language: both templates exist, parse and render (with and without the optional
/// values, with an hour-long and a seconds-long window); the subject carries the reference; the body carries the response
/// window and does not quote the customer's subject; neither contains a phrase from <c>{TemplateFolder}/forbidden/{lang}.txt</c>.
/// All problems are reported at once.
/// </summary>
public sealed partial class TemplateCatalogValidator(FluidMessageTemplates templates, ILogger<TemplateCatalogValidator> logger)
{
    public const string ForbiddenFolderName = "forbidden";

    internal const string SampleReference = "SW-2026-000123";

    // A marker the body must not repeat: the customer's words go back only in the subject.
    internal const string SampleSubject = "Parcel 4711 never arrived";

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
            var set = templates.TemplatesFor(language);
            var forbidden = ReadForbiddenPhrases(language, problems);
            if (set is null)
            {
                continue; // Missing or unparsable: already reported.
            }

            foreach (var sample in Samples())
            {
                Check(set, sample, forbidden, problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new TemplateValidationException(templates.Folder, problems);
        }

        LogTemplatesValid(logger, templates.Languages, templates.Folder);
    }

    private void Check(AcknowledgementTemplates set, AcknowledgementModel sample, IReadOnlyList<string> forbidden, List<string> problems)
    {
        var subject = TryRender(() => templates.RenderSubject(set, sample), set.SubjectPath, problems);
        if (subject is not null)
        {
            if (!subject.Contains(sample.Reference, StringComparison.Ordinal))
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
            var window = FluidMessageTemplates.ResponseWindowText(set.Language, sample.ResponseWindow);
            if (!body.Contains(window, StringComparison.Ordinal))
            {
                Add(problems, $"{set.BodyPath}: the rendered body does not contain the response window ({{{{ response_window }}}}, here \"{window}\")");
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

    // Both branches of the optional values, an ordinary window and a compressed one (tests and demos run on seconds).
    private static IEnumerable<AcknowledgementModel> Samples()
    {
        yield return new AcknowledgementModel(SampleReference, "Alex Example", SampleSubject, TimeSpan.FromHours(1), "The Customer Care team", "https://support.example.com/status/abc123");
        yield return new AcknowledgementModel(SampleReference, null, SampleSubject, TimeSpan.FromSeconds(30), "The Customer Care team", null);
        yield return new AcknowledgementModel(SampleReference, string.Empty, string.Empty, TimeSpan.FromMinutes(90), "The Customer Care team", string.Empty);
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
