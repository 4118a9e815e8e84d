using SlaWatch.Domain.Messages;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class PlatformTextTests
{
    private const string Reference = "SW-2026-000042";

    private static readonly string Apology =
        "Dear Ana,\n\nWe are sorry for the trouble you have had, and thank you for taking the time to tell us about it. We understand how frustrating this is.\n\n"
        + $"Your message has reached us and is registered under reference {Reference}. A member of our team will reply to you personally within 1 hour.\n\n"
        + $"If you write to us again, please keep {Reference} in the subject line.\n\nKind regards,\nThe Customer Care team";

    [Fact]
    public void Fit_ShortText_KeptWhole_WithPrefix()
    {
        var text = PlatformText.Fit("Hello,\r\n\r\nthanks.", 500, Reference, prefix: "@ana ");

        Assert.Equal("@ana Hello,\n\nthanks.", text);
    }

    [Fact]
    public void Fit_OverTheLimit_KeepsWholeParagraphsAndTheReference()
    {
        var text = PlatformText.Fit(Apology, 300, Reference, prefix: "@ana@example.social ");

        Assert.True(text.Length <= 300, $"{text.Length} characters");
        Assert.StartsWith("@ana@example.social Dear Ana,", text, StringComparison.Ordinal);
        Assert.Contains(Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kind regards", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ReferenceParagraphCut_AppendsReferenceAndStatusLink()
    {
        var text = PlatformText.Fit(Apology, 220, Reference, statusUrl: "https://slawatch.example/s/abc");

        Assert.True(text.Length <= 220, $"{text.Length} characters");
        Assert.EndsWith($"{Reference} https://slawatch.example/s/abc", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_FirstParagraphLongerThanTheLimit_CutAtAWordAndReferenceKept()
    {
        var longParagraph = string.Join(' ', Enumerable.Repeat("sorry", 200));

        var text = PlatformText.Fit(longParagraph, 100, Reference);

        Assert.True(text.Length <= 100, $"{text.Length} characters");
        Assert.EndsWith(Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sorr\n", text, StringComparison.Ordinal);
    }
}
