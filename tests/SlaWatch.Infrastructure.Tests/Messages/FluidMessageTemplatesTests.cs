using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Messages;

namespace SlaWatch.Infrastructure.Tests.Messages;

public sealed class FluidMessageTemplatesTests
{
    private const string Reference = "SW-2026-000042";

    private static FluidMessageTemplates Shipped(params string[] languages) =>
        new(Options.Create(new MessagesOptions { TemplateFolder = "templates", Languages = languages }), TimeProvider.System);

    private static AcknowledgementModel Model(
        TimeSpan? window = null,
        string subject = "Where is my parcel?",
        string? name = "Alex",
        string? statusUrl = null,
        bool isEmail = true) =>
        new(Reference, name, subject, window ?? TimeSpan.FromHours(1), "Customer Care", statusUrl, isEmail);

    // How each language's email acknowledgement names the subject line it asks the customer to keep the reference in.
    public static TheoryData<string, string> SubjectLineWords => new()
    {
        { "en", "in the subject line" },
        { "ru", "в теме письма" },
        { "nl", "in de onderwerpregel" },
        { "tl", "sa subject ng inyong email" },
        { "zh", "在邮件主题中" },
        { "lt", "laiško temoje" },
    };

    [Theory]
    [MemberData(nameof(SubjectLineWords))]
    public void RenderAcknowledgement_Email_AsksToKeepTheReferenceInTheSubject(string language, string subjectLine)
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.Parse(language), Model());

        Assert.Contains(subjectLine, message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SubjectLineWords))]
    public void RenderAcknowledgement_SocialChannel_NoSubjectLineMentionedReferenceStillAsked(string language, string subjectLine)
    {
        var email = Shipped().RenderAcknowledgement(LanguageCode.Parse(language), Model(subject: string.Empty));

        var social = Shipped().RenderAcknowledgement(LanguageCode.Parse(language), Model(subject: string.Empty, isEmail: false));

        Assert.DoesNotContain(subjectLine, social.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", social.Body, StringComparison.OrdinalIgnoreCase);
        // The closing line still names the reference: as often as in the email version.
        Assert.Equal(CountOf(Reference, email.Body), CountOf(Reference, social.Body));
        Assert.NotEqual(email.Body, social.Body);
    }

    private static int CountOf(string needle, string text) =>
        (text.Length - text.Replace(needle, string.Empty, StringComparison.Ordinal).Length) / needle.Length;

    [Theory]
    [InlineData("en", "within 1 hour")]
    [InlineData("ru", "не позднее чем через 1 час")]
    [InlineData("nl", "binnen 1 uur")]
    [InlineData("tl", "sa loob ng 1 oras")]
    [InlineData("zh", "在1小时内")]
    [InlineData("lt", "per 1 valandą")]
    public void RenderAcknowledgement_ShippedLanguage_HasReferenceAndWindow(string language, string windowSentence)
    {
        var templates = Shipped();

        var message = templates.RenderAcknowledgement(LanguageCode.Parse(language), Model());

        Assert.StartsWith($"[{Reference}] Re: Where is my parcel?", message.Subject, StringComparison.Ordinal);
        Assert.Contains(Reference, message.Body, StringComparison.Ordinal);
        Assert.Contains(windowSentence, message.Body, StringComparison.Ordinal);
        Assert.EndsWith("Customer Care", message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru", "через 30 секунд")]
    [InlineData("ru", "через 2 часа")]
    [InlineData("lt", "per 30 sekundžių")]
    [InlineData("lt", "per 2 valandas")]
    public void RenderAcknowledgement_CompressedOrLongerWindow_IsWordedInTheLanguage(string language, string expected)
    {
        var window = expected.Contains('2', StringComparison.Ordinal) ? TimeSpan.FromHours(2) : TimeSpan.FromSeconds(30);

        var message = Shipped().RenderAcknowledgement(LanguageCode.Parse(language), Model(window));

        Assert.Contains(expected, message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_SubjectWithLineBreaksAndControls_ComesOutOnOneLine()
    {
        var model = Model(subject: "Broken\r\nBcc: someone@example.com\u0000\u202Etxt.exe");

        var message = Shipped().RenderAcknowledgement(LanguageCode.English, model);

        Assert.Equal($"[{Reference}] Re: Broken Bcc: someone@example.comtxt.exe", message.Subject);
        Assert.DoesNotContain('\n', message.Subject);
        Assert.DoesNotContain('\r', message.Subject);
    }

    [Fact]
    public void RenderAcknowledgement_ValuesWithMarkup_AreNotHtmlEncoded()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.English, Model(subject: "Tom & Jerry <toys>", name: "O'Brien & Sons"));

        Assert.Equal($"[{Reference}] Re: Tom & Jerry <toys>", message.Subject);
        Assert.StartsWith("Dear O'Brien & Sons,", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_ReplyPrefixesInSubject_KeepsOneRe()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.English, Model(subject: "RE: Fwd: Re: Order 4711"));

        Assert.Equal($"[{Reference}] Re: Order 4711", message.Subject);
    }

    [Fact]
    public void RenderAcknowledgement_EmptySubject_UsesTheTemplatesOwnWords()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.Russian, Model(subject: ""));

        Assert.Equal($"[{Reference}] Мы получили ваше обращение", message.Subject);
    }

    [Fact]
    public void RenderAcknowledgement_Body_NeverQuotesTheCustomersSubject()
    {
        var templates = Shipped();

        var bodies = LanguageCode.Shipped.Select(l => templates.RenderAcknowledgement(l, Model(subject: "Parcel 4711 never arrived")).Body);

        Assert.All(bodies, body => Assert.DoesNotContain("Parcel 4711", body, StringComparison.Ordinal));
    }

    [Fact]
    public void RenderAcknowledgement_NoStatusUrl_LeavesOutTheStatusLineAndBlankLines()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.English, Model(statusUrl: null));

        Assert.DoesNotContain("follow your case", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_StatusUrl_AddsTheStatusLine()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.Dutch, Model(statusUrl: "https://support.example.com/s/abc"));

        Assert.Contains("U kunt de voortgang hier volgen: https://support.example.com/s/abc", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_NoCustomerName_GreetsWithoutOne()
    {
        var message = Shipped().RenderAcknowledgement(LanguageCode.English, Model(name: null));

        Assert.StartsWith("Hello,\n\n", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_LanguageWithoutTemplates_UsesFallbackLanguage()
    {
        var templates = Shipped("ru", "lt");

        var message = templates.RenderAcknowledgement(LanguageCode.Dutch, Model());

        Assert.Contains("within 1 hour", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAcknowledgement_ManyThreadsAtOnce_RenderEachTheirOwnValues()
    {
        var templates = Shipped();
        var subjects = new string[200];

        Parallel.For(0, subjects.Length, i =>
            subjects[i] = templates.RenderAcknowledgement(LanguageCode.Shipped[i % 6], Model(subject: $"Order {i}")).Subject);

        Assert.All(Enumerable.Range(0, subjects.Length), i => Assert.Equal($"[{Reference}] Re: Order {i}", subjects[i]));
    }

    [Fact]
    public void Constructor_RelativeFolder_ResolvesAgainstTheApplicationFolder()
    {
        var templates = Shipped();

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "templates"), templates.Folder);
    }
}
