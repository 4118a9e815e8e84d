using System.Globalization;
using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Tests.Sla;

public sealed class EscalationPlanTests
{
    private static readonly EscalationLevel TeamLead = new(0, "Team lead", EscalationTrigger.AtRisk, ["lead@example.com"], []);
    private static readonly EscalationLevel Supervisor = new(1, "Supervisor", EscalationTrigger.Breached, ["supervisor@example.com"], []);
    private static readonly EscalationLevel HeadOfSupport = new(2, "Head of support", EscalationTrigger.Parse("Breached+00:30:00"), ["head@example.com"], ["https://chat.example.com/hook"]);

    // Given out of order: the schedule orders by threshold, not by configuration order.
    private static readonly EscalationLevel[] Chain = [HeadOfSupport, Supervisor, TeamLead];

    private static readonly SlaPolicy TwoWarnings = SlaPolicy.Default with { AtRisk = [TimeSpan.FromMinutes(45), TimeSpan.FromMinutes(30)] };

    // Received 10:00Z: at risk 10:30 and 10:45, due 11:00, head of support 11:30.
    private static readonly Deadline FirstResponse = Deadlines.FirstResponse(At("2026-03-02T10:00:00Z"), TwoWarnings);

    private static readonly HashSet<AlertKey> NoneFired = [];

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Schedule_ChainWithTwoAtRiskPoints_OrderedByThreshold()
    {
        var schedule = EscalationPlan.Schedule(FirstResponse, Chain);

        Assert.Equal(
            [
                (0, 0, AlertStage.AtRisk, At("2026-03-02T10:30:00Z")),
                (0, 1, AlertStage.AtRisk, At("2026-03-02T10:45:00Z")),
                (1, 0, AlertStage.Breached, At("2026-03-02T11:00:00Z")),
                (2, 0, AlertStage.Breached, At("2026-03-02T11:30:00Z")),
            ],
            schedule.Select(a => (a.Key.Level, a.Key.Point, a.Stage, a.ThresholdAt)));
        Assert.All(schedule, a => Assert.Equal(DeadlineKind.FirstResponse, a.Key.Deadline));
        Assert.Same(HeadOfSupport, schedule[3].Level);
    }

    [Fact]
    public void Schedule_DuplicateLevelIndex_Throws()
    {
        Assert.Throws<ArgumentException>(() => EscalationPlan.Schedule(FirstResponse, [TeamLead, TeamLead with { Name = "Other" }]));
    }

    [Fact]
    public void Due_OneTickBeforeThreshold_ReturnsNothing()
    {
        var due = EscalationPlan.Due(FirstResponse, Chain, NoneFired, acknowledged: false, At("2026-03-02T10:30:00Z").AddTicks(-1));

        Assert.Empty(due);
    }

    [Fact]
    public void Due_AtThreshold_ReturnsTheAlert()
    {
        var due = EscalationPlan.Due(FirstResponse, Chain, NoneFired, acknowledged: false, At("2026-03-02T10:30:00Z"));

        var alert = Assert.Single(due);
        Assert.Equal(new AlertKey(DeadlineKind.FirstResponse, 1, 0, 0), alert.Key);
        Assert.Equal(AlertStage.AtRisk, alert.Stage);
    }

    [Fact]
    public void Due_BreachOneTickEarly_NotYetBreached()
    {
        var due = EscalationPlan.Due(FirstResponse, Chain, NoneFired, acknowledged: false, At("2026-03-02T11:00:00Z").AddTicks(-1));

        Assert.DoesNotContain(due, a => a.Stage == AlertStage.Breached);
    }

    [Fact]
    public void Due_FiredAlerts_NotReturnedAgain()
    {
        var fired = EscalationPlan.Due(FirstResponse, Chain, NoneFired, acknowledged: false, At("2026-03-02T10:45:00Z")).Select(a => a.Key).ToHashSet();

        var due = EscalationPlan.Due(FirstResponse, Chain, fired, acknowledged: false, At("2026-03-02T10:50:00Z"));

        Assert.Equal(2, fired.Count);
        Assert.Empty(due);
    }

    [Fact]
    public void Due_NobodyAcknowledges_ChainClimbsToBreachedPlusLevel()
    {
        var due = EscalationPlan.Due(FirstResponse, Chain, NoneFired, acknowledged: false, At("2026-03-02T11:30:00Z"));

        Assert.Equal([0, 0, 1, 2], due.Select(a => a.Key.Level));
    }

    [Fact]
    public void Due_Acknowledged_SkipsBreachedPlusLevelButNotBreached()
    {
        HashSet<AlertKey> fired = [new(DeadlineKind.FirstResponse, 1, 0, 0), new(DeadlineKind.FirstResponse, 1, 0, 1)];

        var due = EscalationPlan.Due(FirstResponse, Chain, fired, acknowledged: true, At("2026-03-02T12:00:00Z"));

        var alert = Assert.Single(due);
        Assert.Same(Supervisor, alert.Level);
        Assert.Equal(AlertStage.Breached, alert.Stage);
    }

    [Fact]
    public void Due_MovedPromise_ReArmsItsLevels()
    {
        var first = Deadlines.Promise(At("2026-03-02T10:00:00Z"), At("2026-03-05T10:00:00Z"), 1, SlaPolicy.Default);
        var fired = EscalationPlan.Due(first, Chain, NoneFired, acknowledged: false, At("2026-03-04T10:00:00Z")).Select(a => a.Key).ToHashSet();
        var moved = Deadlines.Promise(At("2026-03-04T12:00:00Z"), At("2026-03-10T10:00:00Z"), 2, SlaPolicy.Default);

        var beforeNewThreshold = EscalationPlan.Due(moved, Chain, fired, acknowledged: false, At("2026-03-09T09:59:59Z"));
        var atNewThreshold = EscalationPlan.Due(moved, Chain, fired, acknowledged: false, At("2026-03-09T10:00:00Z"));

        Assert.Equal([new AlertKey(DeadlineKind.Promise, 1, 0, 0)], fired);
        Assert.Empty(beforeNewThreshold);
        Assert.Equal([new AlertKey(DeadlineKind.Promise, 2, 0, 0)], atNewThreshold.Select(a => a.Key));
    }

    [Fact]
    public void Next_NothingFired_IsTheFirstAtRiskPoint()
    {
        Assert.Equal(At("2026-03-02T10:30:00Z"), EscalationPlan.Next(FirstResponse, Chain, NoneFired, acknowledged: false));
    }

    [Fact]
    public void Next_FirstFired_IsTheEarliestRemainingThreshold()
    {
        HashSet<AlertKey> fired = [new(DeadlineKind.FirstResponse, 1, 0, 0)];

        Assert.Equal(At("2026-03-02T10:45:00Z"), EscalationPlan.Next(FirstResponse, Chain, fired, acknowledged: false));
    }

    [Fact]
    public void Next_OverdueUnfiredAlert_IsItsPastThreshold()
    {
        HashSet<AlertKey> fired = [new(DeadlineKind.FirstResponse, 1, 0, 1)];

        Assert.Equal(At("2026-03-02T10:30:00Z"), EscalationPlan.Next(FirstResponse, Chain, fired, acknowledged: false));
    }

    [Fact]
    public void Next_AcknowledgedWithOnlyBreachedPlusLeft_IsNull()
    {
        var fired = EscalationPlan.Schedule(FirstResponse, Chain).Where(a => a.Key.Level != HeadOfSupport.Index).Select(a => a.Key).ToHashSet();

        Assert.Equal(At("2026-03-02T11:30:00Z"), EscalationPlan.Next(FirstResponse, Chain, fired, acknowledged: false));
        Assert.Null(EscalationPlan.Next(FirstResponse, Chain, fired, acknowledged: true));
    }

    [Fact]
    public void Next_AllFired_IsNull()
    {
        var fired = EscalationPlan.Schedule(FirstResponse, Chain).Select(a => a.Key).ToHashSet();

        Assert.Null(EscalationPlan.Next(FirstResponse, Chain, fired, acknowledged: false));
    }
}
