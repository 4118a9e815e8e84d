using SlaWatch.Domain.Messages;
using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class QuietPeriodTests
{
    private static readonly TimeZoneInfo Vilnius = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vilnius");

    // Mon–Fri 09:00–17:00 in Vilnius (UTC+2 in winter), closed on 25 December.
    private static readonly BusinessCalendar Office = BusinessCalendar.Parse("Europe/Vilnius", ["Mon-Fri 09:00-17:00"], ["2026-12-25"]);

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(2));

    [Fact]
    public void DueAt_NoCalendar_PlainElapsedTime()
    {
        var last = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

        Assert.Equal(last.AddDays(2), QuietPeriod.DueAt(last, TimeSpan.FromDays(2), BusinessCalendar.AlwaysOpen));
    }

    [Fact]
    public void DueAt_TwoDaysFromFridayAfternoon_IsTuesdaySameTime()
    {
        var friday = Local(12, 4, 15);

        var due = QuietPeriod.DueAt(friday, TimeSpan.FromDays(2), Office);

        Assert.Equal(Local(12, 8, 15), due);
    }

    [Fact]
    public void DueAt_OverAHoliday_SkipsIt()
    {
        // Thursday 24 December; Friday 25th is a holiday: two business days later is Tuesday 29th.
        var thursday = Local(12, 24, 10);

        var due = QuietPeriod.DueAt(thursday, TimeSpan.FromDays(2), Office);

        Assert.Equal(Local(12, 29, 10), due);
    }

    [Fact]
    public void DueAt_LastMessageOnSaturday_CountsFromMondaysOpening()
    {
        var saturday = Local(12, 5, 11);

        var due = QuietPeriod.DueAt(saturday, TimeSpan.FromDays(1), Office);

        Assert.Equal(Local(12, 8, 9), due);
    }

    [Fact]
    public void DueAt_HoursPart_CountedAsOpenTime()
    {
        // One day and four hours after Monday 15:00: Tuesday 15:00, then 2 h to closing and 2 h on Wednesday morning.
        var monday = Local(12, 7, 15);

        var due = QuietPeriod.DueAt(monday, new TimeSpan(1, 4, 0, 0), Office);

        Assert.Equal(Local(12, 9, 11), due);
    }

    [Fact]
    public void IsDue_ClockMovesOn_FalseUntilTheQuietPeriodHasPassedThenTrue()
    {
        var last = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var period = TimeSpan.FromSeconds(6);

        var early = QuietPeriod.IsDue(last, period, BusinessCalendar.AlwaysOpen, last + TimeSpan.FromSeconds(5.999));
        var onTime = QuietPeriod.IsDue(last, period, BusinessCalendar.AlwaysOpen, last + period);

        Assert.False(early);
        Assert.True(onTime);
    }

    [Fact]
    public void DueAt_ZeroPeriod_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuietPeriod.DueAt(Local(12, 1, 10), TimeSpan.Zero, Office));
    }

    [Fact]
    public void DueAt_CalendarOfVilnius_UsesItsZone()
    {
        Assert.Equal(Vilnius, Office.TimeZone);
    }
}
