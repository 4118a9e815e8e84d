using System.Text;
using SlaWatch.Infrastructure.Mail;

namespace SlaWatch.Infrastructure.Tests.Mail;

public sealed class InboundMailParserTests
{
    private readonly InboundMailParser _parser = new();

    [Fact]
    public void Parse_HumanComplaint_ExtractsAddressesSubjectBodyAndLanguage()
    {
        var parsed = _parser.Parse(MailSamples.Read("human-complaint.eml"));

        Assert.True(parsed.Success);
        var facts = parsed.Facts;
        Assert.Equal("anna.berg@customer.example", facts.From);
        Assert.Equal(["anna.berg@customer.example"], facts.FromAddresses);
        Assert.Equal("Anna Berg", facts.FromName);
        Assert.Equal("anna.berg@customer.example", facts.ReturnPath);
        Assert.Equal(["support@support.example.test"], facts.To);
        Assert.Equal("My order 10-4471 arrived broken", facts.Subject);
        Assert.Equal("CAF-human-0001@mail.customer.example", facts.MessageId);
        Assert.Equal("text/plain", facts.ContentType);
        Assert.Equal("en-GB", facts.ContentLanguage);
        Assert.StartsWith("Hello,", facts.BodyText, StringComparison.Ordinal);
        Assert.Contains("cracked shade", facts.BodyText, StringComparison.Ordinal);
        Assert.Empty(facts.EmbeddedMessageIds);
        Assert.Null(parsed.HeaderCharset);
        Assert.False(parsed.Repaired);
    }

    [Fact]
    public void Parse_HeadersByName_AllValuesUnderLowerCasedNames()
    {
        var parsed = _parser.Parse(MailSamples.Read("list-mailing.eml"));

        Assert.True(parsed.Success);
        Assert.Equal(["Customer talk <talk.lists.example>"], parsed.Facts.Headers["list-id"]);
        Assert.Equal(["list"], parsed.Facts.Headers["Precedence"]);
    }

    [Fact]
    public void Parse_NullReturnPath_IsEmptyString()
    {
        var parsed = _parser.Parse(MailSamples.Read("autoreply-vacation.eml"));

        Assert.True(parsed.Success);
        Assert.Equal(string.Empty, parsed.Facts.ReturnPath);
    }

    [Fact]
    public void Parse_NoReturnPath_IsNull()
    {
        var withoutReturnPath = Encoding.ASCII.GetBytes(
            "From: a@customer.example\r\nTo: support@support.example.test\r\nSubject: x\r\n\r\nbody\r\n");

        var bare = _parser.Parse(withoutReturnPath);

        Assert.True(bare.Success);
        Assert.Null(bare.Facts.ReturnPath);
    }

    [Fact]
    public void Parse_Koi8rRawHeaders_DecodesRussianSubjectAndName()
    {
        var parsed = _parser.Parse(MailSamples.Read("raw8bit-koi8r.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Жалоба на доставку заказа", parsed.Facts.Subject);
        Assert.Equal("Иван Петров", parsed.Facts.FromName);
        Assert.Equal("ivan.petrov@klient.example", parsed.Facts.From);
        Assert.Contains("Мой заказ 10-4471 пришёл разбитым", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.Equal("koi8-r", parsed.HeaderCharset);
    }

    [Fact]
    public void Parse_Gb2312RawHeaders_DecodesChineseSubjectAndName()
    {
        var parsed = _parser.Parse(MailSamples.Read("raw8bit-gb2312.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("投诉：订单未送达", parsed.Facts.Subject);
        Assert.Equal("王小明", parsed.Facts.FromName);
        Assert.Contains("我的订单已经两周没有送达了", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.Equal("gb18030", parsed.HeaderCharset);
    }

    [Fact]
    public void Parse_Windows1257RawHeaders_DecodesLithuanianSubjectAndName()
    {
        var parsed = _parser.Parse(MailSamples.Read("raw8bit-windows1257.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Skundas dėl vėluojančio užsakymo", parsed.Facts.Subject);
        Assert.Equal("Jonas Žemaitis", parsed.Facts.FromName);
        Assert.Contains("mano užsakymas vėluoja", parsed.Facts.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RawHeadersWithoutBodyCharset_UsesMailboxFallbackCharset()
    {
        var cp1251 = Encoding.GetEncoding("windows-1251");
        var raw = Encoding.ASCII.GetBytes("Return-Path: <ivan@klient.example>\r\nFrom: ivan@klient.example\r\nSubject: ")
            .Concat(cp1251.GetBytes("Жалоба"))
            .Concat(Encoding.ASCII.GetBytes("\r\nContent-Type: text/plain\r\n\r\n"))
            .Concat(cp1251.GetBytes("Текст жалобы\r\n"))
            .ToArray();

        var parsed = _parser.Parse(raw, "windows-1251");

        Assert.True(parsed.Success);
        Assert.Equal("Жалоба", parsed.Facts.Subject);
        Assert.Equal("Текст жалобы", parsed.Facts.BodyText);
    }

    [Fact]
    public void Parse_Utf8RawHeaders_LeftAlone()
    {
        var raw = Encoding.UTF8.GetBytes(
            "Return-Path: <ivan@klient.example>\r\nFrom: Иван <ivan@klient.example>\r\nSubject: Жалоба\r\n" +
            "Content-Type: text/plain; charset=koi8-r\r\n\r\nbody\r\n");

        var parsed = _parser.Parse(raw);

        Assert.True(parsed.Success);
        Assert.Equal("Жалоба", parsed.Facts.Subject);
        Assert.Equal("Иван", parsed.Facts.FromName);
        Assert.Null(parsed.HeaderCharset);
    }

    [Fact]
    public void Parse_EncodedWordSubject_Decoded()
    {
        var parsed = _parser.Parse(MailSamples.Read("autoreply-russian-subject.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Автоответ: Жалоба", parsed.Facts.Subject);
        Assert.Equal("Иван Петров", parsed.Facts.FromName);
    }

    [Fact]
    public void Parse_HtmlOnlyBody_ConvertedToTextWithoutStyleOrScript()
    {
        var parsed = _parser.Parse(MailSamples.Read("autoreply-outlook-oof.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Automatische Antwort: Beschwerde über die Lieferung", parsed.Facts.Subject);
        Assert.Equal("Klaus Müller", parsed.Facts.FromName);
        Assert.Contains("Ich bin bis zum 20.03. nicht im Büro.", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.Contains("In dringenden Fällen wenden Sie sich bitte an meine Kollegin.", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("margin", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("track()", parsed.Facts.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("<", parsed.Facts.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DsnBounceOfOurAck_EmbeddedMessageIdsContainTheAck()
    {
        var parsed = _parser.Parse(MailSamples.Read("bounce-dsn-of-our-ack.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("multipart/report", parsed.Facts.ContentType);
        Assert.Equal("delivery-status", parsed.Facts.ReportType);
        Assert.True(parsed.Facts.HasReportPart);
        Assert.Equal(string.Empty, parsed.Facts.ReturnPath);
        Assert.Equal(MailSamples.AckMessageId, parsed.Facts.EmbeddedMessageIds[0]);
        Assert.Contains("CAF-human-0001@mail.customer.example", parsed.Facts.EmbeddedMessageIds);
        Assert.Contains("could not", parsed.Facts.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DsnWithRfc822Headers_EmbeddedMessageIdsContainTheAck()
    {
        var parsed = _parser.Parse(MailSamples.Read("bounce-dsn-headers-only.eml"));

        Assert.True(parsed.Success);
        Assert.Contains("ack.43.fedcba9876543210@support.example.test", parsed.Facts.EmbeddedMessageIds);
    }

    [Fact]
    public void Parse_PlainTextBounce_MessageIdsFoundInTheText()
    {
        var parsed = _parser.Parse(MailSamples.Read("bounce-qmail-plain.eml"));

        Assert.True(parsed.Success);
        Assert.Contains("ack.44.00112233445566aa@support.example.test", parsed.Facts.EmbeddedMessageIds);
    }

    [Fact]
    public void Parse_ReadReceipt_ReportTypeIsDispositionNotification()
    {
        var parsed = _parser.Parse(MailSamples.Read("mdn-read-receipt.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("disposition-notification", parsed.Facts.ReportType);
        Assert.True(parsed.Facts.HasReportPart);
    }

    [Fact]
    public void Parse_ExecutableAttachment_NameListed()
    {
        var parsed = _parser.Parse(MailSamples.Read("attachment-exe.eml"));

        Assert.True(parsed.Success);
        Assert.Equal(["invoice.pdf.exe"], parsed.Facts.AttachmentNames);
        Assert.Equal("Please see the attached invoice.", parsed.Facts.BodyText);
    }

    [Fact]
    public void Parse_NoMessageId_MessageIdIsNull()
    {
        var parsed = _parser.Parse(MailSamples.Read("no-message-id.eml"));

        Assert.True(parsed.Success);
        Assert.Null(parsed.Facts.MessageId);
        Assert.Equal("maria.santos@kostumer.example", parsed.Facts.From);
    }

    [Fact]
    public void Parse_BadBoundary_DoesNotThrowAndKeepsTheText()
    {
        var parsed = _parser.Parse(MailSamples.Read("broken-bad-boundary.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Complaint with a broken boundary", parsed.Facts.Subject);
        Assert.Contains("My order never arrived", parsed.Facts.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GarbageHeaders_DoesNotThrow()
    {
        var parsed = _parser.Parse(MailSamples.Read("broken-garbage-headers.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("anna.berg@customer.example", parsed.Facts.From);
    }

    [Fact]
    public void Parse_LeadingNonHeaderLine_RepairedAndParsed()
    {
        var parsed = _parser.Parse(MailSamples.Read("broken-leading-line.eml"));

        Assert.True(parsed.Success);
        Assert.True(parsed.Repaired);
        Assert.Equal("Complaint saved from Outlook", parsed.Facts.Subject);
        Assert.Equal("anna.berg@customer.example", parsed.Facts.From);
        Assert.Equal("The replacement lamp is broken too.", parsed.Facts.BodyText);
    }

    [Fact]
    public void Parse_MboxFromLine_Parsed()
    {
        var parsed = _parser.Parse(MailSamples.Read("broken-mbox-from-line.eml"));

        Assert.True(parsed.Success);
        Assert.Equal("Complaint exported from an mbox", parsed.Facts.Subject);
        Assert.Equal("anna.berg@customer.example", parsed.Facts.From);
        Assert.Equal(["anna.berg@customer.example"], parsed.Facts.FromAddresses);
    }

    [Fact]
    public void Parse_SmtpTranscriptBeforeHeaders_Repaired()
    {
        var raw = Encoding.ASCII.GetBytes(
            "MAIL FROM:<a@customer.example>\r\nRCPT TO:<support@support.example.test>\r\nDATA\r\n" +
            "From: a@customer.example\r\nSubject: transcript\r\n\r\nbody\r\n");

        var parsed = _parser.Parse(raw);

        Assert.True(parsed.Success);
        Assert.True(parsed.Repaired);
        Assert.Equal("transcript", parsed.Facts.Subject);
    }

    [Fact]
    public void Parse_NotAMessage_FailureWithErrorAndNoThrow()
    {
        var parsed = _parser.Parse(MailSamples.Read("broken-unparseable.eml"));

        Assert.False(parsed.Success);
        Assert.Null(parsed.Message);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x01, 0x0D, 0x0A })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A })]
    public void Parse_Garbage_DoesNotThrow(byte[] raw)
    {
        var parsed = _parser.Parse(raw);

        Assert.True(parsed.Success || parsed.Error is not null);
    }

    [Fact]
    public void Parse_NulBytes_RemovedFromSubjectAndBody()
    {
        var parsed = _parser.Parse(MailSamples.Read("nul-bytes.eml"));

        Assert.True(parsed.Success);
        Assert.DoesNotContain('\0', parsed.Facts.Subject!);
        Assert.DoesNotContain('\0', parsed.Facts.BodyText);
        Assert.Equal("My order is missing and I want a refund.", parsed.Facts.BodyText);
        Assert.All(parsed.Facts.Headers.Values.SelectMany(v => v), value => Assert.DoesNotContain('\0', value));
    }

    [Fact]
    public void Parse_LongBody_CappedAt16kCharacters()
    {
        var raw = Encoding.UTF8.GetBytes(
            "Return-Path: <a@customer.example>\r\nFrom: a@customer.example\r\nSubject: long\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + string.Concat(Enumerable.Repeat("ж", 40_000)) + "\r\n");

        var parsed = _parser.Parse(raw);

        Assert.True(parsed.Success);
        Assert.Equal(MailFactsExtractor.MaxBodyChars, parsed.Facts.BodyText.Length);
    }

    [Fact]
    public void Parse_DeeplyNestedAttachedMessages_DoesNotThrow()
    {
        var message = "From: a@customer.example\r\nSubject: level 0\r\nContent-Type: text/plain\r\n\r\nbottom\r\n";
        for (var level = 1; level <= 200; level++)
        {
            message = $"From: a@customer.example\r\nSubject: level {level}\r\nContent-Type: message/rfc822\r\n\r\n" + message;
        }

        var parsed = _parser.Parse(Encoding.ASCII.GetBytes(message));

        Assert.True(parsed.Success);
        Assert.Equal("level 200", parsed.Facts.Subject);
    }

    [Fact]
    public void Parse_SeveralFromAddresses_AllListed()
    {
        var raw = Encoding.ASCII.GetBytes(
            "Return-Path: <a@customer.example>\r\nFrom: A <A@Customer.Example>, b@customer.example\r\nSubject: two\r\n\r\nbody\r\n");

        var parsed = _parser.Parse(raw);

        Assert.True(parsed.Success);
        Assert.Equal("a@customer.example", parsed.Facts.From);
        Assert.Equal(["a@customer.example", "b@customer.example"], parsed.Facts.FromAddresses);
    }
}
