using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>
/// Issue 4, item 6: when the worker cannot send alerts or an inbox has been unreachable too long, readiness fails, one
/// critical line is logged, and the heartbeat URL stops being pinged — and all of it comes back on recovery.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed partial class WatchdogTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string CriticalLine = "Watchdog: SlaWatch cannot do its job";
    private const string RecoveredLine = "Watchdog: recovered";

    [Fact]
    public async Task Watchdog_SmtpRelayCut_ReadinessFailsOneCriticalLineHeartbeatStopsThenResumes()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var relay = new TcpRelay(servers.SmtpPort);
        relay.Open();
        using var heartbeat = new HeartbeatReceiver();
        harness.Environment["SlaWatch__Smtp__Port"] = relay.Port.ToString(CultureInfo.InvariantCulture);
        harness.Environment["SlaWatch__Watchdog__SmtpProbeInterval"] = "00:00:01";
        harness.Environment["SlaWatch__Watchdog__SmtpProbeTimeout"] = "00:00:03";
        harness.Environment["SlaWatch__Watchdog__HeartbeatUrl"] = heartbeat.Url;
        harness.Environment["SlaWatch__Watchdog__HeartbeatInterval"] = "00:00:01";
        var (worker, client) = await StartAsync(harness);
        using var http = client;
        await heartbeat.WaitForPingAfterAsync(TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync(client)).Status);

        relay.Cut();

        await worker.WaitForLogAsync(CriticalLine, TimeSpan.FromSeconds(30));
        var silentFrom = heartbeat.Now;
        var (status, checks) = await WaitForReadinessAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", checks.GetProperty("smtp").GetString());
        // The absence of pings needs a window to mean anything: several heartbeat intervals of staying unready.
        await StayAsync(client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(4));
        var silentUntil = heartbeat.Now;
        relay.Open();
        await worker.WaitForLogAsync(RecoveredLine, TimeSpan.FromSeconds(30));
        await heartbeat.WaitForPingAfterAsync(silentUntil, TimeSpan.FromSeconds(30));
        await WaitForReadinessAsync(client, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.DoesNotContain(heartbeat.Pings, p => p > silentFrom && p < silentUntil);
        Assert.Single(worker.Lines, l => l.Contains(CriticalLine, StringComparison.Ordinal));
        Assert.Contains(worker.Lines, l => l.Contains("FTL", StringComparison.Ordinal) && l.Contains("SMTP relay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watchdog_InboxUnreachableLongerThanLimit_ReadinessFailsAndOneCriticalLine()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        harness.Environment["SlaWatch__Watchdog__InboxStaleAfter"] = "00:00:03";
        harness.Environment["SlaWatch__Ingestion__MaxReconnectDelay"] = "00:00:01";
        var (worker, client) = await StartAsync(harness, waitForInbox: true);
        using var http = client;
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync(client)).Status);

        await servers.StopDovecotAsync();
        try
        {
            await worker.WaitForLogAsync(CriticalLine, TimeSpan.FromSeconds(60));
            var (status, checks) = await WaitForReadinessAsync(client, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", checks.GetProperty("inboxes").GetString());
        }
        finally
        {
            await servers.StartDovecotAsync();
        }

        await worker.WaitForLogAsync(RecoveredLine, TimeSpan.FromSeconds(60));
        await WaitForReadinessAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        Assert.Single(worker.Lines, l => l.Contains(CriticalLine, StringComparison.Ordinal));
        Assert.Contains(worker.Lines, l => l.Contains(CriticalLine, StringComparison.Ordinal) && l.Contains("inboxes unreachable", StringComparison.Ordinal));
    }

    private static async Task<(WorkerProcess Worker, HttpClient Client)> StartAsync(EmailHarness harness, bool waitForInbox = false)
    {
        var worker = await harness.StartWorkerAsync(waitForInbox: waitForInbox);
        var line = await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(60));
        var client = new HttpClient { BaseAddress = new Uri(ListenUrl().Match(line).Value + "/"), Timeout = TimeSpan.FromSeconds(30) };
        return (worker, client);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Checks)> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body.GetProperty("checks"));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Checks)> WaitForReadinessAsync(HttpClient client, HttpStatusCode expected, TimeSpan? timeout = null)
    {
        var limit = Stopwatch.StartNew();
        while (true)
        {
            var result = await ReadinessAsync(client);
            if (result.Status == expected || limit.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls readiness for <paramref name="window"/> and fails if it ever leaves <paramref name="expected"/>.</summary>
    private static async Task StayAsync(HttpClient client, HttpStatusCode expected, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            Assert.Equal(expected, (await ReadinessAsync(client)).Status);
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"https?://[^\s;]+")]
    private static partial Regex ListenUrl();
}
