using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Sla;

/// <summary>
/// The SLA clock on real servers, with the hour compressed to seconds: at risk at 6 s, breached at 12 s, the head of
/// support 4 s after the breach.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed partial class EscalationTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(60);

    private sealed record Chain(string Lead, string Supervisor, string Head);

    private static async Task<(EmailHarness Harness, Chain Chain)> CreateAsync(ServersFixture servers, ITestOutputHelper output)
    {
        var harness = await EmailHarness.CreateAsync(servers, output);
        var chain = new Chain(ServersFixture.UniqueAddress("lead"), ServersFixture.UniqueAddress("supervisor"), ServersFixture.UniqueAddress("head"));
        var env = harness.Environment;
        env["SlaWatch__Sla__FirstResponse"] = "00:00:12";
        env["SlaWatch__Sla__AtRisk__0"] = "00:00:06";
        env["SlaWatch__Sla__PromiseAtRiskLead"] = "00:00:04";
        env["SlaWatch__Inboxes__0__PollInterval"] = "00:00:02";
        env["SlaWatch__Escalation__Levels__0__Name"] = "team lead";
        env["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk";
        env["SlaWatch__Escalation__Levels__0__Notify__0"] = chain.Lead;
        env["SlaWatch__Escalation__Levels__1__Name"] = "supervisor";
        env["SlaWatch__Escalation__Levels__1__Trigger"] = "Breached";
        env["SlaWatch__Escalation__Levels__1__Notify__0"] = chain.Supervisor;
        env["SlaWatch__Escalation__Levels__2__Name"] = "head of support";
        env["SlaWatch__Escalation__Levels__2__Trigger"] = "Breached+00:00:04";
        env["SlaWatch__Escalation__Levels__2__Notify__0"] = chain.Head;
        return (harness, chain);
    }

    private static Task<IReadOnlyList<MailboxMessage>> AlertsAsync(EmailHarness harness, string mailbox, string reference, int count = 1) =>
        harness.Mail.WaitForAsync(mailbox, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal), count, AlertWait);

    private static Task<string?> ReferenceOfAsync(EmailHarness harness, string customer) =>
        harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));

    [Fact]
    public async Task NoReply_LeadGetsAtRiskAndSupervisorBreachOnceEach_NeverEarly()
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("waiting");

        await harness.SendAsync(harness.Complaint(customer, "Nobody has answered me", "I wrote yesterday and nobody answered."));
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = (await ReferenceOfAsync(harness, customer))!;

        var atRisk = Assert.Single(await AlertsAsync(harness, chain.Lead, reference));
        var breach = Assert.Single(await AlertsAsync(harness, chain.Supervisor, reference));
        await AlertsAsync(harness, chain.Head, reference);
        Assert.Contains("at risk", atRisk.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("BREACHED", breach.Message.Subject, StringComparison.Ordinal);
        Assert.Equal("auto-generated", atRisk.Header("Auto-Submitted"));
        Assert.Contains(customer, breach.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("team lead", breach.Message.TextBody, StringComparison.Ordinal);
        Assert.Matches(AckLink(), breach.Message.TextBody);
        var rows = await harness.RowsAsync("SELECT stage, level_name, threshold_at, recorded_at FROM alerts ORDER BY threshold_at");
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var threshold = (DateTime)row["threshold_at"]!;
            var recorded = (DateTime)row["recorded_at"]!;
            Assert.True(recorded >= threshold, $"{row["level_name"]}: recorded {recorded:o} before its threshold {threshold:o}");
            Assert.True(recorded - threshold < TimeSpan.FromSeconds(1), $"{row["level_name"]}: recorded {(recorded - threshold).TotalMilliseconds} ms late");
        }

        Assert.Single(await harness.Mail.ListAsync(chain.Lead, "INBOX"));
        Assert.Single(await harness.Mail.ListAsync(chain.Supervisor, "INBOX"));
    }

    [Fact]
    public async Task StaffReplyInSentFolder_BeforeAtRisk_NoAlert()
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        await harness.StartWorkerAsync();
        var answered = EmailHarness.Customer("answered");
        var control = EmailHarness.Customer("control");
        var complaint = harness.Complaint(answered, "Late refund", "Where is my refund?");
        await harness.SendAsync(complaint);
        await harness.WaitForAcknowledgementsAsync(answered);

        var reply = new MimeMessage { Subject = "Re: Late refund", MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.test"), InReplyTo = complaint.MessageId };
        reply.From.Add(new MailboxAddress("Agent Smith", harness.Support));
        reply.To.Add(MailboxAddress.Parse(answered));
        reply.References.Add(complaint.MessageId!);
        reply.Body = new TextPart("plain") { Text = "Dear customer, your refund left today. Sorry for the wait." };
        await harness.Mail.AppendAsync(harness.Support, "Sent", reply, flags: MailKit.MessageFlags.Seen);
        await harness.SendAsync(harness.Complaint(control, "Also waiting", "Nobody answered me either."));

        await harness.WaitUntilAsync("the staff reply is recorded", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE customer_address = @c AND responded_at IS NOT NULL", ("c", answered)) == 1);
        await harness.WaitForAcknowledgementsAsync(control);
        var controlReference = (await ReferenceOfAsync(harness, control))!;
        await AlertsAsync(harness, chain.Head, controlReference);
        var answeredReference = (await ReferenceOfAsync(harness, answered))!;
        Assert.DoesNotContain(await harness.Mail.ListAsync(chain.Lead, "INBOX"), m => (m.Message.Subject ?? string.Empty).Contains(answeredReference, StringComparison.Ordinal));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE c.customer_address = @c", ("c", answered)));
        Assert.Equal("Responded", await harness.ScalarAsync<string>("SELECT status FROM complaints WHERE customer_address = @c", ("c", answered)));
    }

    [Fact]
    public async Task AcknowledgeLink_StopsTheClimbButNotTheBreachAlert()
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        await harness.StartWorkerAsync();
        var taken = EmailHarness.Customer("taken");
        var control = EmailHarness.Customer("untaken");
        await harness.SendAsync(harness.Complaint(taken, "Broken again", "Second time it broke."));
        await harness.SendAsync(harness.Complaint(control, "Broken too", "Mine broke as well."));
        await harness.WaitForAcknowledgementsAsync(taken);
        await harness.WaitForAcknowledgementsAsync(control);
        var takenReference = (await ReferenceOfAsync(harness, taken))!;
        var controlReference = (await ReferenceOfAsync(harness, control))!;

        var atRisk = Assert.Single(await AlertsAsync(harness, chain.Lead, takenReference));
        var link = AckLink().Match(atRisk.Message.TextBody ?? string.Empty).Value;
        using (var http = new HttpClient())
        {
            var page = await http.GetAsync(new Uri(link));
            Assert.True(page.IsSuccessStatusCode, $"GET {link}: {(int)page.StatusCode}");
            Assert.Null(await harness.ScalarAsync<DateTime?>("SELECT acknowledged_at FROM alerts WHERE acknowledged_at IS NOT NULL LIMIT 1"));
            var post = await http.PostAsync(new Uri(link), content: null);
            Assert.True(post.IsSuccessStatusCode, $"POST {link}: {(int)post.StatusCode}");
        }

        await AlertsAsync(harness, chain.Head, controlReference);
        Assert.Single(await AlertsAsync(harness, chain.Supervisor, takenReference));
        Assert.DoesNotContain(await harness.Mail.ListAsync(chain.Head, "INBOX"), m => (m.Message.Subject ?? string.Empty).Contains(takenReference, StringComparison.Ordinal));
        Assert.Equal("link", await harness.ScalarAsync<string>("SELECT acknowledged_by FROM alerts WHERE acknowledged_at IS NOT NULL"));
    }

    public static TheoryData<string, string> ManagerRequests => new()
    {
        { "en", "This is the third time I write. I want to speak to a manager right now." },
        { "ru", "Это уже третье письмо. Позовите, пожалуйста, вашего руководителя, я хочу поговорить с начальником." },
        { "nl", "Dit is al de derde keer dat ik schrijf. Ik wil nu een leidinggevende spreken." },
        { "tl", "Pangatlong beses ko na itong sinulat. Gusto kong makausap ang manager ninyo ngayon din." },
        { "zh", "这已经是我第三次写信了。我要找你们的经理投诉，请让主管来处理。" },
        { "lt", "Rašau jau trečią kartą. Noriu pasikalbėti su jūsų vadovu." },
    };

    [Theory]
    [MemberData(nameof(ManagerRequests))]
    public async Task RequestForAManager_InEachLanguage_EscalatesAtOnceAndFlagsCallTheCustomer(string language, string body)
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        harness.Environment["SlaWatch__Sla__FirstResponse"] = "01:00:00";
        harness.Environment["SlaWatch__Sla__AtRisk__0"] = "00:45:00";
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("angry-" + language);

        await harness.SendAsync(harness.Complaint(customer, "Complaint", body));

        var reference = await harness.Mail.WaitForAsync(customer, "INBOX", _ => true, 1, AlertWait);
        var alert = Assert.Single(await harness.Mail.WaitForAsync(chain.Supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains("call the customer", StringComparison.Ordinal), 1, AlertWait));
        Assert.Contains("manager", alert.Message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.True(await harness.ScalarAsync<bool>("SELECT call_customer FROM complaints"));
        Assert.Equal(language, await harness.ScalarAsync<string>("SELECT language FROM complaints"));
        Assert.NotEmpty(reference);
    }

    [Fact]
    public async Task PromiseMovedLater_RearmsItsWarning()
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        var key = ApiKey(harness, "agent");
        var worker = await harness.StartWorkerAsync();
        var baseUrl = await BaseUrlAsync(worker);
        var customer = EmailHarness.Customer("promised");
        await harness.SendAsync(harness.Complaint(customer, "Replacement part", "When will I get the replacement part?"));
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = (await ReferenceOfAsync(harness, customer))!;
        using var http = new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var response = await http.PostAsync(new Uri($"api/complaints/{reference}/responses", UriKind.Relative), Json("""{"channel":"phone","note":"called the customer"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var firstDue = TimeProvider.System.GetUtcNow().AddSeconds(8);
        response = await http.PutAsync(new Uri($"api/complaints/{reference}/promise", UriKind.Relative), Json($$"""{"dueAt":"{{firstDue.ToString("o", CultureInfo.InvariantCulture)}}","reason":"part ordered"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await AlertsAsync(harness, chain.Lead, reference);
        response = await http.PutAsync(new Uri($"api/complaints/{reference}/promise", UriKind.Relative), Json($$"""{"dueAt":"{{firstDue.AddSeconds(10).ToString("o", CultureInfo.InvariantCulture)}}","reason":"supplier delayed"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var warnings = await AlertsAsync(harness, chain.Lead, reference, 2);
        Assert.Equal(2, warnings.Count);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(DISTINCT deadline_version) FROM alerts WHERE deadline = 'Promise' AND stage = 'AtRisk'"));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM alerts WHERE deadline = 'FirstResponse'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'promise-moved'"));
    }

    [Fact]
    public async Task TwoWorkers_NoDuplicateAlerts_AndOneKilledTheOtherCarriesOn()
    {
        var (harness, chain) = await CreateAsync(servers, output);
        await using var _ = harness;
        var first = await harness.StartWorkerAsync();
        var second = await harness.StartWorkerAsync(waitForInbox: false);
        await second.WaitForLogAsync("Application started", TimeSpan.FromSeconds(60));
        var customers = Enumerable.Range(0, 3).Select(i => EmailHarness.Customer($"duo{i}")).ToList();
        foreach (var customer in customers)
        {
            await harness.SendAsync(harness.Complaint(customer, "Still waiting", "No answer yet."));
        }

        foreach (var customer in customers)
        {
            await harness.WaitForAcknowledgementsAsync(customer);
        }

        first.Kill();
        foreach (var customer in customers)
        {
            var reference = (await ReferenceOfAsync(harness, customer))!;
            await AlertsAsync(harness, chain.Head, reference);
        }

        Assert.Equal(3, (await harness.Mail.ListAsync(chain.Lead, "INBOX")).Count);
        Assert.Equal(3, (await harness.Mail.ListAsync(chain.Supervisor, "INBOX")).Count);
        Assert.Equal(3, (await harness.Mail.ListAsync(chain.Head, "INBOX")).Count);
        Assert.Equal(9L, await harness.ScalarAsync<long>("SELECT count(*) FROM alerts"));
    }

    private static string ApiKey(EmailHarness harness, string role)
    {
        var key = "sw_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        harness.Environment["SlaWatch__Api__Keys__0__Name"] = role + "-tester";
        harness.Environment["SlaWatch__Api__Keys__0__Role"] = role;
        harness.Environment["SlaWatch__Api__Keys__0__Hash"] = hash;
        return key;
    }

    private static async Task<Uri> BaseUrlAsync(WorkerProcess worker)
    {
        var line = await worker.WaitForLogAsync("Now listening on:", TimeSpan.FromSeconds(30));
        return new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim() + "/");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex(@"https?://\S+/alerts/ack/\S+")]
    private static partial Regex AckLink();
}
