using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class PromiseWordingTests
{
    private static readonly DateOnly Friday = new(2026, 12, 4);

    [Theory]
    [InlineData("en", "Friday 4 December 2026")]
    [InlineData("ru", "4 декабря 2026 г. (пятница)")]
    [InlineData("nl", "vrijdag 4 december 2026")]
    [InlineData("tl", "Biyernes, Disyembre 4, 2026")]
    [InlineData("zh", "2026年12月4日（星期五）")]
    [InlineData("lt", "2026 m. gruodžio 4 d. (penktadienis)")]
    public void Date_EachLanguage_WritesTheDateWithItsWeekday(string language, string expected)
    {
        var text = PromiseWording.Date(LanguageCode.Parse(language), Friday);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("en", 3, 4, "3 to 4 days")]
    [InlineData("en", 1, 1, "1 day")]
    [InlineData("en", 4, 4, "4 days")]
    [InlineData("ru", 3, 4, "3–4 дней")]
    [InlineData("ru", 1, 1, "1 дня")]
    [InlineData("ru", 20, 21, "20–21 дня")]
    [InlineData("ru", 11, 11, "11 дней")]
    [InlineData("nl", 3, 4, "3 tot 4 dagen")]
    [InlineData("nl", 1, 1, "1 dag")]
    [InlineData("tl", 3, 4, "3 hanggang 4 na araw")]
    [InlineData("tl", 1, 1, "1 araw")]
    [InlineData("zh", 3, 4, "3到4天")]
    [InlineData("zh", 2, 2, "2天")]
    [InlineData("lt", 3, 4, "3–4 dienas")]
    [InlineData("lt", 1, 1, "1 dieną")]
    [InlineData("lt", 9, 10, "9–10 dienų")]
    [InlineData("lt", 20, 21, "20–21 dieną")]
    public void Days_Span_WordedToFollowWithin(string language, int low, int high, string expected)
    {
        var text = PromiseWording.Days(LanguageCode.Parse(language), low, high);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void Days_DateIsToday_Empty()
    {
        Assert.Equal(string.Empty, PromiseWording.Days(LanguageCode.English, 0, 0));
    }

    [Fact]
    public void DaySpan_MarginOfOneDay_CountsCalendarDaysFromToday()
    {
        var now = new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
        var due = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

        var span = PromiseWording.DaySpan(now, due.AddDays(-1), due, null);

        Assert.Equal((3, 4), span);
    }

    [Fact]
    public void DaySpan_CountedInTheTeamsTimeZone_NotUtc()
    {
        var vilnius = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vilnius");
        // 22:30 UTC on 30 November is already 1 December in Vilnius (UTC+2).
        var now = new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero);
        var due = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal((4, 4), PromiseWording.DaySpan(now, null, due, null));
        Assert.Equal((3, 3), PromiseWording.DaySpan(now, null, due, vilnius));
    }

    [Fact]
    public void DaySpan_EarliestToday_LowerCountIsAtLeastOne()
    {
        var now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        var span = PromiseWording.DaySpan(now, now.AddHours(2), now.AddDays(2), null);

        Assert.Equal((1, 2), span);
    }

    [Fact]
    public void DaySpan_DueToday_Zero()
    {
        var now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal((0, 0), PromiseWording.DaySpan(now, null, now.AddSeconds(30), null));
    }
}
