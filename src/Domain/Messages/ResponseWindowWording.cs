using System.Globalization;
using SlaWatch.Domain.Languages;

namespace SlaWatch.Domain.Messages;

/// <summary>
/// Words a response window ("a person answers within …") in a customer's language, in the grammatical form that the
/// sentence of the shipped acknowledgement template needs. The window is configured (and compressed to seconds in tests
/// and demos), so it is never hard-coded in a template.
/// </summary>
/// <remarks>
/// <para>The window is split into days, hours, minutes and seconds (a fraction of a second is rounded up, so the promise
/// is never shorter than the window); parts that are zero are left out, so 01:30:00 is "1 hour and 30 minutes" and
/// 2.00:00:00 is "2 days".</para>
/// <para>The construction each phrase fits, per language (a template that words the sentence differently needs another
/// form):</para>
/// <list type="table">
/// <item><term>en</term><description>after "within": "within 1 hour", "within 2 hours and 30 minutes", "within 30 seconds".</description></item>
/// <item><term>ru</term><description>accusative after "через" (the template says "не позднее чем через …"): "через 1 час / 2 часа /
/// 5 часов / 21 час", "через 1 минуту / 2 минуты / 5 минут", "через 1 секунду / 3 секунды / 30 секунд", "через 1 день / 2 дня /
/// 5 дней"; parts joined by a space ("через 1 час 30 минут"). The number picks the form: 1, 21, 31… (not 11);
/// 2–4, 22–24… (not 12–14); everything else.</description></item>
/// <item><term>nl</term><description>after "binnen": "binnen 1 uur / 2 uur" (uur does not take a plural after a number), "binnen 1 minuut /
/// 30 minuten", "binnen 1 seconde / 30 seconden", "binnen 1 dag / 2 dagen"; the last part joined with "en".</description></item>
/// <item><term>tl</term><description>after "sa loob ng": "sa loob ng 1 oras / 2 oras", "30 minuto", "30 segundo", "2 araw" (a noun
/// after a numeral does not change); the last part joined with "at".</description></item>
/// <item><term>zh</term><description>before "内" ("在…内回复"): "1小时", "30分钟", "30秒", "2天", parts written together ("1小时30分钟").</description></item>
/// <item><term>lt</term><description>accusative after "per": "per 1 valandą / 2 valandas / 10 valandų / 21 valandą", "per 1 minutę /
/// 5 minutes / 30 minučių", "per 1 sekundę / 2 sekundes / 30 sekundžių", "per 1 dieną / 3 dienas / 10 dienų"; the last part joined
/// with "ir". The number picks the form: ending in 1 (not 11); ending in 2–9 (not 12–19); ending in 0 or 11–19 (genitive plural).</description></item>
/// </list>
/// </remarks>
public static class ResponseWindowWording
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>The phrase for <paramref name="window"/> in <paramref name="language"/>, such as "1 hour" or "2 часа".</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is zero or negative.</exception>
    public static string Describe(LanguageCode language, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A response window must be longer than zero.");
        }

        var parts = Split(window);
        return language.Value switch
        {
            "en" => JoinWithConjunction(parts.Select(p => Number(p.Count) + " " + English(p)), " and "),
            "ru" => string.Join(' ', parts.Select(p => Number(p.Count) + " " + Russian(p))),
            "nl" => JoinWithConjunction(parts.Select(p => Number(p.Count) + " " + Dutch(p)), " en "),
            "tl" => JoinWithConjunction(parts.Select(p => Number(p.Count) + " " + Tagalog(p.Unit)), " at "),
            "zh" => string.Concat(parts.Select(p => Number(p.Count) + Chinese(p.Unit))),
            "lt" => JoinWithConjunction(parts.Select(p => Number(p.Count) + " " + Lithuanian(p)), " ir "),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language.Value, "No wording for this language."),
        };
    }

    private enum Unit
    {
        Day,
        Hour,
        Minute,
        Second,
    }

    private readonly record struct Part(long Count, Unit Unit);

    private static List<Part> Split(TimeSpan window)
    {
        // Round a fraction of a second up: "within 1 second" for 00:00:00.5 keeps the promise, "within 0 seconds" would not.
        var totalSeconds = (window.Ticks + TicksPerSecond - 1) / TicksPerSecond;
        var days = totalSeconds / 86_400;
        var hours = totalSeconds / 3_600 % 24;
        var minutes = totalSeconds / 60 % 60;
        var seconds = totalSeconds % 60;

        var parts = new List<Part>(4);
        if (days > 0)
        {
            parts.Add(new Part(days, Unit.Day));
        }

        if (hours > 0)
        {
            parts.Add(new Part(hours, Unit.Hour));
        }

        if (minutes > 0)
        {
            parts.Add(new Part(minutes, Unit.Minute));
        }

        if (seconds > 0)
        {
            parts.Add(new Part(seconds, Unit.Second));
        }

        return parts;
    }

    private static string Number(long count) => count.ToString(CultureInfo.InvariantCulture);

    private static string JoinWithConjunction(IEnumerable<string> items, string conjunction)
    {
        var list = items.ToList();
        return list.Count == 1
            ? list[0]
            : string.Join(", ", list.Take(list.Count - 1)) + conjunction + list[^1];
    }

    private static string English(Part part) => (part.Unit, part.Count == 1) switch
    {
        (Unit.Day, true) => "day",
        (Unit.Day, false) => "days",
        (Unit.Hour, true) => "hour",
        (Unit.Hour, false) => "hours",
        (Unit.Minute, true) => "minute",
        (Unit.Minute, false) => "minutes",
        (Unit.Second, true) => "second",
        _ => "seconds",
    };

    private static string Dutch(Part part) => (part.Unit, part.Count == 1) switch
    {
        (Unit.Day, true) => "dag",
        (Unit.Day, false) => "dagen",
        // "2 uur", not "2 uren": a unit of time after a number stays singular.
        (Unit.Hour, _) => "uur",
        (Unit.Minute, true) => "minuut",
        (Unit.Minute, false) => "minuten",
        (Unit.Second, true) => "seconde",
        _ => "seconden",
    };

    private static string Tagalog(Unit unit) => unit switch
    {
        Unit.Day => "araw",
        Unit.Hour => "oras",
        Unit.Minute => "minuto",
        _ => "segundo",
    };

    private static string Chinese(Unit unit) => unit switch
    {
        Unit.Day => "天",
        Unit.Hour => "小时",
        Unit.Minute => "分钟",
        _ => "秒",
    };

    /// <summary>The three number forms Russian and Lithuanian nouns take after a numeral.</summary>
    private enum NumberForm
    {
        One,
        Few,
        Many,
    }

    /// <summary>Russian plural category of a count: 1, 21, 101 (not 11, 111); 2–4, 22–24 (not 12–14); the rest.</summary>
    private static NumberForm RussianPlural(long count)
    {
        var lastTwo = count % 100;
        var last = count % 10;
        if (last == 1 && lastTwo != 11)
        {
            return NumberForm.One;
        }

        return last is >= 2 and <= 4 && lastTwo is not (>= 12 and <= 14) ? NumberForm.Few : NumberForm.Many;
    }

    // Accusative after "через": час/часа/часов, минуту/минуты/минут, секунду/секунды/секунд, день/дня/дней.
    private static string Russian(Part part) => (part.Unit, RussianPlural(part.Count)) switch
    {
        (Unit.Day, NumberForm.One) => "день",
        (Unit.Day, NumberForm.Few) => "дня",
        (Unit.Day, _) => "дней",
        (Unit.Hour, NumberForm.One) => "час",
        (Unit.Hour, NumberForm.Few) => "часа",
        (Unit.Hour, _) => "часов",
        (Unit.Minute, NumberForm.One) => "минуту",
        (Unit.Minute, NumberForm.Few) => "минуты",
        (Unit.Minute, _) => "минут",
        (Unit.Second, NumberForm.One) => "секунду",
        (Unit.Second, NumberForm.Few) => "секунды",
        _ => "секунд",
    };

    /// <summary>Lithuanian plural category: ends in 1 (not 11); ends in 2–9 (not 12–19); ends in 0 or 11–19.</summary>
    private static NumberForm LithuanianPlural(long count)
    {
        var lastTwo = count % 100;
        var last = count % 10;
        if (lastTwo is >= 11 and <= 19 || last == 0)
        {
            return NumberForm.Many;
        }

        return last == 1 ? NumberForm.One : NumberForm.Few;
    }

    // Accusative after "per" (singular, plural), genitive plural after 10–20, 30…: valandą/valandas/valandų,
    // minutę/minutes/minučių, sekundę/sekundes/sekundžių, dieną/dienas/dienų.
    private static string Lithuanian(Part part) => (part.Unit, LithuanianPlural(part.Count)) switch
    {
        (Unit.Day, NumberForm.One) => "dieną",
        (Unit.Day, NumberForm.Few) => "dienas",
        (Unit.Day, _) => "dienų",
        (Unit.Hour, NumberForm.One) => "valandą",
        (Unit.Hour, NumberForm.Few) => "valandas",
        (Unit.Hour, _) => "valandų",
        (Unit.Minute, NumberForm.One) => "minutę",
        (Unit.Minute, NumberForm.Few) => "minutes",
        (Unit.Minute, _) => "minučių",
        (Unit.Second, NumberForm.One) => "sekundę",
        (Unit.Second, NumberForm.Few) => "sekundes",
        _ => "sekundžių",
    };
}
