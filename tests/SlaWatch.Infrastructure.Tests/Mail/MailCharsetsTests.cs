using SlaWatch.Infrastructure.Mail;

namespace SlaWatch.Infrastructure.Tests.Mail;

public sealed class MailCharsetsTests
{
    [Theory]
    [InlineData("gb2312", 54936)]
    [InlineData("GBK", 54936)]
    [InlineData("\"gb2312\"", 54936)]
    [InlineData("ks_c_5601-1987", 949)]
    [InlineData("euc-kr", 949)]
    [InlineData("x-user-defined", 1252)]
    [InlineData("iso-8859-1", 1252)]
    [InlineData("koi8-r", 20866)]
    [InlineData("cp1251", 1251)]
    [InlineData("win-1257", 1257)]
    [InlineData("windows-1257", 1257)]
    [InlineData("big5", 950)]
    [InlineData("sjis", 932)]
    [InlineData("utf8", 65001)]
    public void TryGetEncoding_MailLabel_ResolvesToSuperset(string label, int codePage)
    {
        Assert.True(MailCharsets.TryGetEncoding(label, out var encoding));
        Assert.Equal(codePage, encoding.CodePage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("us-ascii")]
    [InlineData("unknown-8bit")]
    [InlineData("no-such-charset")]
    public void TryGetEncoding_NoInformationOrUnknown_False(string? label)
    {
        Assert.False(MailCharsets.TryGetEncoding(label, out _));
    }
}
