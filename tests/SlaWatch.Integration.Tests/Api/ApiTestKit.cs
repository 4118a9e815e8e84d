using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Integration.Tests.Api;

/// <summary>API keys in a harness's environment, a worker reached over HTTP, and reading what it answered.</summary>
internal static partial class ApiTestKit
{
    /// <summary>Adds a key (its hash, as ops would) to the worker's environment and returns the key itself.</summary>
    public static string AddKey(EmailHarness harness, string name, string role)
    {
        var index = Enumerable.Range(0, 100).First(i => !harness.Environment.ContainsKey(KeyVariable(i, "Name")));
        var key = ApiKeys.Generate();
        harness.Environment[KeyVariable(index, "Name")] = name;
        harness.Environment[KeyVariable(index, "Role")] = role;
        harness.Environment[KeyVariable(index, "Hash")] = ApiKeys.Hash(key);
        return key;
    }

    public static string KeyVariable(int index, string field) =>
        string.Create(CultureInfo.InvariantCulture, $"SlaWatch__Api__Keys__{index}__{field}");

    /// <summary>Starts a worker and returns a client for its HTTP port (read from its "Now listening on:" line).</summary>
    public static async Task<HttpClient> StartAsync(EmailHarness harness, bool waitForInbox = false)
    {
        var worker = await harness.StartWorkerAsync(waitForInbox: waitForInbox);
        return await ClientAsync(worker);
    }

    /// <summary>A client of a started worker's API (for a test that also needs the worker, e.g. to wait for its log).</summary>
    public static async Task<HttpClient> ClientAsync(WorkerProcess worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var line = await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        var url = ListenUrl().Match(line).Value;
        return new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? key = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts problem details (RFC 9457) with the status and a non-empty detail; returns the detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), body);
        return detail!;
    }

    [GeneratedRegex(@"https?://[^\s;]+")]
    private static partial Regex ListenUrl();
}
