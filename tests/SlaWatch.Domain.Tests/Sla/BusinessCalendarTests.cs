using System.Globalization;
using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Tests.Sla;

public sealed class BusinessCalendarTests
{
    private static readonly TimeZoneInfo Vilnius = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vilnius");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static readonly BusinessCalendar VilniusOffice = BusinessCalendar.Create(
        Vilnius,
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new WeeklyHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
        []);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Add_AlwaysOpen_IsPlainAdditionInUtc()
    {
        var due = BusinessCalendar.AlwaysOpen.Add(At("2026-03-02T12:00:00+02:00"), TimeSpan.FromMinutes(45));

        Assert.Equal(At("2026-03-02T10:45:00Z"), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void Add_WithinOpenWindow_AddsDirectly()
    {
        // Tuesday 10:00 in Vilnius (winter, +02:00).
        var due = VilniusOffice.Add(At("2026-03-03T08:00:00Z"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-03T09:00:00Z"), due);
    }

    [Fact]
    public void Add_AcrossTheNight_ContinuesNextMorning()
    {
        // Tuesday 16:30 local: 30 minutes today, 30 tomorrow from 09:00.
        var due = VilniusOffice.Add(At("2026-03-03T16:30:00+02:00"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-04T09:30:00+02:00"), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void Add_AcrossTheWeekend_ContinuesOnMonday()
    {
        var due = VilniusOffice.Add(At("2026-03-06T16:30:00+02:00"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-09T09:30:00+02:00"), due);
    }

    [Fact]
    public void Add_ReceivedWhileClosed_CountsFromNextOpening()
    {
        // Saturday noon.
        var due = VilniusOffice.Add(At("2026-03-07T12:00:00+02:00"), TimeSpan.FromMinutes(45));

        Assert.Equal(At("2026-03-09T09:45:00+02:00"), due);
    }

    [Fact]
    public void Add_HolidayInBetween_SkipsTheHoliday()
    {
        // 11 March, the Restoration of Independence, falls on a Wednesday in 2026.
        var calendar = BusinessCalendar.Create(Vilnius, VilniusOffice.Hours, [new DateOnly(2026, 3, 11)]);

        var due = calendar.Add(At("2026-03-10T16:30:00+02:00"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-12T09:30:00+02:00"), due);
    }

    [Fact]
    public void Add_ExactlyTheRestOfTheWindow_EndsAtClosingTime()
    {
        var due = VilniusOffice.Add(At("2026-03-03T16:00:00+02:00"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-03T17:00:00+02:00"), due);
    }

    [Fact]
    public void Add_Zero_IsTheStart()
    {
        var start = At("2026-03-07T12:00:00Z");

        Assert.Equal(start, VilniusOffice.Add(start, TimeSpan.Zero));
    }

    [Fact]
    public void Add_NegativeTime_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VilniusOffice.Add(At("2026-03-03T08:00:00Z"), TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void Add_SecondsWindow_CountsSeconds()
    {
        var due = VilniusOffice.Add(At("2026-03-03T16:59:50+02:00"), TimeSpan.FromSeconds(30));

        Assert.Equal(At("2026-03-04T09:00:20+02:00"), due);
    }

    [Fact]
    public void Add_VilniusSpringForward_WindowSpanningTheChangeLastsOneRealHour()
    {
        // 29 March 2026: 03:00 EET (+02) becomes 04:00 EEST (+03) at 01:00Z. 02:30–04:30 on the wall clock is one real hour.
        var calendar = BusinessCalendar.Create(Vilnius, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(2, 30), new TimeOnly(4, 30))], []);

        var due = calendar.Add(At("2026-03-29T00:30:00Z"), TimeSpan.FromMinutes(45));

        Assert.Equal(At("2026-03-29T01:15:00Z"), due); // 04:15 EEST
    }

    [Fact]
    public void Add_VilniusSpringForward_WholeWindowEndsAtItsRealClosingTime()
    {
        var calendar = BusinessCalendar.Create(Vilnius, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(2, 30), new TimeOnly(4, 30))], []);

        var due = calendar.Add(At("2026-03-29T00:30:00Z"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-03-29T04:30:00+03:00"), due);
    }

    [Fact]
    public void Add_VilniusSpringForward_OpeningTimeTheClocksSkipOpensAtTheChange()
    {
        // 03:30 never shows on the wall clock that night: the window opens when the clock jumps to 04:00 EEST.
        var calendar = BusinessCalendar.Create(Vilnius, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(3, 30), new TimeOnly(5, 0))], []);

        var due = calendar.Add(At("2026-03-28T12:00:00+02:00"), TimeSpan.FromMinutes(30));

        Assert.Equal(At("2026-03-29T04:30:00+03:00"), due);
    }

    [Fact]
    public void Add_VilniusFallBack_WindowSpanningTheChangeLastsTwoRealHours()
    {
        // 25 October 2026: 04:00 EEST (+03) becomes 03:00 EET (+02) at 01:00Z. 03:00–04:00 on the wall clock opens at the
        // first 03:00 (00:00Z) and closes at 04:00 EET (02:00Z).
        var calendar = BusinessCalendar.Create(Vilnius, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(3, 0), new TimeOnly(4, 0))], []);

        var due = calendar.Add(At("2026-10-24T12:00:00Z"), TimeSpan.FromMinutes(90));

        Assert.Equal(At("2026-10-25T01:30:00Z"), due); // 03:30 EET, the second 03:30 of the night
    }

    [Fact]
    public void OpenTimeBetween_VilniusFallBackWindow_IsTwoHours()
    {
        var calendar = BusinessCalendar.Create(Vilnius, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(3, 0), new TimeOnly(4, 0))], []);

        var open = calendar.OpenTimeBetween(At("2026-10-24T00:00:00Z"), At("2026-10-26T00:00:00Z"));

        Assert.Equal(TimeSpan.FromHours(2), open);
    }

    [Fact]
    public void Add_NewYorkSpringForward_WindowSpanningTheChangeGivesTheRightInstant()
    {
        // 8 March 2026: 02:00 EST (-05) becomes 03:00 EDT (-04) at 07:00Z. 01:30–03:30 is 06:30Z–07:30Z.
        var calendar = BusinessCalendar.Create(NewYork, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(1, 30), new TimeOnly(3, 30))], []);

        var due = calendar.Add(At("2026-03-08T01:30:00-05:00"), TimeSpan.FromMinutes(45));

        Assert.Equal(At("2026-03-08T07:15:00Z"), due); // 03:15 EDT
    }

    [Fact]
    public void Add_NewYorkSpringForward_TimeBeyondTheWindowGoesToNextWeek()
    {
        var calendar = BusinessCalendar.Create(NewYork, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(1, 30), new TimeOnly(3, 30))], []);

        var due = calendar.Add(At("2026-03-08T01:30:00-05:00"), TimeSpan.FromMinutes(61));

        Assert.Equal(At("2026-03-15T01:31:00-04:00"), due);
    }

    [Fact]
    public void Add_NewYorkFallBack_WindowSpanningTheChangeGivesTheRightInstant()
    {
        // 1 November 2026: 02:00 EDT (-04) becomes 01:00 EST (-05) at 06:00Z. 01:00–02:00 is 05:00Z–07:00Z.
        var calendar = BusinessCalendar.Create(NewYork, [new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(1, 0), new TimeOnly(2, 0))], []);

        var due = calendar.Add(At("2026-11-01T01:00:00-04:00"), TimeSpan.FromMinutes(90));

        Assert.Equal(At("2026-11-01T06:30:00Z"), due); // 01:30 EST, the second 01:30 of the night
    }

    [Fact]
    public void Add_NewYorkBusinessDayAfterDstChange_UsesTheNewOffset()
    {
        var calendar = BusinessCalendar.Parse("America/New_York", ["Mon-Fri 09:00-17:00"], []);

        // Friday 16:00 EST, before the change; Monday is on EDT.
        var due = calendar.Add(At("2026-03-06T16:00:00-05:00"), TimeSpan.FromHours(2));

        Assert.Equal(At("2026-03-09T10:00:00-04:00"), due);
    }

    [Fact]
    public void Add_OvernightWindow_RunsPastMidnight()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Mon 22:00-06:00"], []);

        var due = calendar.Add(At("2026-03-02T23:00:00+02:00"), TimeSpan.FromHours(3));

        Assert.Equal(At("2026-03-03T02:00:00+02:00"), due);
    }

    [Fact]
    public void Add_OverlappingWindows_CountOpenTimeOnce()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Mon 09:00-13:00", "Mon 12:00-14:00"], []);

        var open = calendar.OpenTimeBetween(At("2026-03-02T00:00:00+02:00"), At("2026-03-03T00:00:00+02:00"));

        Assert.Equal(TimeSpan.FromHours(5), open);
    }

    [Fact]
    public void Add_HolidaysWithoutHours_OpenAllDayExceptTheHoliday()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", [], ["2026-12-25"]);

        var due = calendar.Add(At("2026-12-24T23:30:00+02:00"), TimeSpan.FromHours(1));

        Assert.Equal(At("2026-12-26T00:30:00+02:00"), due);
    }

    [Fact]
    public void OpenTimeBetween_OfficeWeek_IsFortyFourHours()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Mon-Fri 09:00-17:00", "Sat 10:00-14:00"], []);

        var open = calendar.OpenTimeBetween(At("2026-03-02T00:00:00+02:00"), At("2026-03-09T00:00:00+02:00"));

        Assert.Equal(TimeSpan.FromHours(44), open);
    }

    [Fact]
    public void OpenTimeBetween_ReversedRange_IsZero()
    {
        var open = VilniusOffice.OpenTimeBetween(At("2026-03-03T12:00:00Z"), At("2026-03-03T08:00:00Z"));

        Assert.Equal(TimeSpan.Zero, open);
    }

    [Fact]
    public void IsOpenAt_OpeningAndClosingInstants_OpenAtOpeningClosedAtClosing()
    {
        Assert.True(VilniusOffice.IsOpenAt(At("2026-03-03T09:00:00+02:00")));
        Assert.False(VilniusOffice.IsOpenAt(At("2026-03-03T17:00:00+02:00")));
    }

    [Fact]
    public void Parse_NoTimeZoneNoHours_IsAlwaysOpen()
    {
        var calendar = BusinessCalendar.Parse(null, [], []);

        Assert.Same(BusinessCalendar.AlwaysOpen, calendar);
        Assert.True(calendar.IsAlwaysOpen);
    }

    [Fact]
    public void Parse_SeveralEntriesRangesAndLists_ReadsEveryWindow()
    {
        var calendar = BusinessCalendar.Parse(" Europe/Vilnius ", ["Mon-Fri 09:00-12:00, 13:00-17:00", "sat,Sunday 10:00-24:00", " "], ["2026-12-25"]);

        Assert.False(calendar.IsAlwaysOpen);
        Assert.Equal(12, calendar.Hours.Count);
        Assert.Contains(new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(10, 0), TimeOnly.MinValue), calendar.Hours);
        Assert.Contains(new DateOnly(2026, 12, 25), calendar.Holidays);
    }

    [Fact]
    public void Parse_WrappingDayRange_IncludesTheWeekend()
    {
        var calendar = BusinessCalendar.Parse("Europe/Vilnius", ["Fri-Mon 10:00-11:00"], []);

        Assert.Equal([DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday, DayOfWeek.Monday], calendar.Hours.Select(h => h.Day));
    }

    [Theory]
    [InlineData("Mon-Fry 09:00-17:00", "Fry")]
    [InlineData("Mon-Fri 9-17", "9-17")]
    [InlineData("Mon-Fri 09:00-25:00", "25:00")]
    [InlineData("Mon-Fri 09:00-09:00", "09:00-09:00")]
    [InlineData("09:00-17:00", "09:00-17:00")]
    public void Parse_BadHours_ThrowsQuotingTheValue(string hours, string quoted)
    {
        var ex = Assert.Throws<FormatException>(() => BusinessCalendar.Parse("Europe/Vilnius", [hours], []));

        Assert.Contains($"\"{hours}\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(quoted, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("25.12.2026")]
    public void Parse_BadHoliday_ThrowsQuotingTheValue(string holiday)
    {
        var ex = Assert.Throws<FormatException>(() => BusinessCalendar.Parse("Europe/Vilnius", ["Mon-Fri 09:00-17:00"], [holiday]));

        Assert.Contains($"\"{holiday}\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTimeZone_ThrowsQuotingTheValue()
    {
        var ex = Assert.Throws<FormatException>(() => BusinessCalendar.Parse("Europe/Atlantis", ["Mon-Fri 09:00-17:00"], []));

        Assert.Contains("\"Europe/Atlantis\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HoursWithoutTimeZone_ThrowsQuotingTheHours()
    {
        var ex = Assert.Throws<FormatException>(() => BusinessCalendar.Parse("", ["Mon-Fri 09:00-17:00"], []));

        Assert.Contains("\"Mon-Fri 09:00-17:00\"", ex.Message, StringComparison.Ordinal);
    }
}
