using System.Net;
using System.Text;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>Issue 4, item 7: an ops API call erases one customer's personal data everywhere and records that it did.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ErasureTests(ServersFixture servers, ITestOutputHelper output)
{
    /// <summary>Every table SlaWatch keeps data in (a whole row as text), and the job store's arguments.</summary>
    private static readonly string[] Tables = ["complaints", "complaint_events", "inbound_messages", "outbox", "thread_message_ids", "alerts", "erasures", "hangfire.job"];

    [Fact]
    public async Task Erasure_OpsKey_RemovesTheCustomerFromEveryTableAndLeavesAnotherCustomerUntouched()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var ops = AddKey(harness, "olga", "ops");
        using var client = await StartAsync(harness, waitForInbox: true);
        var (erased, kept) = (EmailHarness.Customer("erase-me"), EmailHarness.Customer("keep-me"));
        await harness.SendAsync(harness.Complaint(erased, "Damaged sofa", "The sofa arrived with a torn cushion.", fromName: "Erin Erased"));
        await harness.SendAsync(harness.Complaint(kept, "Damaged chair", "The chair arrived with a broken leg.", fromName: "Kim Kept"));
        await harness.WaitForAcknowledgementsAsync(erased);
        await harness.WaitForAcknowledgementsAsync(kept);
        // The copies of both acknowledgements in the Sent folder are ingested too (they carry the address in To).
        await harness.WaitForCountAsync("both Sent copies ingested", "SELECT count(*) FROM inbound_messages WHERE folder = 'Sent' AND status <> 'Fetched'", 2);
        Assert.True(await MentionsAsync(harness, erased) > 0, "positive control: the customer is in the database before the erasure");

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", ops, $$"""{"customer":"{{erased.ToUpperInvariant()}}"}"""));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = await JsonAsync(response);
        Assert.Equal(1, result.GetProperty("complaints").GetInt32());
        Assert.True(result.GetProperty("inboundMessages").GetInt32() >= 1, body);
        Assert.True(result.GetProperty("outboxMessages").GetInt32() >= 1, body);
        Assert.Equal(0L, await MentionsAsync(harness, erased));
        Assert.Equal(0L, await MentionsAsync(harness, "Erin Erased"));
        Assert.Equal(0L, await MentionsAsync(harness, "torn cushion"));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE position(convert_to(@c, 'UTF8') in raw) > 0", ("c", erased)));
        var record = Assert.Single(await harness.RowsAsync("SELECT actor, subject_hash, complaints FROM erasures"));
        Assert.Equal("olga", record["actor"]);
        Assert.Equal(64, ((string)record["subject_hash"]!).Length);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'personal-data-erased' AND actor = 'olga'"));
        Assert.True(await MentionsAsync(harness, kept) >= 3, "the other customer's complaint, mail and acknowledgement stay");
        Assert.True(await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE position(convert_to(@c, 'UTF8') in raw) > 0", ("c", kept)) >= 1);
        Assert.Equal("Kim Kept", await harness.ScalarAsync<string>("SELECT customer_name FROM complaints WHERE customer_address = @c", ("c", kept)));
    }

    [Fact]
    public async Task Erasure_AgentKey_403AndNoKey_401()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);
        const string json = """{"customer":"someone@customer.test"}""";

        using var asAgent = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", agent, json));
        using var anonymous = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", json: json));

        await AssertProblemAsync(asAgent, 403);
        await AssertProblemAsync(anonymous, 401);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM erasures"));
    }

    [Fact]
    public async Task Erasure_NotAnAddress_400NamingTheField()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var ops = AddKey(harness, "olga", "ops");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/ops/erasure", ops, """{"customer":"not an address"}"""));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains("customer", detail, StringComparison.Ordinal);
    }

    /// <summary>Rows, across every table, whose text mentions <paramref name="text"/> (case-insensitive).</summary>
    private static async Task<long> MentionsAsync(EmailHarness harness, string text)
    {
        var total = 0L;
        foreach (var table in Tables)
        {
            var sql = new StringBuilder().Append("SELECT count(*) FROM ").Append(table).Append(" t WHERE t::text ILIKE '%' || @t || '%'").ToString();
            total += await harness.ScalarAsync<long>(sql, ("t", text));
        }

        return total;
    }
}
