using SlaWatch.Domain.Escalation;

namespace SlaWatch.Domain.Tests.Escalation;

public sealed class AnchorAutomatonTests
{
    // Overlapping anchors, one a suffix of another, shared prefixes, Cyrillic and Lithuanian letters (inside the flat
    // transition table), Chinese (outside it), and a value with two spellings.
    private static readonly string[][] Anchors =
    [
        ["manager"],
        ["age", "agent"],
        ["nag"],
        ["юрист", "адвокат"],
        ["teismą", "teisme"],
        ["律师", "投诉"],
        ["a"],
        ["ana"],
    ];

    [Fact]
    public void Find_ReportsEveryStartOfEveryAnchor_IncludingOverlapsAndSuffixes()
    {
        var automaton = new AnchorAutomaton(Anchors);

        var found = automaton.Find("the manager's agent");

        Assert.Equal([4], found[0]);
        Assert.Equal([7, 14, 14], found[1]); // "age" inside "manager"; at 14 both "age" and "agent"
        Assert.Equal([6], found[2]);
        Assert.Null(found[3]);
        Assert.Equal([5, 7, 14], found[6]);
        Assert.Equal([5], found[7]); // "ana" overlaps "nag" and two "a"s
    }

    [Fact]
    public void Find_OnRandomTexts_AgreesWithAPlainSubstringSearch()
    {
        var automaton = new AnchorAutomaton(Anchors);
        // Letters from the anchors, their neighbours and characters in no anchor (ASCII, Cyrillic, Chinese, an emoji half).
        const string Alphabet = "managertsyюристадвокатteismąę律师投诉 .,zщ中\ud83d";
        var random = new Random(20261203);
        for (var round = 0; round < 2_000; round++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

            var found = automaton.Find(text);

            for (var value = 0; value < Anchors.Length; value++)
            {
                var expected = Anchors[value]
                    .SelectMany(anchor => Enumerable.Range(0, Math.Max(0, text.Length - anchor.Length + 1))
                        .Where(at => string.CompareOrdinal(text, at, anchor, 0, anchor.Length) == 0))
                    .Order()
                    .ToList();
                var actual = found[value]?.Order().ToList() ?? [];
                Assert.True(expected.SequenceEqual(actual), $"anchors of value {value} in \"{text}\": expected [{string.Join(", ", expected)}], found [{string.Join(", ", actual)}]");
            }
        }
    }
}
