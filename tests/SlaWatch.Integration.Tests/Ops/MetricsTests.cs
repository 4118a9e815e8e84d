using System.Globalization;
using System.Net;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>Issue 4, item 6: metrics through OpenTelemetry at a Prometheus endpoint, and who may read them.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class MetricsTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Metrics_AfterAnAcknowledgementAndAResponse_ShowBothHistogramsReceivedCounterAndOpenGauge()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        harness.Environment["SlaWatch__Metrics__GaugeRefresh"] = "00:00:01";
        using var client = await StartAsync(harness, waitForInbox: true);
        var (customer, answered) = (EmailHarness.Customer("metrics"), EmailHarness.Customer("answered"));

        await harness.SendAsync(harness.Complaint(customer, "Broken kettle", "The kettle I bought leaks from the bottom. Please help."));
        await harness.SendAsync(harness.Complaint(answered, "Broken toaster", "The toaster I bought does not heat. Please help."));
        await harness.WaitForAcknowledgementsAsync(customer);
        await harness.WaitForAcknowledgementsAsync(answered);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", answered));
        using var response = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/responses", agent, """{"channel":"phone"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await WaitForMetricsAsync(client, t => Value(t, "slawatch_acknowledgement_latency_seconds_count") >= 2 && Value(t, "slawatch_complaints_open") >= 2);
        Assert.Equal(1, Value(text, "slawatch_first_response_time_seconds_count"));
        Assert.True(Value(text, "slawatch_first_response_time_seconds_bucket", "le=\"300\"") >= 1, text);
        Assert.Contains("slawatch_acknowledgement_latency_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("le=\"+Inf\"", text, StringComparison.Ordinal);
        Assert.True(Value(text, "slawatch_acknowledgement_latency_seconds_bucket", "le=\"+Inf\"") >= 1, text);
        Assert.True(Value(text, "slawatch_acknowledgements_sent_total") >= 1, text);
        Assert.True(Value(text, "slawatch_complaints_received_total", "language=\"en\"") >= 1, text);
        Assert.Contains("slawatch_complaints_breached", text, StringComparison.Ordinal);
        Assert.Contains("slawatch_complaints_at_risk", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AnonymousLoopbackOff_NeedAnOpsKey()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var ops = AddKey(harness, "olga", "ops");
        var agent = AddKey(harness, "alice", "agent");
        harness.Environment["SlaWatch__Metrics__AllowAnonymousLoopback"] = "false";
        using var client = await StartAsync(harness);

        using var anonymous = await client.SendAsync(Request(HttpMethod.Get, "metrics"));
        using var asAgent = await client.SendAsync(Request(HttpMethod.Get, "metrics", agent));
        using var asOps = await client.SendAsync(Request(HttpMethod.Get, "metrics", ops));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asAgent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOps.StatusCode);
        Assert.Contains("slawatch_complaints_open", await asOps.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Scrapes until the condition holds (the exporter caches a scrape briefly; the gauges refresh every second here).</summary>
    internal static async Task<string> WaitForMetricsAsync(HttpClient client, Func<string, bool> condition, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var text = string.Empty;
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            using var response = await client.GetAsync(new Uri("metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (condition(text))
            {
                return text;
            }

            await Task.Delay(300);
        }

        throw new TimeoutException("The metrics never showed what was expected:\n" + text);
    }

    /// <summary>The sum of a series' samples (over its label sets), optionally only those whose labels contain <paramref name="labelFilter"/>.</summary>
    internal static double Value(string text, string series, string? labelFilter = null)
    {
        var sum = 0d;
        foreach (var line in text.Split('\n'))
        {
            if (!(line.StartsWith(series + "{", StringComparison.Ordinal) || line.StartsWith(series + " ", StringComparison.Ordinal))
                || (labelFilter is not null && !line.Contains(labelFilter, StringComparison.Ordinal)))
            {
                continue;
            }

            // name{labels} value [timestamp]
            var rest = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[series.Length..];
            sum += double.Parse(rest.Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
