using System.Text;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Escalation;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Escalation;

/// <summary>
/// Reads the phrase lists that escalate a complaint by content — <c>{TemplateFolder}/escalation/{lang}.txt</c> for every
/// configured language (<see cref="MessagesOptions.EffectiveLanguages"/>) and the fallback language — and combines them, so
/// every text is checked against every list. A relative template folder is resolved against the application's folder, as
/// for the message templates.
/// </summary>
public sealed class ContentRulesLoader(IOptions<MessagesOptions> options)
{
    /// <summary>The sub-folder of the template folder that holds the lists.</summary>
    public const string FolderName = "escalation";

    /// <summary>Reads and combines the lists.</summary>
    /// <exception cref="ContentRulesException">A list is missing, unreadable or malformed, or a language is not supported;
    /// the message lists every problem, each with the file (or key) it concerns.</exception>
    public ContentEscalationRules Load()
    {
        ArgumentNullException.ThrowIfNull(options);
        var messages = options.Value;
        var folder = Path.Combine(ResolveTemplateFolder(messages.TemplateFolder), FolderName);
        var problems = new List<string>();
        var languages = new List<LanguageCode>();
        foreach (var text in messages.EffectiveLanguages.Append(messages.FallbackLanguage))
        {
            if (!LanguageCode.TryParse(text, out var code))
            {
                problems.Add($"{MessagesOptions.SectionName}:Languages / FallbackLanguage: '{text}' is not a supported language (one of {string.Join(", ", LanguageCode.Shipped)})");
            }
            else if (!languages.Contains(code))
            {
                languages.Add(code);
            }
        }

        var rules = new List<ContentEscalationRules>();
        foreach (var language in languages)
        {
            var path = Path.Combine(folder, language.Value + ".txt");
            if (!File.Exists(path))
            {
                problems.Add($"{path}: missing (the phrases that escalate a complaint in '{language}': sections [manager], [abuse], [legal]; {MessagesOptions.SectionName}:TemplateFolder, a relative path is resolved against {AppContext.BaseDirectory})");
                continue;
            }

            try
            {
                rules.Add(ContentEscalationRules.Parse(language.Value, File.ReadAllText(path, Encoding.UTF8)));
            }
            catch (FormatException ex)
            {
                problems.Add($"{path}: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot be read: {ex.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ContentRulesException(problems);
        }

        return ContentEscalationRules.Combine(rules);
    }

    /// <summary>The template folder, absolute: a relative path is resolved against <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string ResolveTemplateFolder(string? templateFolder) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(templateFolder) ? "templates" : templateFolder, AppContext.BaseDirectory);
}

/// <summary>The content escalation lists cannot be loaded; the message names every file and what is wrong with it.</summary>
public sealed class ContentRulesException : Exception
{
    public ContentRulesException()
        : this("The content escalation phrase lists cannot be loaded.")
    {
    }

    public ContentRulesException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public ContentRulesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public ContentRulesException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem, with its file or configuration key.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var builder = new StringBuilder("The content escalation phrase lists cannot be loaded:");
        foreach (var problem in problems)
        {
            builder.Append("\n  - ").Append(problem);
        }

        return builder.ToString();
    }
}
