using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Tests.Security;

public sealed class AlertLinksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://slawatch.example.com")]
    [InlineData("https://slawatch.example.com/")]
    public void Create_PublicBaseUrl_LinkToTheAcknowledgePageWithAValidToken(string baseUrl)
    {
        var options = Options.Create(new SlaWatchOptions { PublicBaseUrl = baseUrl, SigningKey = "a-signing-key-of-enough-length" });
        var tokens = new SignedTokens(new MessageSigner(options));
        var links = new AlertLinks(options, tokens);

        var link = links.Create(42, Now.AddDays(1));

        Assert.StartsWith("https://slawatch.example.com/alerts/ack/alert-ack.42.", link.AbsoluteUri, StringComparison.Ordinal);
        var token = link.AbsolutePath["/alerts/ack/".Length..];
        Assert.Equal("42", tokens.Validate(SignedTokens.AlertAcknowledge, token, Now).Id);
    }

    [Fact]
    public void Create_NoBaseUrl_ThrowsNamingTheKey()
    {
        var options = Options.Create(new SlaWatchOptions { SigningKey = "a-signing-key-of-enough-length" });
        var links = new AlertLinks(options, new SignedTokens(new MessageSigner(options)));

        var error = Assert.Throws<InvalidOperationException>(() => links.Create(42, Now));

        Assert.Contains("SlaWatch:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }
}
