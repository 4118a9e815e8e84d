using System.Text;
using SlaWatch.Infrastructure.Languages;

namespace SlaWatch.Infrastructure.Tests.Languages;

/// <summary>
/// What of a message the detector examines: the customer's own words, cut to a prefix. A long message is only read up to
/// where the prefix is settled, and that must give the same prefix as reading all of it.
/// </summary>
public sealed class OwnTextTests
{
    private const int Limit = LinguaLanguageDetector.MaxCharactersExamined;

    [Fact]
    public void OwnText_LongMessage_IsItsOpeningCutToTheLimit()
    {
        var text = "\n\n   " + Sentences(2000);

        var own = LinguaLanguageDetector.OwnText(text);

        Assert.Equal(text.Trim()[..Limit], own);
    }

    [Fact]
    public void OwnText_AttributionJustBeforeTheLimit_IsStillRemovedWithItsQuote()
    {
        var opening = Sentences(Limit)[..(Limit - 2)];
        var text = opening + "\nOp maandag schreef Klantenservice:\n\n> Wij hebben uw bericht ontvangen.\n> Met vriendelijke groet";

        var own = LinguaLanguageDetector.OwnText(text);

        Assert.Equal(opening.TrimEnd(), own);
    }

    [Fact]
    public void OwnText_ShortTextThenLongQuote_KeepsOnlyTheOwnWords()
    {
        var quote = string.Join('\n', Enumerable.Range(0, 500).Select(i => $"> quoted line {i} of the earlier message"));
        var text = "Where is my parcel? It is two weeks late.\n\nOn Monday, Support wrote:\n" + quote;

        var own = LinguaLanguageDetector.OwnText(text);

        Assert.Equal("Where is my parcel? It is two weeks late.", own);
    }

    [Fact]
    public void OwnText_SignatureAfterTheLimit_DoesNotChangeThePrefix()
    {
        var body = Sentences(Limit * 3);
        var text = body + "\n-- \nJan de Vries\nSent from my phone";

        var own = LinguaLanguageDetector.OwnText(text);

        Assert.Equal(body.Trim()[..Limit], own);
    }

    private static string Sentences(int atLeast)
    {
        var builder = new StringBuilder();
        var line = 0;
        while (builder.Length < atLeast)
        {
            builder.Append("Mijn pakket is nog steeds niet aangekomen, bestelling ").Append(line++).Append('.');
            builder.Append(line % 4 == 0 ? "\n\n" : "\n");
        }

        return builder.ToString();
    }
}
