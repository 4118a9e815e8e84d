using System.Globalization;
using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Tests.Sla;

public sealed class DeadlinesTests
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void FirstResponse_DefaultPolicy_AtRiskAfter45MinutesDueAfterAnHour()
    {
        var deadline = Deadlines.FirstResponse(At("2026-03-02T12:00:00+02:00"), SlaPolicy.Default);

        Assert.Equal(DeadlineKind.FirstResponse, deadline.Kind);
        Assert.Equal(At("2026-03-02T10:00:00Z"), deadline.StartedAt);
        Assert.Equal([At("2026-03-02T10:45:00Z")], deadline.AtRiskAt);
        Assert.Equal(At("2026-03-02T11:00:00Z"), deadline.DueAt);
        Assert.Equal(TimeSpan.Zero, deadline.DueAt.Offset);
    }

    [Fact]
    public void FirstResponse_SecondsWindow_PointsOrderedDistinctAndInsideTheWindow()
    {
        var policy = SlaPolicy.Default with
        {
            FirstResponse = TimeSpan.FromSeconds(30),
            AtRisk = [TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40), TimeSpan.Zero],
        };

        var deadline = Deadlines.FirstResponse(At("2026-03-02T10:00:00Z"), policy);

        Assert.Equal([At("2026-03-02T10:00:10Z"), At("2026-03-02T10:00:20Z")], deadline.AtRiskAt);
        Assert.Equal(At("2026-03-02T10:00:30Z"), deadline.DueAt);
    }

    [Fact]
    public void FirstResponse_BusinessCalendar_CountsOpenTimeOnly()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Mon-Fri 09:00-17:00"], []);
        var policy = SlaPolicy.Default with { Calendar = calendar };

        // Friday 16:30 local.
        var deadline = Deadlines.FirstResponse(At("2026-03-06T16:30:00+02:00"), policy);

        Assert.Equal([At("2026-03-09T09:15:00+02:00")], deadline.AtRiskAt);
        Assert.Equal(At("2026-03-09T09:30:00+02:00"), deadline.DueAt);
    }

    [Fact]
    public void FirstResponse_NonPositiveWindow_Throws()
    {
        Assert.Throws<ArgumentException>(() => Deadlines.FirstResponse(At("2026-03-02T10:00:00Z"), SlaPolicy.Default with { FirstResponse = TimeSpan.Zero }));
    }

    [Fact]
    public void Promise_LongWindow_AtRiskTheConfiguredLeadBefore()
    {
        var deadline = Deadlines.Promise(At("2026-03-02T10:00:00Z"), At("2026-03-05T10:00:00Z"), 1, SlaPolicy.Default);

        Assert.Equal(DeadlineKind.Promise, deadline.Kind);
        Assert.Equal([At("2026-03-04T10:00:00Z")], deadline.AtRiskAt);
        Assert.Equal(At("2026-03-05T10:00:00Z"), deadline.DueAt);
    }

    [Fact]
    public void Promise_ShortWindow_LeadCappedAtHalfTheTime()
    {
        var deadline = Deadlines.Promise(At("2026-03-02T10:00:00Z"), At("2026-03-02T20:00:00Z"), 1, SlaPolicy.Default);

        Assert.Equal([At("2026-03-02T15:00:00Z")], deadline.AtRiskAt);
    }

    [Fact]
    public void Promise_SecondsWindow_LeadCappedAtHalfTheTime()
    {
        var deadline = Deadlines.Promise(At("2026-03-02T10:00:00Z"), At("2026-03-02T10:00:20Z"), 3, SlaPolicy.Default);

        Assert.Equal([At("2026-03-02T10:00:10Z")], deadline.AtRiskAt);
        Assert.Equal(3, deadline.Version);
    }

    [Fact]
    public void Promise_IgnoresBusinessCalendar_WallClock()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Mon-Fri 09:00-17:00"], []);

        var deadline = Deadlines.Promise(At("2026-03-06T10:00:00Z"), At("2026-03-09T10:00:00Z"), 1, SlaPolicy.Default with { Calendar = calendar });

        Assert.Equal([At("2026-03-08T10:00:00Z")], deadline.AtRiskAt);
    }

    [Fact]
    public void Promise_DateNotAfterPromise_NoAtRiskPoint()
    {
        var deadline = Deadlines.Promise(At("2026-03-02T10:00:00Z"), At("2026-03-02T09:00:00Z"), 1, SlaPolicy.Default);

        Assert.Empty(deadline.AtRiskAt);
        Assert.Equal(At("2026-03-02T09:00:00Z"), deadline.DueAt);
    }

    [Theory]
    [InlineData(null, "2026-03-05T09:59:59Z", PromiseOutcome.Pending)]
    [InlineData(null, "2026-03-05T10:00:00Z", PromiseOutcome.Missed)]
    [InlineData("2026-03-05T10:00:00Z", "2026-03-06T00:00:00Z", PromiseOutcome.Kept)]
    [InlineData("2026-03-04T08:00:00Z", "2026-03-04T09:00:00Z", PromiseOutcome.Kept)]
    [InlineData("2026-03-05T10:00:01Z", "2026-03-06T00:00:00Z", PromiseOutcome.Missed)]
    public void Outcome_ResolutionAndNow_JudgesThePromise(string? resolvedAt, string now, PromiseOutcome expected)
    {
        var outcome = Promises.Outcome(At("2026-03-05T10:00:00Z"), resolvedAt is null ? null : At(resolvedAt), At(now));

        Assert.Equal(expected, outcome);
    }
}
