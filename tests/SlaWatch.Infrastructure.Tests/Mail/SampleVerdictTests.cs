using SlaWatch.Domain.Mail;
using SlaWatch.Infrastructure.Mail;

namespace SlaWatch.Infrastructure.Tests.Mail;

/// <summary>Each sample, parsed and classified end to end: what SlaWatch must make of it (Samples/Mail/README.md).</summary>
public sealed class SampleVerdictTests
{
    private readonly InboundMailParser _parser = new();

    [Theory]
    [InlineData("human-complaint.eml", MailKind.Human, true)]
    [InlineData("human-auto-submitted-no.eml", MailKind.Human, true)]
    [InlineData("raw8bit-koi8r.eml", MailKind.Human, true)]
    [InlineData("raw8bit-gb2312.eml", MailKind.Human, true)]
    [InlineData("raw8bit-windows1257.eml", MailKind.Human, true)]
    [InlineData("no-message-id.eml", MailKind.Human, true)]
    [InlineData("broken-bad-boundary.eml", MailKind.Human, true)]
    [InlineData("broken-garbage-headers.eml", MailKind.Human, true)]
    [InlineData("broken-leading-line.eml", MailKind.Human, true)]
    [InlineData("broken-mbox-from-line.eml", MailKind.Human, true)]
    [InlineData("nul-bytes.eml", MailKind.Human, true)]
    [InlineData("autoreply-vacation.eml", MailKind.AutoReply, false)]
    [InlineData("autoreply-outlook-oof.eml", MailKind.AutoReply, false)]
    [InlineData("autoreply-russian-subject.eml", MailKind.AutoReply, false)]
    [InlineData("bounce-dsn-of-our-ack.eml", MailKind.Bounce, false)]
    [InlineData("bounce-dsn-headers-only.eml", MailKind.Bounce, false)]
    [InlineData("bounce-qmail-plain.eml", MailKind.Bounce, false)]
    [InlineData("mdn-read-receipt.eml", MailKind.Report, false)]
    [InlineData("list-mailing.eml", MailKind.Bulk, false)]
    [InlineData("bulk-precedence.eml", MailKind.Bulk, false)]
    [InlineData("noreply-sender.eml", MailKind.RoleSender, false)]
    [InlineData("own-address.eml", MailKind.OwnMail, false)]
    [InlineData("xloop-ours.eml", MailKind.OwnMail, false)]
    [InlineData("spam-flagged.eml", MailKind.Spam, false)]
    [InlineData("attachment-exe.eml", MailKind.Spam, false)]
    public void Classify_Sample_HasExpectedVerdict(string sample, MailKind kind, bool mayAcknowledge)
    {
        var parsed = _parser.Parse(MailSamples.Read(sample));
        Assert.True(parsed.Success, parsed.Error);

        var verdict = MachineMailClassifier.Classify(parsed.Facts, MailSamples.Us);

        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(mayAcknowledge, verdict.MayAcknowledge);
    }

    [Fact]
    public void Classify_OutlookOof_NoAckBecauseSuppressedAndLocalizedSubject()
    {
        var parsed = _parser.Parse(MailSamples.Read("autoreply-outlook-oof.eml"));
        Assert.True(parsed.Success);

        var verdict = MachineMailClassifier.Classify(parsed.Facts, MailSamples.Us);

        Assert.Contains("auto-response-suppress:all", verdict.Reasons);
        Assert.Contains("subject:auto-reply", verdict.Reasons);
    }

    [Fact]
    public void Parse_EverySample_NeverThrows()
    {
        var samples = Directory.GetFiles(MailSamples.Folder, "*.eml");
        Assert.NotEmpty(samples);

        foreach (var sample in samples)
        {
            var parsed = _parser.Parse(File.ReadAllBytes(sample));

            Assert.True(parsed.Success || parsed.Error is not null, sample);
        }
    }
}
