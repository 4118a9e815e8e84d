using SlaWatch.Domain.Sla;

namespace SlaWatch.Domain.Messages;

/// <summary>
/// When an open complaint that has heard nothing from us is due a short "still on it" update (PRODUCT.md, flow step 6:
/// "a short update at a regular interval so they never wait in silence"). Pure: the last message, the period and the
/// calendar are arguments.
/// </summary>
/// <remarks>
/// Without business hours the period is plain elapsed time. With a calendar, the whole days of the period are counted as
/// business days (days with opening hours that are not holidays, in the calendar's time zone) at the same local time of
/// day, and what is left over as open time: two days after Friday 15:00 is Tuesday 15:00, not six working days later
/// (which "48 hours of open time" would be with eight-hour days). A due time that falls while closed moves to the next
/// opening.
/// </remarks>
public static class QuietPeriod
{
    /// <summary>The moment the update is due: <paramref name="period"/> after <paramref name="lastMessageAt"/>, in business days when the calendar has hours.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not positive.</exception>
    public static DateTimeOffset DueAt(DateTimeOffset lastMessageAt, TimeSpan period, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var start = lastMessageAt.ToUniversalTime();
        if (calendar.IsAlwaysOpen || calendar.TimeZone is not { } zone)
        {
            return start + period;
        }

        var at = NextOpening(calendar, start);
        for (var day = 0; day < period.Days; day++)
        {
            at = NextOpening(calendar, SameTimeNextBusinessDay(calendar, zone, at));
        }

        var rest = period - TimeSpan.FromDays(period.Days);
        return rest > TimeSpan.Zero ? calendar.Add(at, rest) : at;
    }

    /// <summary>True when the update is due at <paramref name="now"/> (never before its due time).</summary>
    public static bool IsDue(DateTimeOffset lastMessageAt, TimeSpan period, BusinessCalendar calendar, DateTimeOffset now) =>
        now >= DueAt(lastMessageAt, period, calendar);

    /// <summary><paramref name="instant"/> itself when open, else the next opening.</summary>
    private static DateTimeOffset NextOpening(BusinessCalendar calendar, DateTimeOffset instant) =>
        calendar.IsOpenAt(instant) ? instant : calendar.Add(instant, TimeSpan.FromTicks(1)) - TimeSpan.FromTicks(1);

    private static DateTimeOffset SameTimeNextBusinessDay(BusinessCalendar calendar, TimeZoneInfo zone, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var date = DateOnly.FromDateTime(local.DateTime).AddDays(1);
        // A calendar with hours has at least one business day a week; holidays end, so this loop ends too.
        for (var guard = 0; guard < 3660 && !IsBusinessDay(calendar, date); guard++)
        {
            date = date.AddDays(1);
        }

        return ToInstant(zone, date.ToDateTime(TimeOnly.FromTimeSpan(local.TimeOfDay)));
    }

    private static bool IsBusinessDay(BusinessCalendar calendar, DateOnly date) =>
        !calendar.Holidays.Contains(date) && calendar.Hours.Any(h => h.Day == date.DayOfWeek);

    /// <summary>A local wall-clock time as an instant: a time the clocks skip moves past the change, a repeated one is its first occurrence.</summary>
    private static DateTimeOffset ToInstant(TimeZoneInfo zone, DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset).ToUniversalTime();
    }
}
