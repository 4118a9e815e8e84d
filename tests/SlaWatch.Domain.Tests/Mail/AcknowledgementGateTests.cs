using SlaWatch.Domain.Mail;

namespace SlaWatch.Domain.Tests.Mail;

public sealed class AcknowledgementGateTests
{
    private const string Recipient = "anna.berg@customer.example";

    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly AckLimits Limits = new(PerHour: 3, PerDay: 10);

    private static PriorAcknowledgement Prior(TimeSpan ago, string? subject) => new(Now - ago, subject);

    [Fact]
    public void Decide_NoPriorAcknowledgements_Allowed()
    {
        var decision = AcknowledgementGate.Decide(Recipient, "Broken lamp", [], Limits, Now);

        Assert.True(decision.Allowed);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Decide_HourlyLimitReached_DeniedForTheHour()
    {
        PriorAcknowledgement[] prior =
        [
            Prior(TimeSpan.FromMinutes(5), "One"),
            Prior(TimeSpan.FromMinutes(20), "Two"),
            Prior(TimeSpan.FromMinutes(59), "Three"),
        ];

        var decision = AcknowledgementGate.Decide(Recipient, "Four", prior, Limits, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("rate:hour", decision.Reason);
    }

    [Fact]
    public void Decide_HourlyLimitReachedAnHourAgo_Allowed()
    {
        PriorAcknowledgement[] prior =
        [
            Prior(TimeSpan.FromMinutes(5), "One"),
            Prior(TimeSpan.FromMinutes(20), "Two"),
            Prior(TimeSpan.FromMinutes(60), "Three"),
        ];

        var decision = AcknowledgementGate.Decide(Recipient, "Four", prior, Limits, Now);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Decide_DailyLimitReached_Denied()
    {
        var prior = Enumerable.Range(0, 10)
            .Select(i => Prior(TimeSpan.FromHours(2 + (2 * i)), "Complaint " + i))
            .ToList();

        var decision = AcknowledgementGate.Decide(Recipient, "Complaint eleven", prior, Limits, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("rate:day", decision.Reason);
    }

    [Fact]
    public void Decide_DailyLimitReachedMoreThanADayAgo_Allowed()
    {
        var prior = Enumerable.Range(0, 10)
            .Select(i => Prior(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(i), "Complaint " + i))
            .ToList();

        var decision = AcknowledgementGate.Decide(Recipient, "Complaint eleven", prior, Limits, Now);

        Assert.True(decision.Allowed);
    }

    [Theory]
    [InlineData("Broken lamp")]
    [InlineData("Re: Broken lamp")]
    [InlineData("RE: Fwd: broken   LAMP")]
    [InlineData("[SW-2026-000123] Re: Broken lamp")]
    [InlineData("AW: SV: Broken lamp")]
    [InlineData("Ответ: Broken lamp")]
    [InlineData("Re[2]: Broken lamp")]
    public void Decide_SameNormalizedSubjectWithin24Hours_Denied(string subject)
    {
        PriorAcknowledgement[] prior = [Prior(TimeSpan.FromHours(23), "Broken lamp")];

        var decision = AcknowledgementGate.Decide(Recipient, subject, prior, Limits, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("repeat:subject", decision.Reason);
    }

    [Fact]
    public void Decide_SameSubjectMoreThan24HoursAgo_Allowed()
    {
        PriorAcknowledgement[] prior = [Prior(TimeSpan.FromHours(25), "Broken lamp")];

        var decision = AcknowledgementGate.Decide(Recipient, "Broken lamp", prior, Limits, Now);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Decide_DifferentSubjectWithinLimits_Allowed()
    {
        PriorAcknowledgement[] prior = [Prior(TimeSpan.FromMinutes(30), "Broken lamp")];

        var decision = AcknowledgementGate.Decide(Recipient, "Wrong invoice", prior, Limits, Now);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Decide_PriorStampedInTheFuture_CountsAsRecent()
    {
        PriorAcknowledgement[] prior =
        [
            Prior(TimeSpan.FromMinutes(-2), "One"),
            Prior(TimeSpan.FromMinutes(1), "Two"),
            Prior(TimeSpan.FromMinutes(2), "Three"),
        ];

        var decision = AcknowledgementGate.Decide(Recipient, "Four", prior, Limits, Now);

        Assert.Equal("rate:hour", decision.Reason);
    }

    [Fact]
    public void Decide_InvalidRecipient_Denied()
    {
        var decision = AcknowledgementGate.Decide("not an address", "Broken lamp", [], Limits, Now);

        Assert.False(decision.Allowed);
        Assert.Equal("recipient:invalid", decision.Reason);
    }

    [Fact]
    public void Decide_ZeroPerHour_Denied()
    {
        var decision = AcknowledgementGate.Decide(Recipient, "Broken lamp", [], new AckLimits(0, 10), Now);

        Assert.Equal("rate:hour", decision.Reason);
    }

    [Theory]
    [InlineData("Re: Fwd: [SW-2026-000123]  Broken   Lamp ", "BROKEN LAMP")]
    [InlineData("回复：投诉", "投诉")]
    [InlineData(null, "")]
    [InlineData("Re:", "")]
    public void NormalizeSubject_PrefixesTokensCaseAndWhitespace_Removed(string? subject, string expected)
    {
        Assert.Equal(expected, AcknowledgementGate.NormalizeSubject(subject));
    }
}
