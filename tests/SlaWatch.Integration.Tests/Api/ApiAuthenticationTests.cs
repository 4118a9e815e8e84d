using System.Net;
using System.Net.Http.Headers;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Api;

/// <summary>Issue 3, item 1: the API refuses a missing or wrong key (401) and a wrong role (403), with problem details.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ApiAuthenticationTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Response = """{"channel":"phone","note":"called back"}""";

    [Fact]
    public async Task RecordResponse_NoKey_401WithBearerChallenge()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/complaints/SW-2026-000001/responses", json: Response));

        var detail = await AssertProblemAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains("Authorization: Bearer", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordResponse_WrongKey_401InvalidToken()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/complaints/SW-2026-000001/responses", "sw_not-a-key-anyone-was-given", Response));

        var detail = await AssertProblemAsync(response, 401);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
        Assert.Contains("not valid", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgeAlert_AgentKey_403NamingTheRoleItNeeds()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/alerts/1/acknowledge", agent));

        var detail = await AssertProblemAsync(response, 403);
        Assert.Contains("'alice'", detail, StringComparison.Ordinal);
        Assert.Contains("supervisor", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordResponse_KeyInXApiKeyHeader_Accepted()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        using var client = await StartAsync(harness);
        using var request = Request(HttpMethod.Post, "api/complaints/not-a-reference/responses", json: Response);
        request.Headers.Add("X-Api-Key", agent);

        using var response = await client.SendAsync(request);

        // Past authentication and authorization: the endpoint itself refuses the reference.
        var detail = await AssertProblemAsync(response, 404);
        Assert.Contains("'not-a-reference' is not a complaint reference", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyCommand_NoDatabaseNoInbox_PrintsAKeyTheWorkerThenAccepts()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var command = WorkerProcess.Start(new Dictionary<string, string?>(), output, ["apikey", "--name", "carol", "--role", "supervisor"]);
        Assert.Equal(0, await command.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var key = Assert.Single(command.Lines, l => l.Trim().StartsWith("sw_", StringComparison.Ordinal)).Trim();
        foreach (var line in command.Lines.Select(l => l.Trim()).Where(l => l.StartsWith("SlaWatch__Api__Keys__", StringComparison.Ordinal)))
        {
            var (name, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            harness.Environment[name] = value;
        }

        Assert.DoesNotContain(key, harness.Environment.Values);
        using var client = await StartAsync(harness);

        using var response = await client.SendAsync(Request(HttpMethod.Post, "api/alerts/not-a-number/acknowledge", key));

        // A supervisor's key: past 401 and 403, the endpoint refuses the id.
        var detail = await AssertProblemAsync(response, 404);
        Assert.Contains("'not-a-number' is not an alert id", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyCommand_UnknownRole_ExitsWithCodeTwo()
    {
        await using var command = WorkerProcess.Start(new Dictionary<string, string?>(), output, ["apikey", "--name", "carol", "--role", "admin"]);

        Assert.Equal(2, await command.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("'admin' is not a role", command.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(command.Lines, l => l.Trim().StartsWith("sw_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Role", "admin", "SlaWatch:Api:Keys:0:Role")]
    [InlineData("Hash", "sha256:1234", "SlaWatch:Api:Keys:0:Hash")]
    [InlineData("Name", "", "SlaWatch:Api:Keys:0:Name")]
    public async Task Start_BadApiKey_ExitsWithCodeTwoNamingTheKey(string field, string value, string named)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        AddKey(harness, "alice", "agent");
        harness.Environment[KeyVariable(0, field)] = value;

        var worker = await harness.StartWorkerAsync(waitForInbox: false);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_KeysConfigured_NoKey401AgentKey403OpsKey200()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        var ops = AddKey(harness, "olga", "ops");
        using var client = await StartAsync(harness);

        using var anonymous = await client.GetAsync(new Uri("hangfire", UriKind.Relative));
        using var asAgent = await client.SendAsync(Request(HttpMethod.Get, "hangfire", agent));
        using var basic = new HttpRequestMessage(HttpMethod.Get, "hangfire");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("olga:" + ops)));
        using var asOps = await client.SendAsync(basic);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOps.StatusCode);
        Assert.Contains("Hangfire", await asOps.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NoKeysConfigured_LoopbackStillAllowed()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);

        using var response = await client.GetAsync(new Uri("hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
