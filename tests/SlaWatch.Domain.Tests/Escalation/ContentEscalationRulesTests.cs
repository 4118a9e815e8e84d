using SlaWatch.Domain.Escalation;

namespace SlaWatch.Domain.Tests.Escalation;

public sealed class ContentEscalationRulesTests
{
    private const string Sample = """
        # comment
        [manager]
        speak|talk to * manager
        escalate this

        [abuse]
          # indented comment
        you idiot*
        [legal]
        my lawyer*
        """;

    private static readonly ContentEscalationRules Rules = ContentEscalationRules.Parse("EN", Sample);

    [Fact]
    public void Parse_SectionsAndComments_ReadsPhrasesPerSection()
    {
        var rules = ContentEscalationRules.Parse("en", "\uFEFF[manager]\r\nspeak to a manager\r\n[abuse]\nyou idiots\n[legal]\nmy lawyer\nsee you in court\n");

        Assert.Equal(1, rules.CountOf(ContentFlag.ManagerRequest));
        Assert.Equal(1, rules.CountOf(ContentFlag.Abuse));
        Assert.Equal(2, rules.CountOf(ContentFlag.LegalThreat));
        Assert.Equal(["en"], rules.Languages);
    }

    [Fact]
    public void Parse_PhraseBeforeAnySection_ThrowsQuotingLineAndNumber()
    {
        var ex = Assert.Throws<FormatException>(() => ContentEscalationRules.Parse("nl", "# list\nik wil een manager spreken\n"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"ik wil een manager spreken\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(nl)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownSection_ThrowsQuotingIt()
    {
        var ex = Assert.Throws<FormatException>(() => ContentEscalationRules.Parse("en", "[manager]\nspeak to a manager\n[boss]\n"));

        Assert.Contains("\"[boss]\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("a*")]
    [InlineData("* *")]
    public void Parse_PhraseWithoutLiteralText_Throws(string phrase)
    {
        var ex = Assert.Throws<FormatException>(() => ContentEscalationRules.Parse("en", "[abuse]\n" + phrase + "\n"));

        Assert.Contains($"\"{phrase}\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I want to SPEAK TO YOUR\r\n  Manager!")]
    [InlineData("Let me talk to the manager, please.")]
    [InlineData("I must speak to a manager")]
    public void Detect_PhraseWithOtherCaseSpacingAndAlternatives_Finds(string text)
    {
        Assert.Equal([ContentFlag.ManagerRequest], Rules.Detect(text));
    }

    [Fact]
    public void Detect_LoneStarMatchesExactlyOneWord_NotTwo()
    {
        Assert.Empty(Rules.Detect("I want to speak to the store manager"));
    }

    [Fact]
    public void Detect_WordInsideLongerWord_NotFound()
    {
        Assert.Empty(Rules.Detect("Please don't deescalate this; the form is idiotproof."));
    }

    [Fact]
    public void Detect_TrailingStar_MatchesAnyEnding()
    {
        Assert.Equal([ContentFlag.Abuse, ContentFlag.LegalThreat], Rules.Detect("You idiots! My lawyers will hear of this.").Order());
    }

    [Theory]
    [InlineData("Pakausap sa supervisor.")]
    [InlineData("Pakausap po sa supervisor.")]
    [InlineData("Pakausap ho sa supervisor.")]
    public void Detect_OptionalWord_MatchesWithAndWithoutIt(string text)
    {
        var rules = ContentEscalationRules.Parse("tl", "[manager]\npakausap po|ho? sa supervisor\n");

        Assert.Equal([ContentFlag.ManagerRequest], rules.Detect(text));
    }

    [Fact]
    public void Detect_OptionalWordReplacedByAnother_NotFound()
    {
        var rules = ContentEscalationRules.Parse("tl", "[manager]\npakausap po? sa supervisor\n");

        Assert.Empty(rules.Detect("Pakausap daw sa supervisor"));
    }

    [Fact]
    public void Detect_PunctuationBetweenWords_Ignored()
    {
        var rules = ContentEscalationRules.Parse("ru", "[abuse]\nя знаю где вы живете\n");

        Assert.Equal([ContentFlag.Abuse], rules.Detect("Я знаю, где вы живёте."));
    }

    [Fact]
    public void Detect_YoWrittenAsYe_MatchesEitherWay()
    {
        var rules = ContentEscalationRules.Parse("ru", "[abuse]\nидите к чёрту\n");

        Assert.Equal([ContentFlag.Abuse], rules.Detect("Идите к черту"));
        Assert.Equal([ContentFlag.Abuse], rules.Detect("ИДИТЕ К ЧЁРТУ"));
    }

    [Fact]
    public void Detect_LithuanianWithoutDiacritics_MatchesPhraseWithThem()
    {
        var rules = ContentEscalationRules.Parse("lt", "[manager]\nnoriu kalbėti su jūsų vadovu\n");

        Assert.Equal([ContentFlag.ManagerRequest], rules.Detect("Noriu kalbeti su jusu vadovu"));
    }

    [Fact]
    public void Detect_ChinesePhraseInsideSentence_Finds()
    {
        var rules = ContentEscalationRules.Parse("zh", "[manager]\n找你们经理|找你们领导\n[legal]\n12315\n");

        Assert.Equal([ContentFlag.ManagerRequest, ContentFlag.LegalThreat], rules.Detect("快点找你们领导来，不然我就打１２３１５投诉").Order());
    }

    [Fact]
    public void Detect_DigitsInsideLongerNumber_NotFound()
    {
        var rules = ContentEscalationRules.Parse("zh", "[legal]\n12315\n");

        Assert.Empty(rules.Detect("订单号 4123159 还没有发货"));
    }

    [Fact]
    public void Detect_RequestAtEndOfLongTextFullOfTheAnchorWord_Finds()
    {
        // "manager" (the anchor) occurs hundreds of times before the one place where the whole phrase matches.
        var text = string.Concat(Enumerable.Repeat("The manager's estimate was wrong; I spoke to the store manager twice. ", 450))
            + "Now let me speak to the manager.";

        Assert.Equal([ContentFlag.ManagerRequest], Rules.Detect(text));
    }

    [Fact]
    public void Match_OverlappingAndNestedAnchors_FindsEveryPhraseInListOrder()
    {
        var rules = ContentEscalationRules.Parse("zh", "[manager]\n你们经理说\n我要找你们经理\n找你们经理\n");

        var matches = rules.Match("我要找你们经理说清楚");

        Assert.Equal(["你们经理说", "我要找你们经理", "找你们经理"], matches.Select(m => m.Phrase));
    }

    [Fact]
    public void Match_TwoPhrasesSharingAnAnchor_EachMatchedOnItsOwn()
    {
        var rules = ContentEscalationRules.Parse("en", "[manager]\nspeak to a manager\nget me a manager\n");

        Assert.Equal(["get me a manager"], rules.Match("Get me a manager.").Select(m => m.Phrase));
        Assert.Equal(["speak to a manager", "get me a manager"], rules.Match("Get me a manager. I must speak to a manager.").Select(m => m.Phrase));
    }

    [Fact]
    public void Match_AnchorInsideLongerWordBeforeRealMatch_Finds()
    {
        var rules = ContentEscalationRules.Parse("en", "[legal]\nmy lawyer*\n");

        Assert.Single(rules.Match("The lawyering of mylawyers.com is not my lawyers' style"));
    }

    [Fact]
    public void Detect_ManyThreadsOnFreshRules_SameAnswerEverywhere()
    {
        var rules = ContentEscalationRules.Parse("en", Sample);
        var results = new IReadOnlySet<ContentFlag>[64];

        Parallel.For(0, results.Length, i => results[i] = rules.Detect("You idiots! Let me talk to the manager."));

        Assert.All(results, r => Assert.Equal([ContentFlag.ManagerRequest, ContentFlag.Abuse], r.Order()));
    }

    [Fact]
    public void Match_ReportsFlagLanguageAndPhrase()
    {
        var match = Assert.Single(Rules.Match("We need to escalate this."));

        Assert.Equal(new ContentMatch(ContentFlag.ManagerRequest, "en", "escalate this"), match);
    }

    [Fact]
    public void Combine_SamePhraseInTwoLists_KeptOnceWithFirstLanguage()
    {
        var english = ContentEscalationRules.Parse("en", "[legal]\nombudsman\n");
        var dutch = ContentEscalationRules.Parse("nl", "[legal]\nOmbudsman\nrechtszaak\n");

        var combined = ContentEscalationRules.Combine([english, dutch]);

        Assert.Equal(["en", "nl"], combined.Languages);
        Assert.Equal(2, combined.CountOf(ContentFlag.LegalThreat));
        Assert.Equal("en", Assert.Single(combined.Match("Ik ga naar de Nationale ombudsman")).Language);
    }

    [Fact]
    public void Detect_EmptyRules_FindsNothing()
    {
        Assert.Empty(ContentEscalationRules.Empty.Detect("I want to speak to a manager"));
    }
}
