using System.Net;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A social complaint resolved longer ago than SlaWatch:Retention:PersonalData loses the customer's words and handle
/// too; raw webhook deliveries older than RawMail are blanked; an erasure finds a social customer by their id.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SocialRetentionTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task RetentionPurge_ResolvedTelegramComplaint_SocialMessagesScrubbedOthersKept()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var telegram = await FakeTelegram.StartAsync();
        TelegramInboxTests.AddTelegramInbox(harness, telegram);
        var agent = AddKey(harness, "alice", "agent");
        harness.Environment["SlaWatch__Retention__PersonalData"] = "01:00:00";
        harness.Environment["SlaWatch__Retention__Schedule"] = "00:00:01";
        using var client = await StartAsync(harness, waitForInbox: true);
        telegram.AddMessage(5550301, "My sofa arrived with a torn cushion.", firstName: "Rita");
        telegram.AddMessage(5550302, "My chair arrived with a broken leg.", firstName: "Kim");
        await harness.WaitForCountAsync("both complaints", "SELECT count(*) FROM complaints WHERE channel = 'Telegram'", 2, TimeSpan.FromSeconds(45));
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = '5550301'"))!;
        using var resolve = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", agent, """{"note":"replaced"}"""));
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);

        await harness.ScalarAsync<int>("UPDATE complaints SET resolved_at = now() - interval '2 hours' WHERE reference = @r RETURNING 1", ("r", reference));

        await harness.WaitForCountAsync("the resolved complaint anonymised", "SELECT count(*) FROM complaints WHERE reference = @r AND customer_address = '(erased)'", 1, parameters: ("r", reference));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE text LIKE '%torn cushion%' OR author_name = 'Rita' OR author_id = '5550301'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE text LIKE '%broken leg%' AND author_id = '5550302'"));
    }

    [Fact]
    public async Task RetentionPurge_WebhookPayloadOlderThanRawMail_BodyBlankedNewerKept()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        harness.Environment["SlaWatch__Retention__RawMail"] = "01:00:00";
        harness.Environment["SlaWatch__Retention__Schedule"] = "00:00:01";
        using var client = await StartAsync(harness);

        await InsertPayloadAsync(harness, "15550001", TimeSpan.FromHours(2));
        await InsertPayloadAsync(harness, "15550002", TimeSpan.Zero);

        await harness.WaitForCountAsync("the old delivery blanked", "SELECT count(*) FROM webhook_payloads WHERE octet_length(body) = 0", 1, TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE position(convert_to('15550001', 'UTF8') in body) > 0"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE position(convert_to('15550002', 'UTF8') in body) > 0"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads"));
    }

    [Fact]
    public async Task Erasure_TelegramCustomer_RemovedFromEveryTableOtherCustomerKept()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var telegram = await FakeTelegram.StartAsync();
        TelegramInboxTests.AddTelegramInbox(harness, telegram);
        var ops = AddKey(harness, "olga", "ops");
        using var client = await StartAsync(harness, waitForInbox: true);
        telegram.AddMessage(5550401, "My sofa arrived with a torn cushion.", firstName: "Rita");
        telegram.AddMessage(5550402, "My chair arrived with a broken leg.", firstName: "Kim");
        await harness.WaitForCountAsync("both complaints", "SELECT count(*) FROM complaints WHERE channel = 'Telegram'", 2, TimeSpan.FromSeconds(45));
        await harness.WaitForCountAsync("both acknowledgements sent", "SELECT count(DISTINCT complaint_id) FROM outbox WHERE complaint_id IS NOT NULL AND status = 'Sent'", 2, TimeSpan.FromSeconds(45));
        // A raw delivery that names the customer (on the webhook inbox it would be their WhatsApp number; the match is the same).
        await InsertPayloadAsync(harness, "5550401", TimeSpan.Zero);
        await InsertPayloadAsync(harness, "5550402", TimeSpan.Zero);
        Assert.True(await MentionsAsync(harness, "5550401") > 0, "positive control: the customer is in the database before the erasure");

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", ops, """{"customer":"5550401"}"""));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(1, (await JsonAsync(response)).GetProperty("complaints").GetInt32());
        Assert.Equal(0L, await MentionsAsync(harness, "5550401"));
        Assert.Equal(0L, await MentionsAsync(harness, "torn cushion"));
        Assert.Equal(0L, await MentionsAsync(harness, "Rita"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM erasures WHERE actor = 'olga' AND complaints = 1"));
        Assert.True(await MentionsAsync(harness, "5550402") >= 3, "the other customer's complaint, messages and delivery stay");
        Assert.True(await MentionsAsync(harness, "broken leg") >= 1);
        Assert.Equal("Kim", await harness.ScalarAsync<string>("SELECT author_name FROM social_messages WHERE author_id = '5550402'"));
    }

    [Fact]
    public async Task Erasure_WhileTheApologyIsOnItsWay_LateResultDiscardedPlatformIdsNotWrittenBack()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var telegram = await FakeTelegram.StartAsync();
        TelegramInboxTests.AddTelegramInbox(harness, telegram);
        var ops = AddKey(harness, "olga", "ops");
        // The apology reaches the platform and waits there for its answer: the send is in flight, the row Sending.
        telegram.HoldSends();
        var worker = await harness.StartWorkerAsync(waitForInbox: true);
        using var client = await ClientAsync(worker);
        telegram.AddMessage(5550501, "My sofa arrived with a torn cushion.", firstName: "Rita");
        await telegram.SendHeld.WaitAsync(TimeSpan.FromSeconds(45));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE recipient = '5550501' AND status = 'Sending'"));

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", ops, """{"customer":"5550501"}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        telegram.ReleaseSends();

        // The send completes after the erasure: the job finds the row dropped and records nothing.
        await worker.WaitForLogAsync("personal data was erased meanwhile", TimeSpan.FromSeconds(45));
        Assert.Single(telegram.Sent); // positive control: the platform did answer with its ids
        var row = (await harness.RowsAsync("SELECT status, server_response, last_error, sent_at FROM outbox WHERE complaint_id IS NOT NULL")).Single();
        Assert.Equal("Dropped", row["status"]);
        Assert.Null(row["server_response"]);
        Assert.Null(row["sent_at"]);
        Assert.Equal("dropped: personal data erased", row["last_error"]);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM thread_message_ids WHERE direction = 'out'"));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'acknowledgement-sent'"));
        Assert.Equal(0L, await MentionsAsync(harness, "5550501"));
    }

    private static Task<int> InsertPayloadAsync(EmailHarness harness, string waId, TimeSpan age) =>
        harness.ScalarAsync<int>(
            """
            INSERT INTO webhook_payloads (inbox, received_at, body, status, messages)
            VALUES ('whatsapp', now() - @age, convert_to('{"messages":[{"from":"' || @id || '","text":{"body":"hello"}}]}', 'UTF8'), 'Stored', 1)
            RETURNING 1
            """,
            ("age", age),
            ("id", waId));

    /// <summary>Rows whose text (or, for webhook deliveries, raw bytes) mention <paramref name="text"/>, case-insensitive.</summary>
    private static async Task<long> MentionsAsync(EmailHarness harness, string text)
    {
        var total = await harness.ScalarAsync<long>("SELECT count(*) FROM webhook_payloads WHERE position(convert_to(@t, 'UTF8') in body) > 0", ("t", text));
        foreach (var table in (string[])["complaints", "complaint_events", "social_messages", "outbox", "thread_message_ids", "alerts", "erasures"])
        {
            total += await harness.ScalarAsync<long>("SELECT count(*) FROM " + table + " t WHERE t::text ILIKE '%' || @t || '%'", ("t", text));
        }

        return total;
    }
}
