using SlaWatch.Domain.Digest;

namespace SlaWatch.Domain.Tests.Digest;

public sealed class DailyDigestTests
{
    private static readonly TimeZoneInfo Vilnius = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vilnius");

    // 2026-11-25 08:00 in Vilnius (UTC+2): the digest of 2026-11-24.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static DigestPeriod Yesterday => DigestPeriod.PreviousDay(Now, Vilnius);

    private static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(2));

    private static DigestComplaint Received(string reference, DateTimeOffset at, TimeSpan? answeredAfter, bool resolved = false, string inbox = "support") =>
        new(reference, inbox, at, at.AddHours(1), answeredAfter is { } after ? at + after : null, resolved);

    [Fact]
    public void PreviousDay_EightInTheMorningInVilnius_IsYesterdayFromLocalMidnightToMidnight()
    {
        var period = Yesterday;

        Assert.Equal(new DateOnly(2026, 11, 24), period.Day);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 22, 0, 0, TimeSpan.Zero), period.End);
    }

    [Fact]
    public void PreviousDay_DayTheClocksGoBack_Lasts25Hours()
    {
        var period = DigestPeriod.PreviousDay(new DateTimeOffset(2026, 10, 26, 6, 0, 0, TimeSpan.Zero), Vilnius);

        Assert.Equal(new DateOnly(2026, 10, 25), period.Day);
        Assert.Equal(TimeSpan.FromHours(25), period.End - period.Start);
    }

    [Fact]
    public void PreviousDay_JustAfterLocalMidnight_IsTheDayThatJustEnded()
    {
        // 00:30 in Vilnius on the 25th is still 22:30 UTC on the 24th.
        var period = DigestPeriod.PreviousDay(new DateTimeOffset(2026, 11, 24, 22, 30, 0, TimeSpan.Zero), Vilnius);

        Assert.Equal(new DateOnly(2026, 11, 24), period.Day);
    }

    [Fact]
    public void Compute_MixedDay_CountsInTimeLateUnansweredAndStillWithinWindow()
    {
        DigestComplaint[] complaints =
        [
            Received("SW-2026-000001", Local(24, 9), TimeSpan.FromMinutes(20), resolved: true),
            Received("SW-2026-000002", Local(24, 10), TimeSpan.FromMinutes(59)),
            Received("SW-2026-000003", Local(24, 11), TimeSpan.FromMinutes(61)),
            Received("SW-2026-000004", Local(24, 12), answeredAfter: null),
            // Due after the digest is made (a business calendar carried the window over): not decided yet.
            new("SW-2026-000005", "support", Local(24, 23, 30), Now.AddHours(2), null, false),
        ];

        var report = DailyDigest.Compute(Yesterday, Now, ["support"], complaints, []);

        var support = Assert.Single(report.Inboxes);
        Assert.Equal(5, support.Received);
        Assert.Equal(2, support.AnsweredInTime);
        Assert.Equal(1, support.AnsweredLate);
        Assert.Equal(1, support.Unanswered);
        Assert.Equal(1, support.StillWithinWindow);
        Assert.Equal(2, support.FirstResponseBreaches);
        Assert.Equal(0.5, support.AnsweredInTimeShare);
    }

    [Fact]
    public void Compute_ComplaintsOutsideTheDay_NotCountedAsReceived()
    {
        DigestComplaint[] complaints =
        [
            Received("SW-2026-000001", Local(23, 23, 59), TimeSpan.FromMinutes(5)),
            Received("SW-2026-000002", Local(24, 0, 0), TimeSpan.FromMinutes(5)),
            Received("SW-2026-000003", Local(25, 0, 0), TimeSpan.FromMinutes(5)),
        ];

        var report = DailyDigest.Compute(Yesterday, Now, ["support"], complaints, []);

        Assert.Equal(1, report.Totals.Received);
    }

    [Fact]
    public void Compute_PromiseOutcomes_CountedOnTheDayTheyWereRecorded()
    {
        DigestPromiseOutcome[] outcomes =
        [
            new("support", Local(24, 10), Kept: true),
            new("support", Local(24, 18), Kept: true),
            new("support", Local(24, 20), Kept: false),
            new("support", Local(23, 20), Kept: false),
            new("support", Local(25, 7), Kept: true),
        ];

        var report = DailyDigest.Compute(Yesterday, Now, ["support"], [], outcomes);

        Assert.Equal(2, report.Inboxes[0].PromisesKept);
        Assert.Equal(1, report.Inboxes[0].PromisesMissed);
    }

    [Fact]
    public void Compute_OldestOpen_FiveOldestUnresolvedWithTheirAgeAtNow()
    {
        var complaints = Enumerable.Range(1, 7)
            .Select(i => Received($"SW-2026-00000{i}", Local(10 + i, 9), TimeSpan.FromMinutes(10), resolved: i == 2))
            .ToList();

        var report = DailyDigest.Compute(Yesterday, Now, ["support"], complaints, []);

        var oldest = report.Inboxes[0].OldestOpen;
        Assert.Equal(["SW-2026-000001", "SW-2026-000003", "SW-2026-000004", "SW-2026-000005", "SW-2026-000006"], oldest.Select(o => o.Reference));
        Assert.Equal(Now - Local(11, 9), oldest[0].Age);
    }

    [Fact]
    public void Compute_PerInbox_ConfiguredInboxesFirstAlsoWhenQuiet_TotalsOverAll()
    {
        DigestComplaint[] complaints =
        [
            Received("SW-2026-000001", Local(24, 9), TimeSpan.FromMinutes(5), inbox: "billing"),
            Received("SW-2026-000002", Local(24, 9), null, inbox: "retired"),
        ];

        var report = DailyDigest.Compute(Yesterday, Now, ["support", "billing"], complaints, []);

        Assert.Equal(["support", "billing", "retired"], report.Inboxes.Select(i => i.Inbox));
        Assert.Equal(0, report.Inboxes[0].Received);
        Assert.Null(report.Inboxes[0].AnsweredInTimeShare);
        Assert.Equal(1, report.Inboxes[1].AnsweredInTime);
        Assert.Equal(1, report.Inboxes[2].Unanswered);
        Assert.Equal(2, report.Totals.Received);
        Assert.Null(report.Totals.Inbox);
    }
}
