using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Messages;

namespace SlaWatch.Infrastructure.Tests.Messages;

public sealed class TemplateCatalogValidatorTests : IDisposable
{
    private readonly TemplateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void Validate(string fallback = "en", params string[] languages)
    {
        var options = Options.Create(new MessagesOptions { TemplateFolder = _folder.Root, Languages = languages, FallbackLanguage = fallback });
        var templates = new FluidMessageTemplates(options, TimeProvider.System);
        new TemplateCatalogValidator(templates, NullLogger<TemplateCatalogValidator>.Instance).ValidateAll();
    }

    [Fact]
    public void ValidateAll_ShippedTemplates_Passes()
    {
        var options = Options.Create(new MessagesOptions { TemplateFolder = TemplateFolder.Shipped });
        var validator = new TemplateCatalogValidator(new FluidMessageTemplates(options, TimeProvider.System), NullLogger<TemplateCatalogValidator>.Instance);

        var ex = Record.Exception(validator.ValidateAll);

        Assert.Null(ex);
    }

    [Fact]
    public void ValidateAll_SubjectWithoutReference_ThrowsNamingTheFile()
    {
        _folder.Write("ru", FluidMessageTemplates.SubjectFileName, "Re: {{ original_subject }}");

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("ru", FluidMessageTemplates.SubjectFileName)}: the rendered subject does not contain the reference", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_BrokenLiquid_ThrowsNamingTheFile()
    {
        _folder.Edit("nl", FluidMessageTemplates.BodyFileName, body => body.Replace("{% endif %}", string.Empty, StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("nl", FluidMessageTemplates.BodyFileName)}: is not valid Liquid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_ForbiddenPhrase_ThrowsNamingTheFileAndThePhrase()
    {
        _folder.Edit("en", FluidMessageTemplates.BodyFileName, body => body.Replace("Kind regards,", "For details, see our website.\n\nKind regards,", StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("en", FluidMessageTemplates.BodyFileName)}: contains the forbidden phrase \"see our website\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_PhraseAddedByOps_IsForbiddenToo()
    {
        File.AppendAllText(Path.Combine(_folder.Root, "forbidden", "lt.txt"), "\n# added by ops\nmūsų komandos darbuotojas\n");

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains("contains the forbidden phrase \"mūsų komandos darbuotojas\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_ForbiddenPhraseOnlyInTheSocialBranch_IsFoundToo()
    {
        _folder.Edit("en", FluidMessageTemplates.BodyFileName, body => body.Replace("please mention {{ reference }} in your message.", "please mention {{ reference }}; see our website.", StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("en", FluidMessageTemplates.BodyFileName)}: contains the forbidden phrase \"see our website\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_BodyWithoutResponseWindow_Throws()
    {
        _folder.Edit("tl", FluidMessageTemplates.BodyFileName, body => body.Replace(" sa loob ng {{ response_window }}", string.Empty, StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("tl", FluidMessageTemplates.BodyFileName)}: the rendered body does not contain the response window", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_MisspeltVariable_ThrowsNamingTheFile()
    {
        _folder.Write("zh", FluidMessageTemplates.SubjectFileName, "[{{ reference }}] Re: {{ orginal_subject }}");

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains($"{_folder.FileOf("zh", FluidMessageTemplates.SubjectFileName)}: does not render", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_BodyQuotingTheCustomersSubject_Throws()
    {
        _folder.Edit("en", FluidMessageTemplates.BodyFileName, body => body + "\nYou wrote: {{ original_subject }}\n");

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains("the body quotes the customer's subject", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_FallbackLanguageWithoutTemplates_Throws()
    {
        Directory.Delete(Path.Combine(_folder.Root, "en"), recursive: true);

        var ex = Assert.Throws<TemplateValidationException>(() => Validate("en", "ru", "nl"));

        Assert.Contains($"{_folder.FileOf("en", FluidMessageTemplates.SubjectFileName)}: missing (the fallback language must have templates)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_MissingFolder_ThrowsOneProblemNamingTheKey()
    {
        Directory.Delete(_folder.Root, recursive: true);
        Directory.CreateDirectory(_folder.Root);
        var options = Options.Create(new MessagesOptions { TemplateFolder = Path.Combine(_folder.Root, "nowhere") });
        var validator = new TemplateCatalogValidator(new FluidMessageTemplates(options, TimeProvider.System), NullLogger<TemplateCatalogValidator>.Instance);

        var ex = Assert.Throws<TemplateValidationException>(validator.ValidateAll);

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("SlaWatch:Messages:TemplateFolder", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_MissingForbiddenList_Throws()
    {
        File.Delete(Path.Combine(_folder.Root, "forbidden", "ru.txt"));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Contains(Path.Combine(_folder.Root, "forbidden", "ru.txt") + ": missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_UnsupportedLanguageConfigured_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<TemplateValidationException>(() => Validate("en", "en", "de"));

        Assert.Contains("SlaWatch:Messages:Languages: 'de' is not a supported language", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_SeveralProblems_ListsThemAllAtOnce()
    {
        _folder.Write("ru", FluidMessageTemplates.SubjectFileName, "Re: {{ original_subject }}");
        _folder.Write("lt", FluidMessageTemplates.BodyFileName, "{% if %}");
        File.Delete(_folder.FileOf("zh", FluidMessageTemplates.BodyFileName));

        var ex = Assert.Throws<TemplateValidationException>(() => Validate());

        Assert.Equal(3, ex.Problems.Count);
        Assert.StartsWith("3 problems with the message templates in ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_OnlyConfiguredLanguagesAndFallback_AreChecked()
    {
        Directory.Delete(Path.Combine(_folder.Root, "zh"), recursive: true);

        var ex = Record.Exception(() => Validate("en", "en", "ru"));

        Assert.Null(ex);
    }
}
