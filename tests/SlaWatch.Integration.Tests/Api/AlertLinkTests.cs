using System.Net;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Api;

/// <summary>Issue 3, item 5: the signed acknowledge link. A GET only asks; a bad or expired token gets a plain page.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class AlertLinkTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Get_TamperedToken_400PlainPage()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);
        var token = Tokens(harness).Create(SignedTokens.AlertAcknowledge, "42", DateTimeOffset.UnixEpoch.AddYears(100));

        using var response = await client.GetAsync(new Uri("alerts/ack/" + token.Replace(".42.", ".43.", StringComparison.Ordinal), UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("not a valid acknowledge link", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TamperedToken_400PlainPage()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);

        using var response = await client.PostAsync(new Uri("alerts/ack/alert-ack.42.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_ExpiredToken_410PlainPage()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);
        var token = Tokens(harness).Create(SignedTokens.AlertAcknowledge, "42", DateTimeOffset.UnixEpoch.AddYears(50));

        using var response = await client.GetAsync(new Uri("alerts/ack/" + token, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ValidTokenForAnUnknownAlert_404PageWithoutFormAndLeaksNothing()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);
        var token = Tokens(harness).Create(SignedTokens.AlertAcknowledge, "42", DateTimeOffset.UnixEpoch.AddYears(100));

        using var response = await client.GetAsync(new Uri("alerts/ack/" + token, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is no alert 42", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    /// <summary>Needs the deadline watcher and IComplaintCommands (the SLA issue) to raise and acknowledge a real alert.</summary>
    [Fact]
    public async Task GetThenPost_RealAlert_GetOnlyAsksNamingTheComplaintPostAcknowledgesAsLink()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        harness.Environment["SlaWatch__Sla__FirstResponse"] = "00:00:20";
        harness.Environment["SlaWatch__Sla__AtRisk__0"] = "00:00:02";
        harness.Environment["SlaWatch__Escalation__Levels__0__Name"] = "team lead";
        harness.Environment["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk";
        harness.Environment["SlaWatch__Escalation__Levels__0__Notify__0"] = ServersFixture.UniqueAddress("lead");
        using var client = await StartAsync(harness, waitForInbox: true);
        var customer = EmailHarness.Customer("link");
        await harness.SendAsync(harness.Complaint(customer, "Still broken", "It broke again."));
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));
        await harness.WaitForCountAsync("alerts raised", "SELECT count(*) FROM alerts", 1);
        var alertId = (await harness.ScalarAsync<long>("SELECT id FROM alerts")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var link = new Uri("alerts/ack/" + Tokens(harness).Create(SignedTokens.AlertAcknowledge, alertId, DateTimeOffset.UnixEpoch.AddYears(100)), UriKind.Relative);

        using var asked = await client.GetAsync(link);
        var acknowledgedAfterGet = await harness.ScalarAsync<string>("SELECT acknowledged_by FROM alerts");
        using var posted = await client.PostAsync(link, content: null);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Contains($"Acknowledge alert for complaint {reference}?", page, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\">", page, StringComparison.Ordinal);
        Assert.Null(acknowledgedAfterGet);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("acknowledged", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("link", await harness.ScalarAsync<string>("SELECT acknowledged_by FROM alerts"));
    }

    /// <summary>Needs IComplaintCommands implemented and registered (the SLA issue's complaint commands).</summary>
    [Fact]
    public async Task Post_ValidTokenForAnUnknownAlert_404Page()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var client = await StartAsync(harness);
        var token = Tokens(harness).Create(SignedTokens.AlertAcknowledge, "987654321", DateTimeOffset.UnixEpoch.AddYears(100));

        using var response = await client.PostAsync(new Uri("alerts/ack/" + token, UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Tokens signed with the worker's own signing key, as its alert sender makes them.</summary>
    private static SignedTokens Tokens(EmailHarness harness) =>
        new(new MessageSigner(Options.Create(new SlaWatchOptions { SigningKey = harness.Environment["SlaWatch__SigningKey"] })));
}
