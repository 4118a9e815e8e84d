using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Sla;

/// <summary>
/// When the team is open: weekly hours in a time zone, minus holidays. Deadlines count open time only, so an hour of
/// business time that starts at 16:30 on a Friday ends at 09:30 on Monday. <see cref="AlwaysOpen"/> (the default, because
/// the golden hour is measured on the customer's clock) makes business time plain elapsed time.
/// </summary>
/// <remarks>
/// <para>
/// Open time is real elapsed time between UTC instants, so a window that spans a clock change is as long as it really is:
/// 01:00–03:00 on the night the clocks go forward lasts one hour, 01:00–02:00 on the night they go back two.
/// </para>
/// <para>
/// A local opening or closing time maps to the first instant at which the wall clock shows it or has passed it: a time the
/// clocks skip (02:30 in New York on the spring-forward night) is the moment of the change; a time that happens twice on the
/// fall-back night is its first occurrence. A holiday closes the windows that open on that local date; an overnight window
/// that opened the evening before runs to its end.
/// </para>
/// </remarks>
public sealed partial class BusinessCalendar
{
    private static readonly DayOfWeek[] WeekFromMonday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private readonly TimeZoneInfo? _zone;

    // Index: (int)DayOfWeek; each day's windows ordered by opening time.
    private readonly WeeklyHours[][] _windowsByDay;

    private BusinessCalendar(TimeZoneInfo? zone, IReadOnlyList<WeeklyHours> hours, FrozenSet<DateOnly> holidays)
    {
        _zone = zone;
        Hours = hours;
        Holidays = holidays;
        _windowsByDay = new WeeklyHours[7][];
        for (var day = 0; day < 7; day++)
        {
            _windowsByDay[day] = [.. hours.Where(h => (int)h.Day == day).OrderBy(h => h.Start)];
        }
    }

    /// <summary>Open around the clock, every day: <see cref="Add"/> is plain addition.</summary>
    public static BusinessCalendar AlwaysOpen { get; } = new(null, [], FrozenSet<DateOnly>.Empty);

    /// <summary>True for <see cref="AlwaysOpen"/> (or a calendar built with no hours and no holidays).</summary>
    public bool IsAlwaysOpen => _zone is null;

    /// <summary>The calendar's time zone; <see langword="null"/> when <see cref="IsAlwaysOpen"/>.</summary>
    public TimeZoneInfo? TimeZone => _zone;

    /// <summary>The weekly windows (every day 00:00–00:00 for a calendar with holidays but no hours).</summary>
    public IReadOnlyList<WeeklyHours> Hours { get; }

    /// <summary>Local dates on which no window opens.</summary>
    public IReadOnlySet<DateOnly> Holidays { get; }

    /// <summary>
    /// A calendar in <paramref name="zone"/>. No hours means open all day (so only the holidays close it); no hours and no
    /// holidays is <see cref="AlwaysOpen"/>. Overlapping windows count once.
    /// </summary>
    /// <exception cref="ArgumentException">A window names a day that is not a <see cref="DayOfWeek"/>.</exception>
    public static BusinessCalendar Create(TimeZoneInfo zone, IEnumerable<WeeklyHours> hours, IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(holidays);
        var windows = hours.ToList();
        var closed = holidays.ToFrozenSet();
        foreach (var window in windows)
        {
            ArgumentNullException.ThrowIfNull(window, nameof(hours));
            if (!Enum.IsDefined(window.Day))
            {
                throw new ArgumentException($"'{window.Day}' is not a day of the week.", nameof(hours));
            }
        }

        if (windows.Count == 0)
        {
            if (closed.Count == 0)
            {
                return AlwaysOpen;
            }

            windows = [.. WeekFromMonday.Select(day => new WeeklyHours(day, TimeOnly.MinValue, TimeOnly.MinValue))];
        }

        return new BusinessCalendar(zone, windows, closed);
    }

    /// <summary>
    /// Builds a calendar from configuration (<c>SlaWatch:Sla:Calendar:TimeZone</c>, <c>Hours</c>, <c>Holidays</c>).
    /// </summary>
    /// <param name="timeZone">An IANA time zone id such as <c>Europe/Vilnius</c>.</param>
    /// <param name="hours">
    /// Entries such as <c>Mon-Fri 09:00-17:00</c>, <c>Sat 10:00-14:00</c>, <c>Mon,Wed 08:00-12:00,13:00-17:00</c>: days
    /// (<c>Mon</c>…<c>Sun</c> or full English names, single, ranges — <c>Fri-Mon</c> wraps — or comma lists), a space, then one or
    /// more <c>HH:mm-HH:mm</c> ranges separated by commas. <c>24:00</c> is midnight at the end of the day; a range whose end is
    /// before its start runs overnight. Blank entries are ignored.
    /// </param>
    /// <param name="holidays">Local dates as <c>yyyy-MM-dd</c>. Blank entries are ignored.</param>
    /// <returns><see cref="AlwaysOpen"/> when there is no time zone and there are no hours and no holidays.</returns>
    /// <exception cref="FormatException">A value cannot be read, the time zone is unknown, or hours or holidays are given
    /// without a time zone; the message quotes the value.</exception>
    public static BusinessCalendar Parse(string? timeZone, IReadOnlyList<string> hours, IReadOnlyList<string> holidays)
    {
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(holidays);
        var hourEntries = hours.Where(h => !string.IsNullOrWhiteSpace(h)).ToList();
        var holidayEntries = holidays.Where(h => !string.IsNullOrWhiteSpace(h)).ToList();

        if (string.IsNullOrWhiteSpace(timeZone))
        {
            if (hourEntries.Count > 0 || holidayEntries.Count > 0)
            {
                var first = hourEntries.Count > 0 ? $"business hours \"{hourEntries[0]}\"" : $"holiday \"{holidayEntries[0]}\"";
                throw new FormatException($"The {first} need a time zone (an IANA id such as \"Europe/Vilnius\"); none is configured.");
            }

            return AlwaysOpen;
        }

        var zone = ParseTimeZone(timeZone.Trim());
        var windows = hourEntries.SelectMany(ParseHours).ToList();
        var dates = holidayEntries.Select(ParseHoliday).ToList();
        return Create(zone, windows, dates);
    }

    /// <summary>
    /// The instant at which <paramref name="businessTime"/> of open time has passed since <paramref name="start"/>, as a UTC
    /// offset value. Zero is <paramref name="start"/> itself. When the calendar is closed at <paramref name="start"/> the count
    /// begins at the next opening; when a window closes with time still to count, it goes on at the next one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="businessTime"/> is negative, or the result is past the
    /// end of the representable calendar.</exception>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan businessTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        var from = start.ToUniversalTime();
        if (_zone is null || businessTime == TimeSpan.Zero)
        {
            return from + businessTime;
        }

        var remaining = businessTime;
        foreach (var (open, close) in OpenPeriodsFrom(from))
        {
            var available = close - open;
            if (remaining <= available)
            {
                return open + remaining;
            }

            remaining -= available;
        }

        // OpenPeriodsFrom only ends by throwing at the end of the calendar.
        throw new ArgumentOutOfRangeException(nameof(businessTime), businessTime, "The calendar ends before that much open time has passed.");
    }

    /// <summary>The open time between two instants; zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan OpenTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (_zone is null)
        {
            return to - from;
        }

        var total = TimeSpan.Zero;
        foreach (var (open, close) in OpenPeriodsFrom(from.ToUniversalTime()))
        {
            if (open >= to)
            {
                break;
            }

            total += (close < to ? close : to) - open;
        }

        return total;
    }

    /// <summary>True when <paramref name="instant"/> falls inside an open window.</summary>
    public bool IsOpenAt(DateTimeOffset instant)
    {
        if (_zone is null)
        {
            return true;
        }

        var at = instant.ToUniversalTime();
        return OpenPeriodsFrom(at).First().Open == at;
    }

    /// <summary>
    /// The open periods at or after <paramref name="from"/>, ascending and disjoint, clipped to start no earlier than it. Starts
    /// one local day early so an overnight window opened the evening before is included. Endless for an open calendar; throws
    /// when it runs off the end of <see cref="DateOnly"/>.
    /// </summary>
    private IEnumerable<(DateTimeOffset Open, DateTimeOffset Close)> OpenPeriodsFrom(DateTimeOffset from)
    {
        var zone = _zone!;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var coveredUntil = from;
        while (true)
        {
            if (!Holidays.Contains(day))
            {
                // Local order is UTC order (ToInstant never goes backwards), so windows come out sorted by opening;
                // coveredUntil drops what an earlier, overlapping window already counted.
                foreach (var window in _windowsByDay[(int)day.DayOfWeek])
                {
                    var open = ToInstant(day.ToDateTime(window.Start));
                    var close = ToInstant((window.EndsNextDay ? day.AddDays(1) : day).ToDateTime(window.End));
                    if (open < coveredUntil)
                    {
                        open = coveredUntil;
                    }

                    if (close > open)
                    {
                        yield return (open, close);
                        coveredUntil = close;
                    }
                }
            }

            if (day >= DateOnly.MaxValue.AddDays(-2))
            {
                throw new ArgumentOutOfRangeException(nameof(from), from, "No more open time before the end of the calendar.");
            }

            day = day.AddDays(1);
        }
    }

    /// <summary>
    /// The first UTC instant at which the calendar's wall clock shows <paramref name="local"/> or has passed it: the earlier
    /// of two on the fall-back night, the moment of the change for a time the spring-forward night skips.
    /// </summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        var zone = _zone!;
        var wall = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero);

        // Offsets never exceed ±14 h and clock changes are months apart, so the offsets a day either side are the only
        // candidates: each one that maps back to itself is a valid reading of the wall clock.
        DateTimeOffset? earliest = null;
        var lowest = TimeSpan.MaxValue;
        var highest = TimeSpan.MinValue;
        foreach (var probe in (ReadOnlySpan<DateTimeOffset>)[wall.AddDays(-1), wall, wall.AddDays(1)])
        {
            var offset = zone.GetUtcOffset(probe);
            lowest = offset < lowest ? offset : lowest;
            highest = offset > highest ? offset : highest;
            var candidate = wall - offset;
            if (zone.GetUtcOffset(candidate) == offset && (earliest is null || candidate < earliest))
            {
                earliest = candidate;
            }
        }

        if (earliest is not null)
        {
            return earliest.Value;
        }

        // Skipped by a spring-forward change: find the change itself, the first instant whose wall clock is past `local`.
        var before = wall - highest; // shows a time before `local` (still on the lower offset)
        var after = wall - lowest; // shows a time after `local` (already on the higher offset)
        while (after - before > TimeSpan.FromTicks(1))
        {
            var middle = before + ((after - before) / 2);
            if (middle.UtcTicks + zone.GetUtcOffset(middle).Ticks >= wall.UtcTicks)
            {
                after = middle;
            }
            else
            {
                before = middle;
            }
        }

        return after;
    }

    private static TimeZoneInfo ParseTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FormatException($"Time zone \"{id}\" is not known on this system (expected an IANA id such as \"Europe/Vilnius\").", ex);
        }
    }

    private static DateOnly ParseHoliday(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormatException($"Holiday \"{text}\" is not a date as yyyy-MM-dd (for example \"2026-12-25\").");

    private static List<WeeklyHours> ParseHours(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t']);
        if (space < 0)
        {
            throw HoursError(text, "expected days, a space and times, as in \"Mon-Fri 09:00-17:00\"");
        }

        var days = ParseDays(text, trimmed[..space]);
        var windows = new List<WeeklyHours>();
        foreach (var range in trimmed[(space + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            var match = TimeRange().Match(range);
            if (!match.Success)
            {
                throw HoursError(text, $"\"{range}\" is not a time range as HH:mm-HH:mm");
            }

            var start = ParseTime(text, match.Groups["start"].Value, allowEndOfDay: false);
            var end = ParseTime(text, match.Groups["end"].Value, allowEndOfDay: true);
            if (start == end && match.Groups["end"].Value != "24:00")
            {
                throw HoursError(text, $"\"{range}\" opens and closes at the same time");
            }

            windows.AddRange(days.Select(day => new WeeklyHours(day, start, end)));
        }

        return windows;
    }

    private static List<DayOfWeek> ParseDays(string text, string daysPart)
    {
        var days = new List<DayOfWeek>();
        foreach (var item in daysPart.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = item.Split('-');
            if (bounds.Length is < 1 or > 2)
            {
                throw HoursError(text, $"\"{item}\" is not a day or a range of days");
            }

            var first = ParseDay(text, bounds[0]);
            var last = bounds.Length == 2 ? ParseDay(text, bounds[1]) : first;
            var index = Array.IndexOf(WeekFromMonday, first);
            while (true)
            {
                var day = WeekFromMonday[index % 7];
                if (!days.Contains(day))
                {
                    days.Add(day);
                }

                if (day == last)
                {
                    break;
                }

                index++;
            }
        }

        return days;
    }

    private static DayOfWeek ParseDay(string text, string name)
    {
        foreach (var day in WeekFromMonday)
        {
            var full = day.ToString();
            if (name.Equals(full, StringComparison.OrdinalIgnoreCase) || name.Equals(full[..3], StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        throw HoursError(text, $"\"{name}\" is not a day of the week (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    private static TimeOnly ParseTime(string text, string value, bool allowEndOfDay)
    {
        if (allowEndOfDay && value == "24:00")
        {
            return TimeOnly.MinValue;
        }

        return TimeOnly.TryParseExact(value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw HoursError(text, $"\"{value}\" is not a time of day as HH:mm");
    }

    private static FormatException HoursError(string text, string problem) =>
        new($"Business hours \"{text}\": {problem}.");

    [GeneratedRegex(@"^(?<start>\d{1,2}:\d{2})\s*-\s*(?<end>\d{1,2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeRange();
}
