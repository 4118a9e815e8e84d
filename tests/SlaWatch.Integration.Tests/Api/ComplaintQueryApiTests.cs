using System.Net;
using System.Text.Json;
using SlaWatch.Integration.Tests.Digest;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Api;

/// <summary>
/// Issue 4, item 2 (the read side): list complaints by status, state, inbox and language with a stable keyset order,
/// one complaint with its timeline, 400 naming a bad filter, 404 for an unknown reference — on seeded complaints whose
/// state is known (the default policy: due after an hour, at risk after 45 minutes).
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ComplaintQueryApiTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task ListAndDetail_SeededComplaints_FiltersPagesAndTimeline()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        var ops = AddKey(harness, "olga", "ops");
        using var client = await StartAsync(harness);
        var now = TimeProvider.System.GetUtcNow();
        var db = harness.ConnectionString;
        // Breached (2 h old), at risk (50 min), on time (10 min, Russian, other inbox), resolved (3 h), responded (2.5 h).
        var breached = await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000001", now.AddHours(-2), now.AddHours(-1), Customer: "b@customer.test", CallCustomer: true));
        await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000002", now.AddMinutes(-50), now.AddMinutes(10)));
        await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000003", now.AddMinutes(-10), now.AddMinutes(50), Inbox: "billing", Language: "ru"));
        await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000004", now.AddHours(-3), now.AddHours(-2), RespondedAt: now.AddHours(-2.5), ResolvedAt: now.AddHours(-1)));
        await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000005", now.AddHours(-2.5), now.AddHours(-1.5), RespondedAt: now.AddHours(-2.4)));
        await ComplaintSeed.EventAsync(db, breached, now.AddHours(-2), "received", "customer");
        await ComplaintSeed.EventAsync(db, breached, now.AddHours(-2).AddSeconds(1), "acknowledgement-queued");
        await ComplaintSeed.EventAsync(db, breached, now.AddHours(-1), "alert-raised", detail: "Breached FirstResponse → supervisor");
        await ComplaintSeed.ScalarAsync(db, "INSERT INTO alerts (id, complaint_id, deadline, deadline_version, level_index, level_name, point, stage, threshold_at, recorded_at, recipients, acknowledged_at, acknowledged_by) VALUES (900001, @c, 'FirstResponse', 1, 1, 'supervisor', 0, 'Breached', @t, @t, 'sup@example.test hooks.example.test', @a, 'sara')",
            ("c", breached), ("t", now.AddHours(-1)), ("a", now.AddMinutes(-50)));
        await ComplaintSeed.ScalarAsync(db, "INSERT INTO outbox (kind, dedupe_key, complaint_id, inbox, channel, from_address, recipient, subject, body, language, message_id, auto_submitted, status, created_at, sent_at, attempts) VALUES ('acknowledgement', 'ack:seed', @c, 'support', 'Email', @f, 'B@customer.test', 'Re: x', 'secret body', 'en', 'ack.seed@example.test', 'auto-replied', 'Sent', @t, @t, 1), ('alert', 'alert:seed', @c, 'support', 'Email', @f, 'sup@example.test', 'alert', 'alert body', 'en', 'alert.seed@example.test', 'auto-generated', 'Sent', @t, @t, 1)",
            ("c", breached), ("f", harness.Support), ("t", now.AddHours(-2)));

        Assert.Equal(["SW-2000-000001"], await ReferencesAsync(client, agent, "state=breached"));
        Assert.Equal(["SW-2000-000002"], await ReferencesAsync(client, agent, "state=at-risk"));
        Assert.Equal(["SW-2000-000004"], await ReferencesAsync(client, agent, "status=resolved"));
        Assert.Equal(["SW-2000-000005", "SW-2000-000001", "SW-2000-000002", "SW-2000-000003"], await ReferencesAsync(client, agent, "status=open"));
        Assert.Equal(["SW-2000-000003"], await ReferencesAsync(client, agent, "inbox=billing"));
        Assert.Equal(["SW-2000-000003"], await ReferencesAsync(client, agent, "language=RU"));
        Assert.Equal(["SW-2000-000002"], await ReferencesAsync(client, agent, "state=at-risk&inbox=support&language=en"));

        // Pages of two follow the same order as one page, each complaint once.
        var all = await ReferencesAsync(client, agent, string.Empty);
        Assert.Equal(["SW-2000-000004", "SW-2000-000005", "SW-2000-000001", "SW-2000-000002", "SW-2000-000003"], all);
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(client, agent, "api/complaints?limit=2" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(all, paged);

        // One complaint, its whole timeline.
        var detail = await GetJsonAsync(client, agent, "api/complaints/sw-2000-000001");
        var complaint = detail.GetProperty("complaint");
        Assert.Equal("breached", complaint.GetProperty("state").GetString());
        Assert.Equal("FirstResponse", complaint.GetProperty("deadline").GetString());
        Assert.True(complaint.GetProperty("callCustomer").GetBoolean());
        Assert.Equal(["received", "acknowledgement-queued", "alert-raised"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var alert = Assert.Single(detail.GetProperty("alerts").EnumerateArray());
        Assert.Equal("supervisor", alert.GetProperty("level").GetString());
        Assert.Equal(["sup@example.test", "hooks.example.test"], alert.GetProperty("recipients").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("sara", alert.GetProperty("acknowledgedBy").GetString());
        var message = Assert.Single(detail.GetProperty("messages").EnumerateArray());
        Assert.Equal("acknowledgement", message.GetProperty("kind").GetString());
        Assert.Equal("Sent", message.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, message.GetProperty("sentAt").ValueKind);
        Assert.DoesNotContain("secret body", detail.GetRawText(), StringComparison.Ordinal);

        // Bad input: 400 naming the parameter; unknown reference: 404; a key without the agent or supervisor role: 403.
        foreach (var (query, parameter) in new[] { ("status=closed", "status"), ("state=late", "state"), ("limit=500", "limit"), ("limit=zero", "limit"), ("cursor=not-ours", "cursor"), ("language=english", "language"), ("status=resolved&state=breached", "state") })
        {
            using var bad = await client.SendAsync(Request(HttpMethod.Get, "api/complaints?" + query, agent));
            var problem = await AssertProblemAsync(bad, 400);
            Assert.True((await JsonAsync(bad)).GetProperty("errors").TryGetProperty(parameter, out _), $"{query}: {problem}");
        }

        using (var unknown = await client.SendAsync(Request(HttpMethod.Get, "api/complaints/SW-2000-999999", agent)))
        {
            Assert.Contains("SW-2000-999999", await AssertProblemAsync(unknown, 404), StringComparison.Ordinal);
        }

        using (var forbidden = await client.SendAsync(Request(HttpMethod.Get, "api/complaints", ops)))
        {
            await AssertProblemAsync(forbidden, 403);
        }

        using (var anonymous = await client.SendAsync(Request(HttpMethod.Get, "api/complaints")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var openApi = await JsonAsync(await client.GetAsync(new Uri("openapi/v1.json", UriKind.Relative)));
        Assert.True(openApi.GetProperty("paths").GetProperty("/api/complaints").TryGetProperty("get", out _));
        Assert.True(openApi.GetProperty("paths").GetProperty("/api/complaints/{reference}").TryGetProperty("get", out _));
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string key, string path)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Get, path, key));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<List<string>> ReferencesAsync(HttpClient client, string key, string query) =>
        [.. (await GetJsonAsync(client, key, "api/complaints?" + query)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!)];
}
