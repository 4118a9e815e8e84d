using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// The same end-to-end SLA test as for email, on social complaints: nobody answers, so the team lead gets the at-risk
/// alert and the supervisor the breach alert, in their real mailboxes, the hour compressed to 12 seconds.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SocialEscalationTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    internal static (string Lead, string Supervisor) CompressClock(EmailHarness harness)
    {
        var lead = ServersFixture.UniqueAddress("lead");
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var env = harness.Environment;
        env["SlaWatch__Sla__FirstResponse"] = "00:00:12";
        env["SlaWatch__Sla__AtRisk__0"] = "00:00:06";
        env["SlaWatch__Escalation__Levels__0__Name"] = "team lead";
        env["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk";
        env["SlaWatch__Escalation__Levels__0__Notify__0"] = lead;
        env["SlaWatch__Escalation__Levels__1__Name"] = "supervisor";
        env["SlaWatch__Escalation__Levels__1__Trigger"] = "Breached";
        env["SlaWatch__Escalation__Levels__1__Notify__0"] = supervisor;
        return (lead, supervisor);
    }

    internal static async Task AssertAlertsAsync(EmailHarness harness, string lead, string supervisor, string reference)
    {
        var atRisk = Assert.Single(await harness.Mail.WaitForAsync(lead, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal), 1, AlertWait));
        var breach = Assert.Single(await harness.Mail.WaitForAsync(supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal), 1, AlertWait));
        Assert.Contains("at risk", atRisk.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("BREACHED", breach.Message.Subject, StringComparison.Ordinal);
        // A social inbox has no mailbox of its own: alerts leave from the mailbox inbox's address.
        Assert.Equal(harness.Support, breach.Message.From.Mailboxes.Single().Address);
        var rows = await harness.RowsAsync("SELECT threshold_at, recorded_at FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE c.reference = @r", ("r", reference));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.True((DateTime)row["recorded_at"]! >= (DateTime)row["threshold_at"]!, "an alert before its threshold"));
    }

    [Fact]
    public async Task Telegram_NoReply_AtRiskToTheLeadAndBreachToTheSupervisor()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var telegram = await FakeTelegram.StartAsync();
        TelegramInboxTests.AddTelegramInbox(harness, telegram);
        var (lead, supervisor) = CompressClock(harness);
        telegram.AddMessage(5551234, "I have been waiting for my refund for a month.");
        await harness.StartWorkerAsync();

        await harness.WaitForCountAsync("the Telegram complaint", "SELECT count(*) FROM complaints WHERE channel = 'Telegram'", 1, AlertWait);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE channel = 'Telegram'"))!;

        await AssertAlertsAsync(harness, lead, supervisor, reference);
    }

    [Fact]
    public async Task Mastodon_NoReply_AtRiskToTheLeadAndBreachToTheSupervisor()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var mastodon = await FakeMastodon.StartAsync();
        MastodonInboxTests.AddMastodonInbox(harness, mastodon);
        var (lead, supervisor) = CompressClock(harness);
        mastodon.AddMention("waiting@example.social", "I have been waiting for my refund for a month.", visibility: "direct");
        await harness.StartWorkerAsync();

        await harness.WaitForCountAsync("the Mastodon complaint", "SELECT count(*) FROM complaints WHERE channel = 'Mastodon'", 1, AlertWait);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE channel = 'Mastodon'"))!;

        await AssertAlertsAsync(harness, lead, supervisor, reference);
    }

    [Fact]
    public async Task WhatsAppWebhook_NoReply_AtRiskToTheLeadAndBreachToTheSupervisor()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var whatsapp = await FakeWhatsApp.StartAsync();
        WebhookInboxTests.AddWebhookInbox(harness, whatsapp);
        var (lead, supervisor) = CompressClock(harness);
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["Urls"] = url });
        await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        using var http = new HttpClient();

        var response = await WebhookInboxTests.PostAsync(http, url, WebhookInboxTests.TextMessage("16505551234", "wamid.WAIT1", "I have been waiting for my refund for a month."), "good");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        await harness.WaitForCountAsync("the WhatsApp complaint", "SELECT count(*) FROM complaints WHERE channel = 'WhatsApp'", 1, AlertWait);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE channel = 'WhatsApp'"))!;

        await AssertAlertsAsync(harness, lead, supervisor, reference);
    }
}
