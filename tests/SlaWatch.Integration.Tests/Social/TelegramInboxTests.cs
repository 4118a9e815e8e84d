using System.Text.Json.Nodes;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A Telegram bot inbox on the real worker and PostgreSQL, against a local stand-in of the Bot API: complaints from
/// private chats, the apology as a reply, paging, duplicates, staff replies through Telegram Business, faults.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class TelegramInboxTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    internal static void AddTelegramInbox(EmailHarness harness, FakeTelegram telegram, string name = "telegram")
    {
        const string inbox = "SlaWatch__Inboxes__1__";
        harness.Environment[inbox + "Name"] = name;
        harness.Environment[inbox + "Channel"] = "Telegram";
        harness.Environment[inbox + "BotToken"] = FakeTelegram.Token;
        harness.Environment[inbox + "BaseUrl"] = telegram.BaseUrl;
        harness.Environment[inbox + "PollInterval"] = "00:00:01";
        harness.Environment[inbox + "DefaultLanguage"] = "en";
    }

    private async Task<(EmailHarness Harness, FakeTelegram Telegram)> StartAsync()
    {
        var harness = await EmailHarness.CreateAsync(servers, output);
        var telegram = await FakeTelegram.StartAsync();
        AddTelegramInbox(harness, telegram);
        return (harness, telegram);
    }

    private static async Task<JsonObject> WaitForSentAsync(EmailHarness harness, FakeTelegram telegram, long chatId)
    {
        JsonObject? found = null;
        await harness.WaitUntilAsync($"a reply to chat {chatId}", () =>
        {
            found = telegram.Sent.FirstOrDefault(s => s["chat_id"]!.GetValue<long>() == chatId);
            return Task.FromResult(found is not null);
        }, Wait);
        return found!;
    }

    [Fact]
    public async Task Complaint_ApologyInTheCustomersLanguage_AsAReplyToTheMessage_ClockFromTheMessageDate()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        var message = telegram.AddMessage(5550001, "Здравствуйте. Мой заказ не пришёл уже две недели, и никто не отвечает на письма. Что происходит?", languageCode: "ru");
        await harness.StartWorkerAsync();

        var sent = await WaitForSentAsync(harness, telegram, 5550001);

        var complaint = (await harness.RowsAsync("SELECT reference, channel, customer_address, language, received_at FROM complaints WHERE inbox = 'telegram'")).Single();
        Assert.Equal("Telegram", complaint["channel"]);
        Assert.Equal("5550001", complaint["customer_address"]);
        Assert.Equal("ru", complaint["language"]);
        // The clock starts at the platform's timestamp, not when SlaWatch saw the message.
        Assert.Equal(message["date"]!.GetValue<long>(), new DateTimeOffset((DateTime)complaint["received_at"]!).ToUnixTimeSeconds());
        Assert.Equal(message["message_id"]!.GetValue<int>(), sent["reply_parameters"]!["message_id"]!.GetValue<int>());
        var text = sent["text"]!.GetValue<string>();
        Assert.Contains((string)complaint["reference"]!, text, StringComparison.Ordinal);
        Assert.Contains("жаль", text, StringComparison.Ordinal);
        Assert.True(text.Length <= 4096);
        await harness.WaitForCountAsync("acknowledgements marked sent", "SELECT count(*) FROM outbox WHERE channel = 'Telegram' AND status = 'Sent' AND server_response LIKE 'posted:5550001:%'", 1, Wait);
    }

    [Fact]
    public async Task ThreeFullPages_FollowUpsAndADuplicateDelivery_NothingLostNothingTwice()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        // 5 chats x 45 messages = 225 updates: three getUpdates pages of at most 100.
        for (var i = 0; i < 45; i++)
        {
            for (var chat = 1; chat <= 5; chat++)
            {
                telegram.AddMessage(7700000 + chat, $"Message {i} from chat {chat}: the parcel never arrived.");
            }
        }

        await harness.StartWorkerAsync();
        await harness.WaitForCountAsync("stored messages", "SELECT count(*) FROM social_messages WHERE status = 'Processed'", 225, Wait);
        await harness.WaitUntilAsync("five replies sent", () => Task.FromResult(telegram.Sent.Count >= 5), Wait);

        // The Bot API delivers everything again (as after a crash before the offset was confirmed).
        telegram.RedeliverOnce = true;
        telegram.AddMessage(7700001, "One more thing: I need it by Friday.");
        await harness.WaitForCountAsync("recorded messages", "SELECT count(*) FROM social_messages WHERE status = 'Processed'", 226, Wait);

        Assert.Equal(5L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE channel = 'Telegram'"));
        Assert.Equal(221L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE classification = 'FollowUp'"));
        Assert.Equal(5L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE channel = 'Telegram'"));
        Assert.Equal(5, telegram.Sent.Count);
        // The next offset: the last update id (815112001 + 225) + 1.
        Assert.Equal("815112227", await harness.ScalarAsync<string>("SELECT cursor FROM channel_cursors WHERE inbox = 'telegram'"));
    }

    [Fact]
    public async Task BusinessChat_StaffReplyStopsTheClock_TheBotsOwnMessageDoesNot()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        const long owner = 42;
        telegram.AddMessage(6600001, "My card was charged twice for one order.", kind: "business_message", businessConnection: "bc-1");
        telegram.AddMessage(6600002, "The app logs me out every five minutes.", kind: "business_message", businessConnection: "bc-1");
        await harness.StartWorkerAsync();
        var sent = await WaitForSentAsync(harness, telegram, 6600001);
        await WaitForSentAsync(harness, telegram, 6600002);
        Assert.Equal("bc-1", sent["business_connection_id"]!.GetValue<string>());

        // Staff answer the first customer in Telegram; the bot's own message in the second chat comes back too.
        telegram.AddMessage(6600001, "Sorry about that, Ana, the second charge is refunded today.", firstName: "Agent", kind: "business_message", fromId: owner, businessConnection: "bc-1");
        telegram.AddMessage(6600002, "We are sorry; your message is registered.", firstName: "SlaWatch", kind: "business_message", fromId: owner, businessConnection: "bc-1", sentByBot: true);

        await harness.WaitForCountAsync("messages recorded", "SELECT count(*) FROM social_messages WHERE status = 'Processed'", 4, Wait);
        var rows = await harness.RowsAsync("SELECT customer_address, status, responded_at FROM complaints ORDER BY customer_address");
        Assert.Equal("Responded", rows[0]["status"]);
        Assert.NotNull(rows[0]["responded_at"]);
        Assert.Equal("Open", rows[1]["status"]);
        Assert.Null(rows[1]["responded_at"]);
        Assert.Equal("OwnReply", await harness.ScalarAsync<string>("SELECT classification FROM social_messages WHERE role = 'SlaWatch'"));
    }

    [Fact]
    public async Task FloodLimitAndServerError_BackOffAndRecover_OneReply()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        telegram.GetUpdatesFaults.Enqueue((429, "Too Many Requests: retry after 2", 2));
        telegram.GetUpdatesFaults.Enqueue((502, "Bad Gateway", null));
        telegram.SendFaults.Enqueue((429, "Too Many Requests: retry after 1", 1));
        telegram.AddMessage(5550009, "Nobody answers the phone, this is the third day.");
        await harness.StartWorkerAsync();

        await WaitForSentAsync(harness, telegram, 5550009);

        var calls = telegram.GetUpdatesCalls.ToList();
        Assert.True(calls.Count >= 3, $"{calls.Count} getUpdates calls");
        Assert.True(calls[1] - calls[0] >= TimeSpan.FromSeconds(1.9), $"retried {(calls[1] - calls[0]).TotalSeconds:F1} s after a 429 asking for 2 s");
        Assert.Single(telegram.Sent);
        Assert.Equal(2, await harness.ScalarAsync<int>("SELECT attempts FROM outbox WHERE channel = 'Telegram'"));
    }

    [Fact]
    public async Task WebhookSet_ClearErrorNoCrash_ThenRecovers()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        telegram.GetUpdatesFaults.Enqueue((409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", null));
        telegram.AddMessage(5550010, "Where is my refund?");
        var worker = await harness.StartWorkerAsync();

        await worker.WaitForLogAsync("a webhook is set for this bot", Wait);
        await WaitForSentAsync(harness, telegram, 5550010);
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task TwoWorkers_OnePollerPerBotToken_EachMessageOnce()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        await harness.StartWorkerAsync();
        // The second one stands by for the mailbox too, so it never logs that it watches it.
        var second = await harness.StartWorkerAsync(waitForInbox: false);
        await second.WaitForLogAsync("Application started", Wait);
        await harness.WaitUntilAsync("several long polls", () => Task.FromResult(telegram.GetUpdatesCalls.Count >= 3), Wait);

        telegram.AddMessage(5550101, "The courier left my parcel in the rain.");
        telegram.AddMessage(5550102, "I was charged for a cancelled order.");
        await WaitForSentAsync(harness, telegram, 5550101);
        await WaitForSentAsync(harness, telegram, 5550102);

        Assert.Equal(1, telegram.MaxConcurrentGetUpdates);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE channel = 'Telegram'"));
        Assert.Equal(2, telegram.Sent.Count);
    }

    [Fact]
    public async Task NotPolledForMoreThan24Hours_ErrorSaysComplaintsMayBeLost()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        var migrate = await harness.StartWorkerAsync(waitForInbox: false, arguments: ["migrate"]);
        Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await harness.ScalarAsync<int>("INSERT INTO channel_cursors (inbox, cursor, last_polled_at, updated_at) VALUES ('telegram', '815112001', now() - interval '25 hours', now() - interval '25 hours') RETURNING 1");
        telegram.AddMessage(5550201, "Back online? I wrote yesterday.");

        var worker = await harness.StartWorkerAsync();

        await worker.WaitForLogAsync("longer than Telegram keeps unread messages", Wait);
        await harness.WaitForCountAsync("the message still recorded", "SELECT count(*) FROM complaints WHERE channel = 'Telegram'", 1, Wait);
    }

    [Fact]
    public async Task FailingTelegramSend_DoesNotMarkAlertDeliveryUnhealthy()
    {
        var (harness, telegram) = await StartAsync();
        await using var _ = harness;
        await using var __ = telegram;
        for (var i = 0; i < 3; i++)
        {
            telegram.SendFaults.Enqueue((502, "Bad Gateway", null));
        }

        telegram.AddMessage(5550401, "Still no refund after three weeks.");
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["Urls"] = url });
        await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        await harness.WaitForCountAsync("two failed sends recorded", "SELECT count(*) FROM outbox WHERE channel = 'Telegram' AND attempts >= 2 AND status = 'Pending'", 1, Wait);

        using var http = new HttpClient();
        var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(url + "/health/ready")));

        // Delivery health is about alerts reaching staff; the platform's trouble shows on the outbox row and in the log.
        Assert.Equal("Healthy", health.RootElement.GetProperty("checks").GetProperty("delivery").GetString());
        await WaitForSentAsync(harness, telegram, 5550401);
    }
}
