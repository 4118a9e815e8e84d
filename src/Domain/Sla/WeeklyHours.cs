namespace SlaWatch.Domain.Sla;

/// <summary>
/// One weekly opening window of a <see cref="BusinessCalendar"/>, in the calendar's local time. When <see cref="End"/> is not
/// after <see cref="Start"/> the window runs past midnight and closes at <see cref="End"/> on the following day: 22:00–06:00 is
/// an overnight shift, 09:00–00:00 closes at midnight, and 00:00–00:00 is the whole day.
/// </summary>
/// <param name="Day">The day the window opens on.</param>
/// <param name="Start">Local opening time.</param>
/// <param name="End">Local closing time (on the next day when not after <paramref name="Start"/>).</param>
public sealed record WeeklyHours(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <summary>True when the window closes on the day after it opens (including a whole-day window).</summary>
    public bool EndsNextDay => End <= Start;

    /// <summary>How long the window lasts on a day without a clock change.</summary>
    public TimeSpan Length => EndsNextDay ? TimeSpan.FromDays(1) - (Start - End) : End - Start;
}
