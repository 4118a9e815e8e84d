using SlaWatch.Domain.Messages;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class ProgressGateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_ReachableHumanCustomer_Allows()
    {
        var decision = ProgressGate.Decide("ana@example.com", false, null, [], 10, Now);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void Decide_CustomerUnreachable_Denies()
    {
        var decision = ProgressGate.Decide("ana@example.com", true, null, [], 10, Now);

        Assert.Equal("customer:unreachable", decision.Reason);
    }

    [Fact]
    public void Decide_MailThatMayNotBeAnsweredAutomatically_Denies()
    {
        var decision = ProgressGate.Decide("ana@example.com", false, "return-path:null", [], 10, Now);

        Assert.False(decision.Allowed);
        Assert.StartsWith("not-automatic:", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_InvalidAddress_Denies()
    {
        Assert.Equal("recipient:invalid", ProgressGate.Decide("not an address", false, null, [], 10, Now).Reason);
    }

    [Fact]
    public void Decide_LimitReachedInTheLast24Hours_Denies_OlderOnesDoNotCount()
    {
        DateTimeOffset[] recent = [Now.AddHours(-1), Now.AddHours(-23)];
        DateTimeOffset[] old = [Now.AddHours(-25), Now.AddDays(-3)];

        var atLimit = ProgressGate.Decide("ana@example.com", false, null, recent, 2, Now);
        var belowLimit = ProgressGate.Decide("ana@example.com", false, null, [.. old, recent[0]], 2, Now);

        Assert.Equal("rate:day", atLimit.Reason);
        Assert.True(belowLimit.Allowed);
    }
}
