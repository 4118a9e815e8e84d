using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Tests.Sla;

public sealed class EscalationTriggerTests
{
    [Theory]
    [InlineData("AtRisk", TriggerKind.AtRisk, 0)]
    [InlineData(" atrisk ", TriggerKind.AtRisk, 0)]
    [InlineData("Breached", TriggerKind.Breached, 0)]
    [InlineData("Breached+00:30:00", TriggerKind.Breached, 1800)]
    [InlineData("breached + 00:00:05", TriggerKind.Breached, 5)]
    [InlineData("Breached+1.00:00:00", TriggerKind.Breached, 86400)]
    public void Parse_ValidTrigger_ReadsKindAndDelay(string text, TriggerKind kind, int seconds)
    {
        var trigger = EscalationTrigger.Parse(text);

        Assert.Equal(kind, trigger.Kind);
        Assert.Equal(TimeSpan.FromSeconds(seconds), trigger.After);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Late")]
    [InlineData("AtRisk+00:10:00")]
    [InlineData("Breached+30")]
    [InlineData("Breached+00:60:00")]
    [InlineData("Breached+00:00:00")]
    [InlineData("Breached-00:10:00")]
    [InlineData("Breached+")]
    public void Parse_InvalidTrigger_ThrowsQuotingTheText(string text)
    {
        var ex = Assert.Throws<FormatException>(() => EscalationTrigger.Parse(text));

        Assert.Contains($"\"{text}\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AtRisk")]
    [InlineData("Breached")]
    [InlineData("Breached+00:30:00")]
    [InlineData("Breached+1.02:00:00")]
    public void ToString_ParsedTrigger_GivesTheConfigurationForm(string text)
    {
        Assert.Equal(text, EscalationTrigger.Parse(text).ToString());
    }

    [Fact]
    public void Constructor_AtRiskWithDelay_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EscalationTrigger(TriggerKind.AtRisk, TimeSpan.FromMinutes(5)));
    }
}
