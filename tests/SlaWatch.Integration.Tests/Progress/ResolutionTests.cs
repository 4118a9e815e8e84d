using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;
using static SlaWatch.Integration.Tests.Progress.ProgressKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>
/// Issue 4, item 1: resolving a complaint thanks the customer and stops every clock — no first-response alert, no promise
/// alert, no "still on it" — while an unresolved complaint alongside it gets all of them (the positive control).
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ResolutionTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Resolve_BeforeAnyThreshold_ThanksTheCustomerAndNoAlertFollows()
    {
        var lead = ServersFixture.UniqueAddress("lead");
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var (harness, key, client) = await StartAsync(servers, output, h =>
        {
            var env = h.Environment;
            env["SlaWatch__Sla__FirstResponse"] = "00:00:12";
            env["SlaWatch__Sla__AtRisk__0"] = "00:00:07";
            env["SlaWatch__Sla__PromiseAtRiskLead"] = "00:00:03";
            env["SlaWatch__Inboxes__0__PollInterval"] = "00:00:02";
            env["SlaWatch__Escalation__Levels__0__Name"] = "team lead";
            env["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk";
            env["SlaWatch__Escalation__Levels__0__Notify__0"] = lead;
            env["SlaWatch__Escalation__Levels__1__Name"] = "supervisor";
            env["SlaWatch__Escalation__Levels__1__Trigger"] = "Breached";
            env["SlaWatch__Escalation__Levels__1__Notify__0"] = supervisor;
            env["SlaWatch__Messages__QuietPeriod"] = "00:00:20";
            env["SlaWatch__Messages__QuietCheckInterval"] = "00:00:01";
        });
        await using var _ = harness;
        using var __ = client;
        var resolved = Email.EmailHarness.Customer("resolved");
        var control = Email.EmailHarness.Customer("unresolved");
        await harness.SendAsync(harness.Complaint(resolved, "Broken kettle", "The kettle I bought last week stopped working. I am very disappointed."));
        await harness.SendAsync(harness.Complaint(control, "Broken toaster", "The toaster I bought last week stopped working. I am very disappointed."));
        await harness.WaitForAcknowledgementsAsync(resolved);
        await harness.WaitForAcknowledgementsAsync(control);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", resolved)))!;
        var controlReference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", control)))!;
        var dueAt = TimeProvider.System.GetUtcNow().AddSeconds(14);
        await SetPromiseAsync(client, key, reference, dueAt);
        await SetPromiseAsync(client, key, controlReference, dueAt);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", key, """{"note":"New kettle sent"}"""));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var thanks = await harness.Mail.WaitForAsync(resolved, "INBOX", m => (m.Message.TextBody ?? string.Empty).Contains("is now resolved", StringComparison.Ordinal), 1, MailWait);
        Assert.Contains("Thank you for telling us", thanks[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal("auto-generated", thanks[0].Header("Auto-Submitted"));
        Assert.Contains($"[{reference}]", thanks[0].Message.Subject, StringComparison.Ordinal);
        Assert.Null(await harness.ScalarAsync<DateTime?>("SELECT next_alert_at FROM complaints WHERE reference = @r", ("r", reference)));

        // Positive control: the unresolved complaint's promise breach (the last of its clocks) reaches the supervisor,
        // after its first-response breach; and its "still on it" goes out.
        await harness.Mail.WaitForAsync(supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(controlReference, StringComparison.Ordinal), 2, MailWait);
        await harness.Mail.WaitForAsync(control, "INBOX", m => (m.Message.TextBody ?? string.Empty).Contains("still working on it", StringComparison.Ordinal), 1, MailWait);

        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE c.reference = @r", ("r", reference)));
        Assert.DoesNotContain(await harness.Mail.ListAsync(lead, "INBOX"), m => (m.Message.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal));
        Assert.DoesNotContain(await harness.Mail.ListAsync(supervisor, "INBOX"), m => (m.Message.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal));
        var updates = await harness.Mail.ListAsync(resolved, "INBOX");
        Assert.DoesNotContain(updates, m => (m.Message.TextBody ?? string.Empty).Contains("still working on it", StringComparison.Ordinal));
        Assert.Equal("Kept", await harness.ScalarAsync<string>("SELECT promise_outcome FROM complaints WHERE reference = @r", ("r", reference)));
    }
}
