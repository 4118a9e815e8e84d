using System.Globalization;
using System.Net;
using System.Text;
using SlaWatch.Infrastructure.Social.Webhook;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// Webhook inboxes with <c>Platform</c> Messenger and Instagram on the real worker: a signed delivery recorded as a
/// complaint and answered through a local stand-in of the Send API, a repeated delivery recorded once, another
/// platform's delivery kept as malformed, SlaWatch's own
/// echo told apart from a reply staff typed in Meta Business Suite. (A bad signature: see <see cref="WebhookInboxTests"/>.)
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class MessengerInboxTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Secret = "meta-app-secret";
    private const string PageId = "104757185436890";
    private const string IgId = "17841405822304914";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private static string Now() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static string Delivery(string @object, string accountId, string item) =>
        $$"""{ "object": "{{@object}}", "entry": [ { "id": "{{accountId}}", "time": {{Now()}}, "messaging": [ {{item}} ] } ] }""";

    private static string CustomerMessage(string accountId, string customer, string mid, string text) =>
        $$"""{ "sender": { "id": "{{customer}}" }, "recipient": { "id": "{{accountId}}" }, "timestamp": {{Now()}}, "message": { "mid": "{{mid}}", "text": "{{text}}" } }""";

    private static string Echo(string accountId, string customer, string mid, string text, long appId) =>
        $$"""{ "sender": { "id": "{{accountId}}" }, "recipient": { "id": "{{customer}}" }, "timestamp": {{Now()}}, "message": { "is_echo": true, "app_id": {{appId}}, "mid": "{{mid}}", "text": "{{text}}" } }""";

    private static async Task<string> StartWorkerAsync(EmailHarness harness, string platform, string inboxName, FakeMessenger graph)
    {
        const string inbox = "SlaWatch__Inboxes__1__";
        harness.Environment[inbox + "Name"] = inboxName;
        harness.Environment[inbox + "Channel"] = "Webhook";
        harness.Environment[inbox + "Platform"] = platform;
        harness.Environment[inbox + "AppSecret"] = Secret;
        harness.Environment[inbox + "AccessToken"] = FakeMessenger.AccessToken;
        harness.Environment[inbox + "BaseUrl"] = graph.BaseUrl;
        // An echo that comes back while our send is still being recorded is looked at again on the next sweep.
        harness.Environment[inbox + "PollInterval"] = "00:00:02";
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["Urls"] = url });
        // The inbox is watched before Kestrel necessarily listens: wait for it, or the first POST can be refused.
        await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        return url;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string url, string inbox, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(body, Secret));
        using var response = await http.PostAsync(new Uri($"{url}/webhooks/{inbox}"), content);
        return response.StatusCode;
    }

    [Fact]
    public async Task MessengerDelivery_ComplaintAnsweredFromThePage_DuplicateOnce_WrongObjectKept_OwnEchoKeepsTheClockBusinessSuiteEchoStopsIt()
    {
        await using var graph = await FakeMessenger.StartAsync();
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var url = await StartWorkerAsync(harness, "messenger", "facebook", graph);
        using var http = new HttpClient();
        const string psid = "6939563382766291";
        var delivery = Delivery("page", PageId, CustomerMessage(PageId, psid, "m_CUSTOMER1", "Hello, my order has not arrived after two weeks and nobody answers my emails. Where is it?"));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "facebook", delivery));
        // Meta retries a delivery it thinks failed: the same bytes again.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "facebook", delivery));
        await harness.WaitUntilAsync("the apology is sent", () => Task.FromResult(!graph.Sent.IsEmpty), Wait);

        var row = (await harness.RowsAsync("SELECT reference, channel, customer_address FROM complaints WHERE inbox = 'facebook'")).Single();
        Assert.Equal("Messenger", row["channel"]);
        Assert.Equal(psid, row["customer_address"]);
        var (senderId, sent, ownMid) = Assert.Single(graph.Sent);
        Assert.Equal(PageId, senderId);
        Assert.Equal(psid, sent["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal("RESPONSE", sent["messaging_type"]!.GetValue<string>());
        var text = sent["message"]!["text"]!.GetValue<string>();
        Assert.Contains((string)row["reference"]!, text, StringComparison.Ordinal);
        Assert.True(text.Length <= 2000);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE status = 'Stored'"));
        // An Instagram delivery sent to the Messenger inbox's URL: kept, and said to be on the wrong inbox.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "facebook", Delivery("instagram", IgId, CustomerMessage(IgId, "1254459154682919", "aWdfZAG1faW", "Hi"))));
        await harness.WaitForCountAsync("the wrong platform's delivery is kept as malformed", "SELECT count(*) FROM webhook_payloads WHERE status = 'Malformed' AND error LIKE '%''instagram''%Messenger inbox%'", 1, Wait);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages"));
        // The send's message_id is what is kept: the echo carrying it is recognised as our own.
        await harness.WaitForCountAsync("the send is recorded with its message_id", $"SELECT count(*) FROM outbox WHERE channel = 'Messenger' AND status = 'Sent' AND server_response = 'posted:{ownMid}'", 1, Wait);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "facebook", Delivery("page", PageId, Echo(PageId, psid, ownMid, "Thank you, we have your message.", 1517776481860111))));
        await harness.WaitForCountAsync("our own echo is recorded as ours", $"SELECT count(*) FROM social_messages WHERE platform_id = '{ownMid}' AND classification = 'OwnReply'", 1, Wait);
        Assert.Null(await harness.ScalarAsync<DateTime?>("SELECT responded_at FROM complaints WHERE inbox = 'facebook'"));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "facebook", Delivery("page", PageId, Echo(PageId, psid, "m_STAFF1", "Sorry, your parcel left today.", 263902037430900))));
        await harness.WaitForCountAsync("the Business Suite echo stops the clock", "SELECT count(*) FROM complaints WHERE inbox = 'facebook' AND responded_at IS NOT NULL", 1, Wait);
        Assert.Equal("StaffReply", await harness.ScalarAsync<string>("SELECT classification FROM social_messages WHERE platform_id = 'm_STAFF1'"));
    }

    [Fact]
    public async Task InstagramDelivery_ComplaintAnsweredFromTheAccountWithinItsLimit()
    {
        await using var graph = await FakeMessenger.StartAsync();
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var url = await StartWorkerAsync(harness, "Instagram", "instagram", graph);
        using var http = new HttpClient();
        const string igsid = "1254459154682919";

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, url, "instagram", Delivery("instagram", IgId, CustomerMessage(IgId, igsid, "aWdfZAG1faW", "My order is two weeks late and nobody answers. This is unacceptable."))));
        await harness.WaitUntilAsync("the apology is sent", () => Task.FromResult(!graph.Sent.IsEmpty), Wait);

        var row = (await harness.RowsAsync("SELECT reference, channel, customer_address FROM complaints WHERE inbox = 'instagram'")).Single();
        Assert.Equal("Instagram", row["channel"]);
        Assert.Equal(igsid, row["customer_address"]);
        var (senderId, sent, _) = Assert.Single(graph.Sent);
        Assert.Equal(IgId, senderId);
        Assert.Equal(igsid, sent["recipient"]!["id"]!.GetValue<string>());
        var text = sent["message"]!["text"]!.GetValue<string>();
        Assert.Contains((string)row["reference"]!, text, StringComparison.Ordinal);
        Assert.True(text.Length <= 1000);
    }
}
