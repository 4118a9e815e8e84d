using System.Globalization;
using SlaWatch.Domain.Languages;

namespace SlaWatch.Domain.Messages;

/// <summary>
/// A promised resolution date as the customer reads it, in their language: the date (with the weekday) and the margin as
/// a span of days — "normally within 3 to 4 days" rather than "guaranteed in 3" (seed 003: leave room for the unexpected).
/// Pure: the instants, the team's time zone and <c>now</c> are arguments.
/// </summary>
/// <remarks>
/// <para>Month and weekday names are written out here rather than taken from the platform's culture data, so a message
/// reads the same on every machine. Each language's date fits after a colon or in apposition, so no case ending depends
/// on the sentence around it:</para>
/// <list type="table">
/// <item><term>en</term><description>"Friday 4 December 2026"; days after "within": "1 day", "4 days", "3 to 4 days".</description></item>
/// <item><term>ru</term><description>"4 декабря 2026 г. (пятница)"; days in the genitive after "в течение": "1 дня", "3 дней",
/// "3–4 дней", "20–21 дня" (the noun follows the last number).</description></item>
/// <item><term>nl</term><description>"vrijdag 4 december 2026"; days after "binnen": "1 dag", "4 dagen", "3 tot 4 dagen".</description></item>
/// <item><term>tl</term><description>"Biyernes, Disyembre 4, 2026"; days after "sa loob ng": "1 araw", "4 na araw", "3 hanggang 4 na araw".</description></item>
/// <item><term>zh</term><description>"2026年12月4日（星期五）"; days before "内": "4天", "3到4天".</description></item>
/// <item><term>lt</term><description>"2026 m. gruodžio 4 d. (penktadienis)"; days in the accusative after "per": "1 dieną", "3 dienas",
/// "10 dienų", "3–4 dienas" (the noun follows the last number).</description></item>
/// </list>
/// </remarks>
public static class PromiseWording
{
    private static readonly string[] EnglishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] RussianMonthsGenitive = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
    private static readonly string[] DutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    private static readonly string[] TagalogMonths = ["Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunyo", "Hulyo", "Agosto", "Setyembre", "Oktubre", "Nobyembre", "Disyembre"];
    private static readonly string[] LithuanianMonthsGenitive = ["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"];

    // Indexed by (int)DayOfWeek: Sunday first.
    private static readonly string[] EnglishDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] RussianDays = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"];
    private static readonly string[] DutchDays = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"];
    private static readonly string[] TagalogDays = ["Linggo", "Lunes", "Martes", "Miyerkoles", "Huwebes", "Biyernes", "Sabado"];
    private static readonly string[] ChineseDays = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
    private static readonly string[] LithuanianDays = ["sekmadienis", "pirmadienis", "antradienis", "trečiadienis", "ketvirtadienis", "penktadienis", "šeštadienis"];

    /// <summary>The local date of <paramref name="instant"/> in <paramref name="zone"/> (UTC when null).</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo? zone) =>
        DateOnly.FromDateTime((zone is null ? instant.ToUniversalTime() : TimeZoneInfo.ConvertTime(instant, zone)).DateTime);

    /// <summary>A date with its weekday, written as <paramref name="language"/> writes it.</summary>
    public static string Date(LanguageCode language, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(language);
        var month = date.Month - 1;
        var day = (int)date.DayOfWeek;
        var d = date.Day.ToString(CultureInfo.InvariantCulture);
        var y = date.Year.ToString(CultureInfo.InvariantCulture);
        return language.Value switch
        {
            "en" => $"{EnglishDays[day]} {d} {EnglishMonths[month]} {y}",
            "ru" => $"{d} {RussianMonthsGenitive[month]} {y} г. ({RussianDays[day]})",
            "nl" => $"{DutchDays[day]} {d} {DutchMonths[month]} {y}",
            "tl" => $"{TagalogDays[day]}, {TagalogMonths[month]} {d}, {y}",
            "zh" => $"{y}年{date.Month.ToString(CultureInfo.InvariantCulture)}月{d}日（{ChineseDays[day]}）",
            "lt" => $"{y} m. {LithuanianMonthsGenitive[month]} {d} d. ({LithuanianDays[day]})",
            _ => throw new ArgumentOutOfRangeException(nameof(language), language.Value, "No wording for this language."),
        };
    }

    /// <summary>
    /// Whole calendar days from the local date of <paramref name="now"/> to the earliest and the promised date, in the
    /// team's time zone: (3, 4) for "within 3 to 4 days". The lower count is at least 1 and never above the upper one;
    /// without a margin both are the same. (0, 0) when the date is today.
    /// </summary>
    public static (int Low, int High) DaySpan(DateTimeOffset now, DateTimeOffset? earliestAt, DateTimeOffset dueAt, TimeZoneInfo? zone)
    {
        var today = LocalDate(now, zone);
        var high = LocalDate(dueAt, zone).DayNumber - today.DayNumber;
        if (high < 1)
        {
            return (0, 0);
        }

        var low = earliestAt is { } earliest ? LocalDate(earliest, zone).DayNumber - today.DayNumber : high;
        low = Math.Clamp(low, 1, high);
        return (low, high);
    }

    /// <summary>
    /// The span of days in <paramref name="language"/>, worded to follow "within" (or its equivalent, see the remarks);
    /// empty when <paramref name="high"/> is below 1 (the date is today: say the date instead).
    /// </summary>
    public static string Days(LanguageCode language, int low, int high)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (high < 1)
        {
            return string.Empty;
        }

        low = Math.Clamp(low, 1, high);
        var single = low == high;
        var l = low.ToString(CultureInfo.InvariantCulture);
        var h = high.ToString(CultureInfo.InvariantCulture);
        return language.Value switch
        {
            "en" => single ? $"{h} {(high == 1 ? "day" : "days")}" : $"{l} to {h} days",
            "ru" => (single ? h : $"{l}–{h}") + " " + RussianGenitiveDays(high),
            "nl" => single ? $"{h} {(high == 1 ? "dag" : "dagen")}" : $"{l} tot {h} dagen",
            "tl" => single ? (high == 1 ? "1 araw" : $"{h} na araw") : $"{l} hanggang {h} na araw",
            "zh" => single ? $"{h}天" : $"{l}到{h}天",
            "lt" => (single ? h : $"{l}–{h}") + " " + LithuanianAccusativeDays(high),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language.Value, "No wording for this language."),
        };
    }

    // Genitive after "в течение": 1, 21, 31… (not 11) take "дня"; every other number "дней".
    private static string RussianGenitiveDays(int count) => count % 10 == 1 && count % 100 != 11 ? "дня" : "дней";

    // Accusative after "per": ending in 1 (not 11) "dieną"; ending in 2–9 (not 12–19) "dienas"; 0 or 10–19 "dienų".
    private static string LithuanianAccusativeDays(int count)
    {
        var lastTwo = count % 100;
        var last = count % 10;
        if (lastTwo is >= 10 and <= 19 || last == 0)
        {
            return "dienų";
        }

        return last == 1 ? "dieną" : "dienas";
    }
}
