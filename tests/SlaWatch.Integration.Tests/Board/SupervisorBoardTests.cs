using System.Diagnostics;
using Microsoft.Playwright;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Board;

/// <summary>
/// Issue 4, item 3: the supervisor board in a real browser — Debian's Chromium driven by Microsoft.Playwright (its
/// bundled driver, no browser download) — against a real worker whose hour is compressed to 12 s (at risk at 3 s).
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SupervisorBoardTests(ServersFixture servers, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Board_BreachedAndAtRisk_SupervisorSeesRowsCountdownsCallFlagAndWhoWasAlerted_AndItRefreshesItself()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ops/test.sh installs Debian's chromium package (ops/lib/servers.sh).");
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var lead = ServersFixture.UniqueAddress("lead");
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var env = harness.Environment;
        env["SlaWatch__Sla__FirstResponse"] = "00:00:12";
        env["SlaWatch__Sla__AtRisk__0"] = "00:00:03";
        env["SlaWatch__Inboxes__0__PollInterval"] = "00:00:02";
        env["SlaWatch__Escalation__Levels__0__Name"] = "team lead";
        env["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk";
        env["SlaWatch__Escalation__Levels__0__Notify__0"] = lead;
        env["SlaWatch__Escalation__Levels__1__Name"] = "supervisor";
        env["SlaWatch__Escalation__Levels__1__Trigger"] = "Breached";
        env["SlaWatch__Escalation__Levels__1__Notify__0"] = supervisor;
        var sara = AddKey(harness, "sara", "supervisor");
        var alice = AddKey(harness, "alice", "agent");
        using var api = await StartAsync(harness, waitForInbox: true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });

        // A: no answer until it breaches; the supervisor takes the breach alert.
        var late = EmailHarness.Customer("late");
        await harness.SendAsync(harness.Complaint(late, "Parcel late", "My parcel is two weeks late, please check.", fromName: "Lena Late"));
        await harness.WaitForAcknowledgementsAsync(late);
        var lateReference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", late)))!;
        await harness.Mail.WaitForAsync(supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(lateReference + " BREACHED", StringComparison.Ordinal), 1, Wait);
        var breachAlert = await harness.ScalarAsync<long>("SELECT a.id FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE c.reference = @r AND a.stage = 'Breached'", ("r", lateReference));
        using (var acknowledged = await api.SendAsync(Request(HttpMethod.Post, $"api/alerts/{breachAlert}/acknowledge", sara)))
        {
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        }

        // B: asks for a manager (call the customer), at risk 3 s after it arrived.
        var angry = EmailHarness.Customer("angry");
        await harness.SendAsync(harness.Complaint(angry, "Third time", "This is the third time I write. I want to speak to a manager right now."));
        var angryReference = await WaitForReferenceAsync(harness, angry);
        await harness.Mail.WaitForAsync(lead, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(angryReference + " at risk", StringComparison.Ordinal), 1, Wait);

        await using var context = await browser.NewContextAsync(new() { HttpCredentials = new() { Username = "sara", Password = sara } });
        var page = await context.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(new Uri(api.BaseAddress!, "board").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);

        var lateRow = page.Locator($"tr[data-reference='{lateReference}']");
        var angryRow = page.Locator($"tr[data-reference='{angryReference}']");
        Assert.Equal("breached", await lateRow.Locator("td.state").InnerTextAsync());
        Assert.Equal("at risk", await angryRow.Locator("td.state").InnerTextAsync());
        Assert.Contains("support", await lateRow.Locator("td.inbox").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(late, await lateRow.Locator("td.customer").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Lena Late", await lateRow.Locator("td.customer").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("en", await lateRow.Locator("td.language").InnerTextAsync());

        // Live countdowns: the at-risk one counts down, the breached one shows how long it is overdue; both tick.
        var countdown = angryRow.Locator("time.countdown");
        var before = await countdown.InnerTextAsync();
        Assert.StartsWith("in ", before, StringComparison.Ordinal);
        Assert.StartsWith("overdue ", await lateRow.Locator("time.countdown").InnerTextAsync(), StringComparison.Ordinal);
        await WaitUntilAsync("the countdown ticks", async () => await countdown.InnerTextAsync() != before, TimeSpan.FromSeconds(5));

        // Call the customer, and who was alerted: level names, recipients, who acknowledged.
        Assert.Contains("Call the customer", await angryRow.Locator("td.call").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await lateRow.Locator("td.call").InnerTextAsync()).Trim());
        var lateAlerts = await lateRow.Locator("td.alerts").InnerTextAsync();
        Assert.Contains("team lead", lateAlerts, StringComparison.Ordinal);
        Assert.Contains(lead, lateAlerts, StringComparison.Ordinal);
        Assert.Contains("supervisor", lateAlerts, StringComparison.Ordinal);
        Assert.Contains(supervisor, lateAlerts, StringComparison.Ordinal);
        Assert.Contains("acknowledged by sara", lateAlerts, StringComparison.Ordinal);
        var angryAlerts = await angryRow.Locator("td.alerts").InnerTextAsync();
        Assert.Contains("team lead", angryAlerts, StringComparison.Ordinal);
        Assert.Contains("not acknowledged", angryAlerts, StringComparison.Ordinal);

        // It refreshes itself (no reload: a marker set in the page survives) and B has breached meanwhile.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await WaitUntilAsync("the board shows B breached after a refresh", async () => await angryRow.Locator("td.state").InnerTextAsync() == "breached", TimeSpan.FromSeconds(40));
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.True(cspViolations.Count == 0, string.Join("\n", cspViolations));

        // Without a key the browser cannot open it (headless, nobody answers the Basic prompt); with a wrong key it gets
        // the 401 page. What is refused offers Basic and names no complaint. An agent's key is not enough either.
        await using var anonymous = await browser.NewContextAsync();
        var noKey = await Assert.ThrowsAsync<PlaywrightException>(async () => await (await anonymous.NewPageAsync()).GotoAsync(new Uri(api.BaseAddress!, "board").ToString()));
        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", noKey.Message, StringComparison.Ordinal);
        await using var wrong = await browser.NewContextAsync(new() { HttpCredentials = new() { Username = "sara", Password = sara + "x" } });
        var wrongKey = await (await wrong.NewPageAsync()).GotoAsync(new Uri(api.BaseAddress!, "board").ToString());
        Assert.NotNull(wrongKey);
        Assert.Equal(401, wrongKey.Status);
        Assert.DoesNotContain(lateReference, await wrongKey.TextAsync(), StringComparison.Ordinal);
        using (var refused = await api.GetAsync(new Uri("board", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
            Assert.DoesNotContain(lateReference, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var agent = await browser.NewContextAsync(new() { HttpCredentials = new() { Username = "alice", Password = alice } });
        var forbidden = await (await agent.NewPageAsync()).GotoAsync(new Uri(api.BaseAddress!, "board").ToString());
        Assert.NotNull(forbidden);
        Assert.Equal(403, forbidden.Status);
        Assert.DoesNotContain(lateReference, await forbidden.TextAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> WaitForReferenceAsync(EmailHarness harness, string customer)
    {
        string? reference = null;
        await harness.WaitUntilAsync($"a complaint from {customer} is recorded", async () =>
        {
            reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));
            return reference is not null;
        }, Wait);
        return reference!;
    }

    private static async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }
}
