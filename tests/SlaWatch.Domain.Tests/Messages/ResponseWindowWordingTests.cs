using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;

namespace SlaWatch.Domain.Tests.Messages;

public sealed class ResponseWindowWordingTests
{
    [Theory]
    [InlineData("01:00:00", "1 hour")]
    [InlineData("02:00:00", "2 hours")]
    [InlineData("00:30:00", "30 minutes")]
    [InlineData("00:01:00", "1 minute")]
    [InlineData("01:30:00", "1 hour and 30 minutes")]
    [InlineData("00:00:30", "30 seconds")]
    [InlineData("00:00:01", "1 second")]
    [InlineData("00:01:30", "1 minute and 30 seconds")]
    [InlineData("1.00:00:00", "1 day")]
    [InlineData("3.00:00:00", "3 days")]
    [InlineData("1.02:03:04", "1 day, 2 hours, 3 minutes and 4 seconds")]
    public void Describe_English_WordsWindowAfterWithin(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.English, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData(1, "1 час")]
    [InlineData(2, "2 часа")]
    [InlineData(4, "4 часа")]
    [InlineData(5, "5 часов")]
    [InlineData(11, "11 часов")]
    [InlineData(12, "12 часов")]
    [InlineData(14, "14 часов")]
    [InlineData(21, "21 час")]
    [InlineData(22, "22 часа")]
    public void Describe_RussianHours_UsesAccusativePluralAfterCherez(int hours, string expected)
    {
        // Hours of the day only go to 23; longer windows become days, so 21–23 are the last hour counts.
        var phrase = ResponseWindowWording.Describe(LanguageCode.Russian, TimeSpan.FromHours(hours));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData(1, "1 минуту")]
    [InlineData(3, "3 минуты")]
    [InlineData(5, "5 минут")]
    [InlineData(11, "11 минут")]
    [InlineData(13, "13 минут")]
    [InlineData(21, "21 минуту")]
    [InlineData(33, "33 минуты")]
    [InlineData(45, "45 минут")]
    public void Describe_RussianMinutes_UsesAccusativePluralAfterCherez(int minutes, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Russian, TimeSpan.FromMinutes(minutes));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData("00:00:01", "1 секунду")]
    [InlineData("00:00:02", "2 секунды")]
    [InlineData("00:00:30", "30 секунд")]
    [InlineData("00:00:41", "41 секунду")]
    [InlineData("01:30:00", "1 час 30 минут")]
    [InlineData("1.00:00:00", "1 день")]
    [InlineData("2.00:00:00", "2 дня")]
    [InlineData("5.00:00:00", "5 дней")]
    [InlineData("11.00:00:00", "11 дней")]
    [InlineData("2.01:00:00", "2 дня 1 час")]
    public void Describe_RussianSecondsDaysAndCombinations_Declines(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Russian, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData("01:00:00", "1 valandą")]
    [InlineData("02:00:00", "2 valandas")]
    [InlineData("09:00:00", "9 valandas")]
    [InlineData("10:00:00", "10 valandų")]
    [InlineData("11:00:00", "11 valandų")]
    [InlineData("19:00:00", "19 valandų")]
    [InlineData("20:00:00", "20 valandų")]
    [InlineData("21:00:00", "21 valandą")]
    [InlineData("22:00:00", "22 valandas")]
    [InlineData("00:01:00", "1 minutę")]
    [InlineData("00:05:00", "5 minutes")]
    [InlineData("00:30:00", "30 minučių")]
    [InlineData("00:00:01", "1 sekundę")]
    [InlineData("00:00:02", "2 sekundes")]
    [InlineData("00:00:30", "30 sekundžių")]
    [InlineData("1.00:00:00", "1 dieną")]
    [InlineData("3.00:00:00", "3 dienas")]
    [InlineData("10.00:00:00", "10 dienų")]
    [InlineData("01:30:00", "1 valandą ir 30 minučių")]
    public void Describe_Lithuanian_UsesAccusativeOrGenitivePluralAfterPer(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Lithuanian, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData("01:00:00", "1 uur")]
    [InlineData("02:00:00", "2 uur")]
    [InlineData("00:01:00", "1 minuut")]
    [InlineData("00:30:00", "30 minuten")]
    [InlineData("00:00:01", "1 seconde")]
    [InlineData("00:00:30", "30 seconden")]
    [InlineData("1.00:00:00", "1 dag")]
    [InlineData("2.00:00:00", "2 dagen")]
    [InlineData("01:30:00", "1 uur en 30 minuten")]
    public void Describe_Dutch_WordsWindowAfterBinnen(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Dutch, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData("01:00:00", "1 oras")]
    [InlineData("02:00:00", "2 oras")]
    [InlineData("00:30:00", "30 minuto")]
    [InlineData("00:00:30", "30 segundo")]
    [InlineData("2.00:00:00", "2 araw")]
    [InlineData("01:30:00", "1 oras at 30 minuto")]
    public void Describe_Tagalog_WordsWindowAfterSaLoobNg(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Tagalog, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Theory]
    [InlineData("01:00:00", "1小时")]
    [InlineData("00:30:00", "30分钟")]
    [InlineData("00:00:30", "30秒")]
    [InlineData("2.00:00:00", "2天")]
    [InlineData("01:30:00", "1小时30分钟")]
    public void Describe_Chinese_WritesPartsTogether(string window, string expected)
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.Chinese, TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, phrase);
    }

    [Fact]
    public void Describe_FractionOfASecond_RoundsUp()
    {
        var phrase = ResponseWindowWording.Describe(LanguageCode.English, TimeSpan.FromMilliseconds(29_500));

        Assert.Equal("30 seconds", phrase);
    }

    [Fact]
    public void Describe_EveryShippedLanguage_HasWording()
    {
        var phrases = LanguageCode.Shipped.Select(l => ResponseWindowWording.Describe(l, TimeSpan.FromHours(1))).ToList();

        Assert.All(phrases, p => Assert.Contains("1", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Describe_ZeroOrNegativeWindow_Throws(int seconds)
    {
        var act = () => ResponseWindowWording.Describe(LanguageCode.English, TimeSpan.FromSeconds(seconds));

        Assert.Throws<ArgumentOutOfRangeException>(act);
    }
}
