using System.Net;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Api;

/// <summary>
/// Issue 3, items 1 and 3: record a response, set a promise, resolve, acknowledge — clear 4xx problem details for bad
/// input, and the commands reaching a real complaint.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ComplaintApiTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task RecordResponse_UnknownReference_404ProblemDetails()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/complaints/SW-2000-999999/responses", agent, """{"channel":"phone"}"""));

        await AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task RecordResponse_MissingChannel_400NamingTheField()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/complaints/SW-2026-000001/responses", agent, """{"note":"called"}"""));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains("channel is required", detail, StringComparison.Ordinal);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("channel", out _));
    }

    [Fact]
    public async Task SetPromise_DueAtWithoutOffset_400AskingForOne()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Put, "api/complaints/SW-2026-000001/promise", agent, """{"dueAt":"2026-12-04T17:00:00"}"""));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains("offset", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPromise_BodyNotJson_400ProblemDetails()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Put, "api/complaints/SW-2026-000001/promise", agent, "{dueAt: tomorrow"));

        var detail = await AssertProblemAsync(response, 400);
        Assert.Contains("JSON", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_Served_ListsTheEndpointsAndTheKeySchemes()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);

        using var response = await client.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonAsync(response);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/complaints/{reference}/responses", out _));
        Assert.True(paths.TryGetProperty("/api/complaints/{reference}/promise", out _));
        Assert.True(paths.TryGetProperty("/api/complaints/{reference}/resolve", out _));
        Assert.True(paths.TryGetProperty("/api/alerts/{id}/acknowledge", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    /// <summary>Needs IComplaintCommands implemented and registered (the SLA issue's complaint commands).</summary>
    [Fact]
    public async Task Commands_RealComplaint_200ThenResolved()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness, waitForInbox: true);
        var customer = EmailHarness.Customer("api");
        await harness.SendAsync(harness.Complaint(customer, "My order never arrived", "I have waited three weeks for my order."));
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));

        using var responded = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/responses", agent, """{"channel":"phone","note":"Called, parcel is lost; resending."}"""));
        using var promised = await client.SendAsync(Request(HttpMethod.Put, $"api/complaints/{reference}/promise", agent, """{"dueAt":"2099-01-05T17:00:00+01:00","reason":"Courier needs three days"}"""));
        using var resolved = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", agent, """{"note":"Resent, delivered"}"""));
        using var again = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", agent));

        Assert.Equal(HttpStatusCode.OK, responded.StatusCode);
        Assert.Equal("done", (await JsonAsync(responded)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, promised.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("alreadyDone", (await JsonAsync(again)).GetProperty("outcome").GetString());
        Assert.Equal(reference, (await JsonAsync(resolved)).GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Responses_SecondOne_AlreadyDoneButLoggedAndQuietPeriodCountsFromIt()
    {
        var (harness, agent, client) = await Progress.ProgressKit.StartAsync(servers, output);
        await using var _ = harness;
        using var __ = client;
        var (reference, _) = await Progress.ProgressKit.ComplainAsync(harness, EmailHarness.Customer("api-calls"), "Broken kettle", "The kettle you sent leaks.");

        using var first = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/responses", agent, """{"channel":"phone","note":"Called, replacement on its way."}"""));
        var afterFirst = await harness.ScalarAsync<DateTime>("SELECT last_customer_message_at FROM complaints WHERE reference = @r", ("r", reference));
        using var second = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/responses", agent, """{"channel":"phone","note":"Called again with the tracking number."}"""));

        Assert.Equal("done", (await JsonAsync(first)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("alreadyDone", (await JsonAsync(second)).GetProperty("outcome").GetString());
        var events = await harness.RowsAsync("SELECT e.type, e.detail, e.at FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = @r AND e.type IN ('first-response', 'staff-reply') ORDER BY e.id", ("r", reference));
        Assert.Equal(["first-response", "staff-reply"], events.Select(e => (string)e["type"]!));
        Assert.Contains("tracking number", (string)events[1]["detail"]!, StringComparison.Ordinal);
        var afterSecond = await harness.ScalarAsync<DateTime>("SELECT last_customer_message_at FROM complaints WHERE reference = @r", ("r", reference));
        Assert.True(afterSecond > afterFirst, $"the quiet period still counts from {afterFirst:o}, not from the second call");
        Assert.Equal((DateTime)events[1]["at"]!, afterSecond);
    }
}
