using System.Net;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>
/// Issue 4, item 7: the retention purge (a Quartz job, here every second) blanks raw mail older than
/// SlaWatch:Retention:RawMail and anonymises complaints resolved longer ago than SlaWatch:Retention:PersonalData,
/// and leaves newer ones alone. Rows are aged in the database rather than waited for: the windows stay an hour.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class RetentionTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task RetentionPurge_RawMailOlderThanWindow_BlankedNewerKeptComplaintKept()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        harness.Environment["SlaWatch__Retention__RawMail"] = "01:00:00";
        harness.Environment["SlaWatch__Retention__Schedule"] = "00:00:01";
        await harness.StartWorkerAsync();
        var (old, recent) = (EmailHarness.Customer("old"), EmailHarness.Customer("recent"));
        await harness.SendAsync(harness.Complaint(old, "Late parcel", "My parcel is two weeks late."));
        await harness.SendAsync(harness.Complaint(recent, "Wrong colour", "I ordered blue and got green."));
        await harness.WaitForAcknowledgementsAsync(old);
        await harness.WaitForAcknowledgementsAsync(recent);

        await harness.ScalarAsync<int>(
            "UPDATE inbound_messages SET fetched_at = now() - interval '2 hours' WHERE complaint_id = (SELECT id FROM complaints WHERE customer_address = @c)",
            ("c", old));

        await harness.WaitForCountAsync(
            "the old message's raw bytes blanked",
            "SELECT count(*) FROM inbound_messages m JOIN complaints c ON c.id = m.complaint_id WHERE c.customer_address = @c AND m.raw_purged_at IS NOT NULL AND octet_length(m.raw) = 0",
            1,
            parameters: ("c", old));
        var recentRaw = await harness.ScalarAsync<int>(
            "SELECT octet_length(m.raw) FROM inbound_messages m JOIN complaints c ON c.id = m.complaint_id WHERE c.customer_address = @c AND m.raw_purged_at IS NULL",
            ("c", recent));
        Assert.True(recentRaw > 0, "the recent message's raw bytes must be kept");
        var oldComplaint = await harness.RowsAsync("SELECT subject, status FROM complaints WHERE customer_address = @c", ("c", old));
        Assert.Equal("Late parcel", Assert.Single(oldComplaint)["subject"]);
        var oldFacts = await harness.RowsAsync(
            "SELECT m.message_id, m.sha256 FROM inbound_messages m JOIN complaints c ON c.id = m.complaint_id WHERE c.customer_address = @c",
            ("c", old));
        Assert.NotNull(Assert.Single(oldFacts)["sha256"]);
    }

    [Fact]
    public async Task RetentionPurge_ResolvedLongerAgoThanWindow_AnonymisedEventsKeptOthersUntouched()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var agent = AddKey(harness, "alice", "agent");
        harness.Environment["SlaWatch__Retention__PersonalData"] = "01:00:00";
        harness.Environment["SlaWatch__Retention__Schedule"] = "00:00:01";
        using var client = await StartAsync(harness, waitForInbox: true);
        var (resolved, open) = (EmailHarness.Customer("resolved"), EmailHarness.Customer("open"));
        await harness.SendAsync(harness.Complaint(resolved, "Refund missing", "Where is my refund?", fromName: "Rita Resolved"));
        await harness.SendAsync(harness.Complaint(open, "Refund missing too", "Where is my refund as well?"));
        await harness.WaitForAcknowledgementsAsync(resolved);
        await harness.WaitForAcknowledgementsAsync(open);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", resolved));
        using var resolve = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", agent, """{"note":"refunded"}"""));
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        // The thanks for telling us goes out after the resolution and adds its own "sent" event: count after it.
        await harness.WaitForCountAsync(
            "the thanks recorded as sent",
            "SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = @r AND e.type = 'progress-sent'",
            1,
            parameters: ("r", reference!));
        var events = await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = @r", ("r", reference!));

        await harness.ScalarAsync<int>("UPDATE complaints SET resolved_at = now() - interval '2 hours' WHERE reference = @r", ("r", reference!));

        await harness.WaitForCountAsync("the resolved complaint anonymised", "SELECT count(*) FROM complaints WHERE reference = @r AND customer_address = '(erased)'", 1, parameters: ("r", reference!));
        var row = Assert.Single(await harness.RowsAsync("SELECT customer_name, subject, status FROM complaints WHERE reference = @r", ("r", reference!)));
        Assert.Null(row["customer_name"]);
        Assert.Equal("(erased)", row["subject"]);
        Assert.Equal("Resolved", row["status"]);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE lower(recipient) = lower(@c) OR body LIKE '%' || @c || '%'", ("c", resolved)));
        Assert.Equal(events + 1, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = @r", ("r", reference!)));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = @r AND e.detail IS NOT NULL", ("r", reference!)));
        var untouched = Assert.Single(await harness.RowsAsync("SELECT subject FROM complaints WHERE customer_address = @c", ("c", open)));
        Assert.Equal("Refund missing too", untouched["subject"]);
    }
}
