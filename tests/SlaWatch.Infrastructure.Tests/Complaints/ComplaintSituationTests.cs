using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Complaints;

namespace SlaWatch.Infrastructure.Tests.Complaints;

public sealed class ComplaintSituationTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Complaint Open() => new()
    {
        Reference = "SW-2026-000001",
        Channel = "Imap",
        Inbox = "support",
        CustomerAddress = "a@customer.test",
        Subject = "Late",
        Language = "en",
        ReceivedAt = Received,
    };

    private static Deadline FirstResponse() => Deadlines.FirstResponse(Received, SlaPolicy.Default);

    private static Alert AtRiskAlert(string deadline, int version) =>
        new() { Deadline = deadline, DeadlineVersion = version, LevelName = "team lead", Stage = "AtRisk" };

    [Theory]
    [InlineData(10, ComplaintStates.OnTime)]
    [InlineData(45, ComplaintStates.AtRisk)]
    [InlineData(59, ComplaintStates.AtRisk)]
    [InlineData(60, ComplaintStates.Breached)]
    [InlineData(300, ComplaintStates.Breached)]
    public void Of_FirstResponseByTheClock_StateFollowsThePolicyPoints(int minutes, string expected)
    {
        var situation = ComplaintSituation.Of(Open(), [FirstResponse()], [], Received.AddMinutes(minutes));

        Assert.Equal(expected, situation.State);
        Assert.Equal("FirstResponse", situation.Deadline);
        Assert.Equal(Received.AddHours(1), situation.DueAt);
    }

    [Fact]
    public void Of_AtRiskAlertAlreadyRaised_AtRiskBeforeThePoint()
    {
        var situation = ComplaintSituation.Of(Open(), [FirstResponse()], [AtRiskAlert("FirstResponse", 1)], Received.AddMinutes(5));

        Assert.Equal(ComplaintStates.AtRisk, situation.State);
    }

    [Fact]
    public void Of_AlertOfAnEarlierPromiseVersion_DoesNotMakeTheMovedPromiseAtRisk()
    {
        var complaint = Open();
        var promise = Deadlines.Promise(Received, Received.AddDays(5), 2, SlaPolicy.Default);

        var situation = ComplaintSituation.Of(complaint, [promise], [AtRiskAlert("Promise", 1)], Received.AddDays(1));

        Assert.Equal(ComplaintStates.OnTime, situation.State);
    }

    [Fact]
    public void Of_PromiseBreachedWhileFirstResponseOnTime_BreachedByThePromise()
    {
        var promise = Deadlines.Promise(Received, Received.AddMinutes(20), 1, SlaPolicy.Default);

        var situation = ComplaintSituation.Of(Open(), [FirstResponse(), promise], [], Received.AddMinutes(30));

        Assert.Equal(ComplaintStates.Breached, situation.State);
        Assert.Equal("Promise", situation.Deadline);
    }

    [Fact]
    public void Of_Resolved_Closed()
    {
        var complaint = Open();
        complaint.Status = ComplaintStatus.Resolved;

        Assert.Equal(ComplaintStates.Closed, ComplaintSituation.Of(complaint, [], [], Received.AddDays(3)).State);
    }

    [Fact]
    public void Cursor_RoundTrips_AndRejectsGarbage()
    {
        var cursor = new ComplaintCursor(Received.AddTicks(1234567), 42);

        Assert.True(ComplaintCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.False(ComplaintCursor.TryDecode("not a cursor!", out _));
    }
}
