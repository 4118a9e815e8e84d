using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Messages;

namespace SlaWatch.Infrastructure.Tests.Messages;

/// <summary>The update templates (promise set or moved, still on it, resolved, note) as shipped, and their start-up checks.</summary>
public sealed class UpdateTemplatesTests : IDisposable
{
    private const string Reference = "SW-2026-000042";

    // Monday 30 November 2026, 10:00 UTC.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly TemplateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private FluidMessageTemplates Shipped() =>
        new(Options.Create(new MessagesOptions { TemplateFolder = "templates" }), _clock);

    private UpdateModel Model(int dueInDays, int? marginDays = null, string? note = null, int? previousInDays = null)
    {
        var now = _clock.GetUtcNow();
        var due = now.AddDays(dueInDays);
        return new UpdateModel(
            Reference, "Alex", "Where is my parcel?", "Customer Care", "https://support.example.com/status/t", now, null,
            due, marginDays is { } m ? due.AddDays(-m) : null, previousInDays is { } p ? now.AddDays(p) : null, note);
    }

    [Theory]
    [InlineData("en", "Normally it will be resolved within 3 to 4 days: between Thursday 3 December 2026 and Friday 4 December 2026.")]
    [InlineData("ru", "В обычных условиях вопрос будет решён в течение 3–4 дней: в период с 3 декабря 2026 г. (четверг) по 4 декабря 2026 г. (пятница).")]
    [InlineData("nl", "Normaal gesproken is het binnen 3 tot 4 dagen opgelost: tussen donderdag 3 december 2026 en vrijdag 4 december 2026.")]
    [InlineData("tl", "Karaniwan po, maaayos ito sa loob ng 3 hanggang 4 na araw: sa pagitan ng Huwebes, Disyembre 3, 2026 at Biyernes, Disyembre 4, 2026.")]
    [InlineData("zh", "在正常情况下，这个问题会在3到4天内得到妥善解决，也就是在2026年12月3日（星期四）至2026年12月4日（星期五）之间。")]
    [InlineData("lt", "Įprastomis sąlygomis jūsų klausimas bus išspręstas per 3–4 dienas: nuo 2026 m. gruodžio 3 d. (ketvirtadienis) iki 2026 m. gruodžio 4 d. (penktadienis).")]
    public void RenderUpdate_PromiseWithAMarginOfOneDay_StatesTheSpanAndBothDates(string language, string sentence)
    {
        var message = Shipped().RenderUpdate(LanguageCode.Parse(language), MessageKinds.PromiseSet, Model(4, marginDays: 1));

        Assert.StartsWith($"[{Reference}] Re: Where is my parcel?", message.Subject, StringComparison.Ordinal);
        Assert.Contains(sentence, message.Body, StringComparison.Ordinal);
        Assert.Contains("https://support.example.com/status/t", message.Body, StringComparison.Ordinal);
        Assert.EndsWith("Customer Care", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderUpdate_PromiseWithoutMargin_StatesTheLatestDate()
    {
        var message = Shipped().RenderUpdate(LanguageCode.English, MessageKinds.PromiseSet, Model(4));

        Assert.Contains("Normally it will be resolved within 4 days, by Friday 4 December 2026 at the latest.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderUpdate_PromiseDueToday_SaysTodayWithoutASpanOfDays()
    {
        var model = Model(0) with { PromiseDueAt = _clock.GetUtcNow().AddHours(3) };

        var message = Shipped().RenderUpdate(LanguageCode.English, MessageKinds.PromiseSet, model);

        Assert.Contains("Normally it will be resolved today, Monday 30 November 2026.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderUpdate_PromiseMoved_ApologisesAndGivesThePreviousAndTheNewDate()
    {
        var message = Shipped().RenderUpdate(LanguageCode.English, MessageKinds.PromiseMoved, Model(6, previousInDays: 3));

        Assert.Contains("(it was Thursday 3 December 2026)", message.Body, StringComparison.Ordinal);
        Assert.Contains("We apologise", message.Body, StringComparison.Ordinal);
        Assert.Contains("Sunday 6 December 2026", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderUpdate_Note_KeepsItsLinesDropsControlCharactersAndIsNotHtmlEncoded()
    {
        var note = "Part shipped <today>.\r\nTracking: 123\u0007\u202E";

        var message = Shipped().RenderUpdate(LanguageCode.English, MessageKinds.Note, Model(4, note: note));

        Assert.Contains("Part shipped <today>.\nTracking: 123\n", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', message.Body);
        Assert.DoesNotContain('\u202E', message.Body);
    }

    [Fact]
    public void RenderUpdate_LongNote_IsCut()
    {
        var message = Shipped().RenderUpdate(LanguageCode.English, MessageKinds.Note, Model(4, note: new string('x', 5000)));

        Assert.DoesNotContain(new string('x', FluidMessageTemplates.MaxNoteValueLength + 1), message.Body, StringComparison.Ordinal);
        Assert.Contains(new string('x', FluidMessageTemplates.MaxNoteValueLength - 1) + "…", message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("still-open")]
    [InlineData("resolved")]
    public void RenderUpdate_EachLanguage_HasTheReferenceInSubjectAndBody(string kind)
    {
        foreach (var language in LanguageCode.Shipped)
        {
            var message = Shipped().RenderUpdate(language, kind, Model(4));

            Assert.Contains(Reference, message.Subject, StringComparison.Ordinal);
            Assert.Contains(Reference, message.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RenderAcknowledgement_StatusLinkAlias_RendersTheSameLink()
    {
        _folder.Edit("en", FluidMessageTemplates.BodyFileName, body => body.Replace("{{ status_url }}", "{{ status_link }}", StringComparison.Ordinal));
        var templates = new FluidMessageTemplates(Options.Create(new MessagesOptions { TemplateFolder = _folder.Root }), _clock);

        var message = templates.RenderAcknowledgement(LanguageCode.English, new AcknowledgementModel(Reference, null, "x", TimeSpan.FromHours(1), "Customer Care", "https://support.example.com/status/t"));

        Assert.Contains("You can follow your case here: https://support.example.com/status/t", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_PromiseTemplateWithoutTheDate_ThrowsNamingTheFile()
    {
        _folder.Write("nl", MessageKinds.BodyFile(MessageKinds.PromiseSet), "Beste klant,\n\nWe lossen melding {{ reference }} zo snel mogelijk op.\n\n{{ status_url }}\n{{ team_name }}");

        var ex = Assert.Throws<TemplateValidationException>(Validate);

        Assert.Contains($"{_folder.FileOf("nl", MessageKinds.BodyFile(MessageKinds.PromiseSet))}: the rendered body does not contain the promised date", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_UpdateWithoutTheStatusLink_Throws()
    {
        _folder.Edit("ru", MessageKinds.BodyFile(MessageKinds.StillOpen), body => body.Replace("{{ status_url }}", string.Empty, StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(Validate);

        Assert.Contains($"{_folder.FileOf("ru", MessageKinds.BodyFile(MessageKinds.StillOpen))}: the rendered body does not contain the status link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_NoteTemplateWithoutTheNote_Throws()
    {
        _folder.Edit("lt", MessageKinds.BodyFile(MessageKinds.Note), body => body.Replace("{{ note }}", string.Empty, StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(Validate);

        Assert.Contains("does not contain the agent's note", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_MissingUpdateTemplate_ThrowsNamingTheFile()
    {
        File.Delete(_folder.FileOf("tl", MessageKinds.SubjectFile(MessageKinds.Resolved)));

        var ex = Assert.Throws<TemplateValidationException>(Validate);

        Assert.Contains($"{_folder.FileOf("tl", MessageKinds.SubjectFile(MessageKinds.Resolved))}: missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAll_ForbiddenPhraseInAnUpdate_Throws()
    {
        _folder.Edit("en", MessageKinds.BodyFile(MessageKinds.Resolved), body => body.Replace("Kind regards,", "That is company policy.\n\nKind regards,", StringComparison.Ordinal));

        var ex = Assert.Throws<TemplateValidationException>(Validate);

        Assert.Contains("contains the forbidden phrase \"that is company policy\"", ex.Message, StringComparison.Ordinal);
    }

    private void Validate()
    {
        var options = Options.Create(new MessagesOptions { TemplateFolder = _folder.Root });
        new TemplateCatalogValidator(new FluidMessageTemplates(options, _clock), NullLogger<TemplateCatalogValidator>.Instance).ValidateAll();
    }
}
