using System.Globalization;
using System.Net;
using System.Text;
using SlaWatch.Infrastructure.Social.Webhook;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// The signed webhook endpoint on the real worker: Meta's verification challenge, a bad signature refused and nothing
/// stored, a good one recorded as a WhatsApp complaint answered through a local stand-in of the Cloud API, a duplicate
/// delivery recorded once, a malformed one kept, a staff echo from the Business app stopping the clock.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class WebhookInboxTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Secret = "whatsapp-app-secret";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    internal static void AddWebhookInbox(EmailHarness harness, FakeWhatsApp whatsapp)
    {
        const string inbox = "SlaWatch__Inboxes__1__";
        harness.Environment[inbox + "Name"] = "whatsapp";
        harness.Environment[inbox + "Channel"] = "Webhook";
        harness.Environment[inbox + "AppSecret"] = Secret;
        harness.Environment[inbox + "VerifyToken"] = "verify-me";
        harness.Environment[inbox + "AccessToken"] = FakeWhatsApp.AccessToken;
        harness.Environment[inbox + "BaseUrl"] = whatsapp.BaseUrl;
    }

    internal static string TextMessage(string waId, string messageId, string text, string name = "Sheena Nelson") => $$"""
        { "object": "whatsapp_business_account", "entry": [ { "id": "102290129340398", "changes": [ { "field": "messages", "value": {
          "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
          "contacts": [ { "profile": { "name": "{{name}}" }, "wa_id": "{{waId}}" } ],
          "messages": [ { "from": "{{waId}}", "id": "{{messageId}}", "timestamp": "{{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}", "type": "text", "text": { "body": "{{text}}" } } ] } } ] } ] }
        """;

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient http, string workerUrl, string json, string? signature)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            content.Headers.Add("X-Hub-Signature-256", signature == "good" ? WebhookSignature.Sign(body, Secret) : signature);
        }

        return await http.PostAsync(new Uri(workerUrl + "/webhooks/whatsapp"), content);
    }

    [Fact]
    public async Task SignedDeliveries_BadRefusedGoodRecordedAndAnswered_DuplicateOnce_MalformedKept_StaffEchoStopsTheClock()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var whatsapp = await FakeWhatsApp.StartAsync();
        AddWebhookInbox(harness, whatsapp);
        var port = WorkerEnvironment.FreeTcpPort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["Urls"] = url });
        // The inbox is watched before Kestrel necessarily listens: wait for it, or the first POST can be refused.
        await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        using var http = new HttpClient();

        // Meta's subscription handshake.
        Assert.Equal("1158201444", await http.GetStringAsync(new Uri(url + "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(url + "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"))).StatusCode);

        var complaint = TextMessage("37060012345", "wamid.LT1", "Sveiki, mano užsakymas vis dar neatkeliavo, nors praėjo jau dvi savaitės. Kodėl niekas neatsako į mano laiškus?", "Rūta");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(http, url, complaint, WebhookSignature.Sign(Encoding.UTF8.GetBytes(complaint), "not-the-secret"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(http, url, complaint, null)).StatusCode);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads"));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, url, complaint, "good")).StatusCode);
        // Meta retries a delivery it thinks failed: the same message again.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, url, complaint, "good")).StatusCode);
        await harness.WaitUntilAsync("the apology is sent", () => Task.FromResult(!whatsapp.Sent.IsEmpty), Wait);

        var row = (await harness.RowsAsync("SELECT reference, channel, customer_address, customer_name, language FROM complaints WHERE inbox = 'whatsapp'")).Single();
        Assert.Equal("WhatsApp", row["channel"]);
        Assert.Equal("37060012345", row["customer_address"]);
        Assert.Equal("lt", row["language"]);
        var (phoneNumberId, sent) = Assert.Single(whatsapp.Sent);
        Assert.Equal("106540352242922", phoneNumberId);
        Assert.Equal("37060012345", sent["to"]!.GetValue<string>());
        Assert.Equal("wamid.LT1", sent["context"]!["message_id"]!.GetValue<string>());
        Assert.Contains((string)row["reference"]!, sent["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE status = 'Stored'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages"));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, url, "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":\"wamid.X\"}]}}]}]}", "good")).StatusCode);
        await worker.WaitForLogAsync("kept in webhook_payloads for a person to look at", Wait);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE status = 'Malformed'"));

        var echo = $$"""{ "object": "whatsapp_business_account", "entry": [ { "id": "1", "changes": [ { "field": "smb_message_echoes", "value": { "messaging_product": "whatsapp", "metadata": { "phone_number_id": "106540352242922" }, "message_echoes": [ { "from": "15550783881", "to": "37060012345", "id": "wamid.ECHO1", "timestamp": "{{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}}", "type": "text", "text": { "body": "Atsiprašome, siunta išsiųsta šiandien." } } ] } } ] } ] }""";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, url, echo, "good")).StatusCode);
        await harness.WaitForCountAsync("the staff echo stops the clock", "SELECT count(*) FROM complaints WHERE inbox = 'whatsapp' AND status = 'Responded'", 1, Wait);
    }
}
