using SlaWatch.Domain.Messages;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class ForbiddenPhrasesTests
{
    [Fact]
    public void Parse_CommentsBlankLinesAndDuplicates_KeepsPhrasesOnly()
    {
        const string file = "\uFEFF# answers the seeds warn against\r\n\r\nit was in your contract\r\n  see our website  \n   # indented comment\nSee  our website\n";

        var phrases = ForbiddenPhrases.Parse(file);

        Assert.Equal(["it was in your contract", "see our website"], phrases);
    }

    [Fact]
    public void FindIn_PhraseWithOtherCaseAndLineBreak_FindsIt()
    {
        var text = "Dear customer,\nIt was in your\r\n  CONTRACT, sorry.";

        var found = ForbiddenPhrases.FindIn(text, ["it was in your contract"]);

        Assert.Equal(["it was in your contract"], found);
    }

    [Fact]
    public void FindIn_TypographicApostrophe_MatchesPlainApostrophe()
    {
        var found = ForbiddenPhrases.FindIn("Sorry, that’s a management decision.", ["that's a management decision"]);

        Assert.Equal(["that's a management decision"], found);
    }

    [Fact]
    public void FindIn_PhraseInsideLongerWords_IsNotFound()
    {
        var found = ForbiddenPhrases.FindIn("We will see our websites team about it.", ["see our website"]);

        Assert.Empty(found);
    }

    [Fact]
    public void FindIn_ChineseApologyNextToForbiddenPhrase_AllowsTheApology()
    {
        const string body = "给您带来不便，我们深表歉意。我们的工作人员会在1小时内回复您。";

        var found = ForbiddenPhrases.FindIn(body, ["不可能", "这是管理层的决定", "请看我们的网站"]);

        Assert.Empty(found);
    }

    [Fact]
    public void FindIn_ChinesePhraseWithoutSpaces_FindsIt()
    {
        const string body = "很抱歉，这是管理层的决定，我们无能为力。";

        var found = ForbiddenPhrases.FindIn(body, ["这是管理层的决定", "我们无能为力", "不可能"]);

        Assert.Equal(["这是管理层的决定", "我们无能为力"], found);
    }

    [Fact]
    public void FindIn_RussianWithYo_MatchesSpellingWithYe()
    {
        var found = ForbiddenPhrases.FindIn("К сожалению, поставщик нас подвёл.", ["поставщик нас подвел"]);

        Assert.Equal(["поставщик нас подвел"], found);
    }

    [Fact]
    public void FindIn_LithuanianPhrase_FindsItIgnoringCase()
    {
        var found = ForbiddenPhrases.FindIn("Deja, TAI NEĮMANOMA.", ["tai neįmanoma"]);

        Assert.Equal(["tai neįmanoma"], found);
    }

    [Fact]
    public void FindIn_NoForbiddenPhrase_ReturnsEmpty()
    {
        var found = ForbiddenPhrases.FindIn("We are sorry for the trouble and will answer within 1 hour.", ["that's impossible", "see our website"]);

        Assert.Empty(found);
    }
}
