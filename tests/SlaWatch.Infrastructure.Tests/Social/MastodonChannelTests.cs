using SlaWatch.Infrastructure.Social.Mastodon;

namespace SlaWatch.Infrastructure.Tests.Social;

public sealed class MastodonChannelTests
{
    [Fact]
    public void PlainText_DocumentedMentionHtml_BecomesText()
    {
        // The content of the documented example notification (methods/notifications.md), plus a second paragraph.
        const string html = "<p><span class=\"h-card\"><a href=\"https://mastodon.social/@trwnh\" class=\"u-url mention\">@<span>trwnh</span></a></span> sup!</p><p>Line one<br>line two &amp; more</p>";

        Assert.Equal("@trwnh sup!\n\nLine one\nline two & more", MastodonChannel.PlainText(html));
    }

    [Theory]
    [InlineData("9", "10", -1)]
    [InlineData("103186126728896492", "103186038209478945", 1)]
    [InlineData("34975861", "34975861", 0)]
    public void CompareIds_LongerIsNewerThenOrdinal(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(MastodonChannel.CompareIds(a, b)));
}
