using MimeKit;
using MimeKit.Utils;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

/// <summary>EMAIL.md checklist A on real servers: every kind of machine mail is recorded, none is answered.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class MachineMailTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task MachineMail_EveryKindInTheChecklist_IsRecordedAndNeverAnswered()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var machines = new List<(string Sender, string Envelope, MimeMessage Message)>
        {
            Machine(harness, "vacation", m => m.Headers.Add("Auto-Submitted", "auto-replied")),
            Machine(harness, "generated", m => m.Headers.Add("Auto-Submitted", "auto-generated; type=notification")),
            Machine(harness, "xautoreply", m => m.Headers.Add("X-Autoreply", "yes")),
            Machine(harness, "oof", m => m.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply")),
            Machine(harness, "bulk", m => m.Headers.Add("Precedence", "bulk")),
            Machine(harness, "list", m =>
            {
                m.Headers.Add("List-Id", "<offers.shop.example>");
                m.Headers.Add("List-Unsubscribe", "<mailto:leave@shop.example>");
            }),
            Machine(harness, "noreply", _ => { }, localPart: "noreply"),
            Machine(harness, "spam", m => m.Headers.Add("X-Spam-Flag", "YES")),
            Machine(harness, "loop", m => m.Headers.Add("X-Loop", harness.Support)),
            Machine(harness, "nullpath", _ => { }, nullEnvelope: true),
            Machine(harness, "ours", _ => { }, fromAddress: harness.Support),
            Machine(harness, "mailer-daemon", m => m.Body = DeliveryReport("delivery-status"), localPart: "MAILER-DAEMON", nullEnvelope: true),
            Machine(harness, "receipt", m => m.Body = DeliveryReport("disposition-notification")),
        };
        foreach (var (_, envelope, message) in machines)
        {
            await harness.Mail.SendAsync(message, envelope, [harness.Support]);
        }

        var human = EmailHarness.Customer("control");
        await harness.SendAsync(harness.Complaint(human, "The app charges me twice", "Please fix the double charge on my card."));

        // The control complaint came last: once it is answered, every machine message before it has been handled.
        await harness.WaitForAcknowledgementsAsync(human);
        await harness.WaitForCountAsync("processed messages", "SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status = 'Processed' AND classification IS NOT NULL", machines.Count + 1);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        var kinds = await harness.RowsAsync("SELECT from_address, classification FROM inbound_messages WHERE folder = 'INBOX'");
        Assert.Equal(machines.Count + 1, kinds.Count);
        foreach (var (sender, _, _) in machines.Where(m => !string.Equals(m.Sender, harness.Support, StringComparison.OrdinalIgnoreCase)))
        {
            Assert.Empty(await harness.Mail.ListAsync(sender, "INBOX"));
        }

        Assert.Contains(kinds, r => (string?)r["classification"] == "Bounce");
        Assert.Contains(kinds, r => (string?)r["classification"] == "AutoReply");
        Assert.Contains(kinds, r => (string?)r["classification"] == "Bulk");
        Assert.Contains(kinds, r => (string?)r["classification"] == "OwnMail");
    }

    [Fact]
    public async Task Bounce_OfOurAcknowledgement_MarksItUndeliverable()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("gone");
        await harness.SendAsync(harness.Complaint(customer, "Broken screen", "The phone arrived with a broken screen."));
        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        var bounce = BounceOf(ack.Message, harness.Support);

        await harness.Mail.SendAsync(bounce, string.Empty, [harness.Support]);

        await harness.WaitUntilAsync("the acknowledgement is undeliverable", async () =>
            await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Undeliverable");
        Assert.True(await harness.ScalarAsync<bool>("SELECT customer_unreachable FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'acknowledgement-undeliverable'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
    }

    private static (string Sender, string Envelope, MimeMessage Message) Machine(
        EmailHarness harness, string name, Action<MimeMessage> shape, string? localPart = null, bool nullEnvelope = false, string? fromAddress = null)
    {
        var sender = fromAddress ?? ServersFixture.UniqueAddress(localPart ?? name, "machines.test");
        var message = new MimeMessage { Subject = $"About your message ({name})", MessageId = MimeUtils.GenerateMessageId("machines.test") };
        message.From.Add(MailboxAddress.Parse(sender));
        message.To.Add(MailboxAddress.Parse(harness.Support));
        message.Body = new TextPart("plain") { Text = "I am away until Monday and will read your message then." };
        shape(message);
        return (sender, nullEnvelope ? string.Empty : sender, message);
    }

    private static Multipart DeliveryReport(string reportType)
    {
        var report = new Multipart("report");
        report.ContentType.Parameters.Add("report-type", reportType);
        report.Add(new TextPart("plain") { Text = "This is an automatically generated report." });
        var status = new MimePart("message", reportType)
        {
            Content = new MimeContent(new MemoryStream("Reporting-MTA: dns; mx.machines.test\r\n\r\nFinal-Recipient: rfc822; someone@machines.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"u8.ToArray())),
        };
        report.Add(status);
        return report;
    }

    private static MimeMessage BounceOf(MimeMessage original, string support)
    {
        var bounce = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", MessageId = MimeUtils.GenerateMessageId("mx.customer.test") };
        bounce.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.customer.test"));
        bounce.To.Add(MailboxAddress.Parse(support));
        var report = DeliveryReport("delivery-status");
        report.Add(new MessagePart { Message = original });
        bounce.Body = report;
        return bounce;
    }
}
