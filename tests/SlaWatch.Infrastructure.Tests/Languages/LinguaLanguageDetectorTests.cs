using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Languages;

namespace SlaWatch.Infrastructure.Tests.Languages;

/// <summary>One real Lingua detector for the six shipped languages, shared by the tests of a class: its models are heavy.</summary>
public sealed class ShippedLanguagesDetectorFixture
{
    public LinguaLanguageDetector Detector { get; } = new(Options.Create(new MessagesOptions()));
}

public sealed class LinguaLanguageDetectorTests(ShippedLanguagesDetectorFixture fixture) : IClassFixture<ShippedLanguagesDetectorFixture>
{
    private readonly LinguaLanguageDetector _detector = fixture.Detector;

    [Theory]
    [InlineData("en", "My package never arrived and nobody answers the phone.")]
    [InlineData("en", "You charged me twice for the same order.")]
    [InlineData("en", "Still waiting for my refund after three weeks.")]
    [InlineData("ru", "Посылка так и не пришла, а на звонки никто не отвечает.")]
    [InlineData("ru", "С меня дважды списали деньги за один заказ.")]
    [InlineData("ru", "Жду возврат денег уже три недели.")]
    [InlineData("nl", "Mijn pakket is nooit aangekomen en niemand neemt de telefoon op.")]
    [InlineData("nl", "Jullie hebben twee keer afgeschreven voor dezelfde bestelling.")]
    [InlineData("nl", "Ik wacht al drie weken op mijn terugbetaling.")]
    [InlineData("tl", "Hindi dumating ang package ko at walang sumasagot sa telepono.")]
    [InlineData("tl", "Dalawang beses akong siningil para sa iisang order.")]
    [InlineData("tl", "Tatlong linggo na akong naghihintay sa refund ko.")]
    [InlineData("zh", "我的包裹一直没有收到，打电话也没人接。")]
    [InlineData("zh", "同一个订单被扣了两次钱。")]
    [InlineData("zh", "退款三个星期了还没到账。")]
    [InlineData("lt", "Mano siuntinys taip ir neatkeliavo, o telefonu niekas neatsiliepia.")]
    [InlineData("lt", "Už tą patį užsakymą nuskaitėte pinigus du kartus.")]
    [InlineData("lt", "Jau tris savaites laukiu pinigų grąžinimo.")]
    public void Detect_ShortComplaint_DetectsItsLanguage(string expected, string text)
    {
        var language = _detector.Detect(text, hint: null, fallback: LanguageCode.English);

        Assert.Equal(expected, language.Value);
    }

    [Fact]
    public void Detect_SubjectAndBodyAsTheHandlerJoinsThem_DetectsLanguage()
    {
        const string text = "Bestelling 4711\nGoedendag, mijn bestelling is beschadigd aangekomen. Wat nu?";

        var language = _detector.Detect(text, hint: null, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Dutch, language);
    }

    [Theory]
    [InlineData("Hello")]
    [InlineData("Refund please")]
    [InlineData("ok")]
    [InlineData("12345 !!!")]
    [InlineData("")]
    public void Detect_TooShortText_UsesHint(string text)
    {
        var language = _detector.Detect(text, hint: LanguageCode.Tagalog, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Tagalog, language);
    }

    [Fact]
    public void Detect_TooShortTextWithoutHint_UsesFallback()
    {
        var language = _detector.Detect("Hello", hint: null, fallback: LanguageCode.Lithuanian);

        Assert.Equal(LanguageCode.Lithuanian, language);
    }

    [Fact]
    public void Detect_ClearTextWithOtherHint_TextWins()
    {
        var language = _detector.Detect("Мой заказ до сих пор не пришёл, помогите пожалуйста.", hint: LanguageCode.English, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Russian, language);
    }

    [Fact]
    public void Detect_QuotedReplyInAnotherLanguage_DetectsTheCustomersOwnWords()
    {
        const string text = """
            Re: [SW-2026-000123] Your order
            Ik heb nog steeds niets ontvangen, dit duurt echt te lang.

            On Mon, 2 Mar 2026 at 10:00, Customer Care <care@example.com> wrote:
            > Dear customer, we are sorry for the trouble you have had, and thank you for taking the time to tell us.
            > Your message has reached us and is registered under reference SW-2026-000123. A member of our team
            > will reply to you personally within 1 hour. If you write to us again, please keep the reference.
            """;

        var language = _detector.Detect(text, hint: null, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Dutch, language);
    }

    [Fact]
    public void Detect_SignatureInAnotherLanguage_IsIgnored()
    {
        const string text = """
            Hindi pa rin dumarating ang order ko, sobrang tagal na.
            --
            Sent from my phone. This email and any attachments are confidential and intended solely for the addressee.
            If you have received this email in error please notify the sender and delete it from your system.
            """;

        var language = _detector.Detect(text, hint: null, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Tagalog, language);
    }

    [Fact]
    public void Detect_OutlookReplyWithHeaderBlock_DetectsTheCustomersOwnWords()
    {
        const string text = """
            Mano užsakymas vis dar neatvyko, prašau paskubėti.

            From: Customer Care <care@example.com>
            Sent: Monday, March 2, 2026 10:00 AM
            To: Customer <customer@example.org>
            Subject: [SW-2026-000123] Your order

            Dear customer, we are sorry for the trouble you have had, and thank you for taking the time to tell us.
            A member of our team will reply to you personally within 1 hour.
            """;

        var language = _detector.Detect(text, hint: null, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Lithuanian, language);
    }

    [Fact]
    public void Detect_OpeningInOneLanguageThenPastedEnglish_TheOpeningDecides()
    {
        // Customers paste error messages and product texts, often in English, below their own words.
        var text = "Mijn bestelling is nog steeds niet aangekomen en de app geeft steeds dezelfde foutmelding als ik wil betalen. "
            + "Ik heb het drie keer geprobeerd en niemand van de klantenservice belt terug. Hier is de melding:\n"
            + string.Concat(Enumerable.Repeat("Error: the payment could not be processed because the session has expired. Please sign in again and retry the transaction. ", 4));

        Assert.Equal(LanguageCode.Dutch, _detector.Detect(text, null, LanguageCode.English));
    }

    [Fact]
    public void Detect_OnlyQuotedText_UsesHint()
    {
        const string text = "> Dear customer, we are sorry for the trouble you have had.\n> A member of our team will reply within 1 hour.";

        var language = _detector.Detect(text, hint: LanguageCode.Chinese, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Chinese, language);
    }

    [Fact]
    public void Detect_ManyThreadsAtOnce_AllDetectRight()
    {
        string[] texts = ["Mijn pakket is nooit aangekomen.", "Посылка так и не пришла.", "Jau tris savaites laukiu pinigų grąžinimo."];
        string[] expected = ["nl", "ru", "lt"];
        var results = new string[300];

        Parallel.For(0, results.Length, i => results[i] = _detector.Detect(texts[i % 3], null, LanguageCode.English).Value);

        Assert.All(Enumerable.Range(0, results.Length), i => Assert.Equal(expected[i % 3], results[i]));
    }
}

public sealed class LinguaLanguageDetectorConfigurationTests
{
    [Fact]
    public void Detect_TextInLanguageNotConfigured_UsesFallback()
    {
        var detector = new LinguaLanguageDetector(Options.Create(new MessagesOptions { Languages = ["en", "nl"] }));

        var language = detector.Detect("Мой заказ до сих пор не пришёл, и никто не отвечает.", hint: null, fallback: LanguageCode.Dutch);

        Assert.Equal(LanguageCode.Dutch, language);
    }

    [Fact]
    public void Detect_HintNotConfigured_UsesFallback()
    {
        var detector = new LinguaLanguageDetector(Options.Create(new MessagesOptions { Languages = ["en", "nl"] }));

        var language = detector.Detect("Hello", hint: LanguageCode.Russian, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.English, language);
    }

    [Fact]
    public void Detect_OneLanguageConfigured_ReturnsIt()
    {
        var detector = new LinguaLanguageDetector(Options.Create(new MessagesOptions { Languages = ["lt"] }));

        var language = detector.Detect("My package never arrived and nobody answers the phone.", hint: null, fallback: LanguageCode.English);

        Assert.Equal(LanguageCode.Lithuanian, language);
    }

    [Fact]
    public void Constructor_UnsupportedLanguage_ThrowsNamingTheKey()
    {
        var act = () => new LinguaLanguageDetector(Options.Create(new MessagesOptions { Languages = ["en", "de"] }));

        var ex = Assert.Throws<InvalidOperationException>(act);
        Assert.Contains("SlaWatch:Messages:Languages", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'de'", ex.Message, StringComparison.Ordinal);
    }
}
