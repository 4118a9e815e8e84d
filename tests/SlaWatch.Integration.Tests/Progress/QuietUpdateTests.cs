using MimeKit;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Progress.ProgressKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>
/// Issue 4, item 1: an open complaint that has heard nothing for the quiet period (compressed to seconds here) gets a
/// short "still on it", not before; the next one waits another quiet period from it.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class QuietUpdateTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task OpenComplaint_QuietPeriodPasses_StillOnItGoesOutAfterItNotBefore_AndAgainAfterTheNext()
    {
        var (harness, _, client) = await StartQuietAsync("00:00:06");
        await using var __ = harness;
        using var ___ = client;
        var customer = Email.EmailHarness.Customer("quiet");
        var (reference, messageId) = await ComplainAsync(harness, customer, "Refund still missing", "I returned the shoes a month ago and I still have not had my refund. This is very frustrating.");
        var lastMessageAt = (await harness.ScalarAsync<DateTime?>("SELECT last_customer_message_at FROM complaints"))!.Value;
        var ackQueuedAt = await harness.ScalarAsync<DateTime>("SELECT created_at FROM outbox WHERE kind = 'acknowledgement'");

        var updates = (await UpdatesAsync(harness, customer, 2)).OrderBy(m => m.Uid.Id).ToList();

        Assert.Equal(ackQueuedAt, lastMessageAt);
        var rows = await harness.RowsAsync("SELECT created_at FROM outbox WHERE kind = 'progress' ORDER BY id");
        Assert.True(rows.Count >= 2, $"{rows.Count} progress rows");
        var first = (DateTime)rows[0]["created_at"]!;
        var second = (DateTime)rows[1]["created_at"]!;
        Assert.True(first >= lastMessageAt + Quiet, $"the first update was queued at {first:o}, before the quiet period after {lastMessageAt:o} had passed");
        Assert.True(second >= first + Quiet, $"the second update was queued at {second:o}, less than a quiet period after the first ({first:o})");
        Assert.True(first < lastMessageAt + Quiet + TimeSpan.FromSeconds(5), $"the first update was queued at {first:o}, long after it was due");
        Assert.Contains($"[{reference}]", updates[0].Message.Subject, StringComparison.Ordinal);
        Assert.Equal(messageId, updates[0].Message.InReplyTo);
        Assert.Contains("still working on it", updates[0].Message.TextBody, StringComparison.Ordinal);
        Assert.NotEmpty(StatusLink(updates[0].Message.TextBody));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(DISTINCT dedupe_key) FROM outbox WHERE kind = 'progress' AND id = (SELECT min(id) FROM outbox WHERE kind = 'progress')"));
    }

    [Fact]
    public async Task TwoWorkers_SameQuietComplaint_OneUpdatePerQuietPeriod()
    {
        var (harness, _, client) = await StartQuietAsync("00:00:05");
        await using var __ = harness;
        using var ___ = client;
        var second = await harness.StartWorkerAsync(waitForInbox: false);
        await second.WaitForLogAsync("Application started", TimeSpan.FromSeconds(60));
        var customer = Email.EmailHarness.Customer("quiet-duo");
        await ComplainAsync(harness, customer, "Invoice twice", "You charged my card twice for the same order. Please fix this.");

        // Two quiet periods pass with both workers checking every second.
        await UpdatesAsync(harness, customer, 2);

        var updates = await harness.Mail.ListAsync(customer, "INBOX");
        Assert.Equal(2, updates.Where(m => m.Header("Auto-Submitted") == "auto-generated").Select(m => m.Message.MessageId).Distinct().Count());
        Assert.Equal(2, updates.Count(m => m.Header("Auto-Submitted") == "auto-generated"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(DISTINCT dedupe_key) FROM outbox WHERE kind = 'progress'"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'progress-queued'"));
    }

    [Fact]
    public async Task LaterStaffReply_InSentFolder_QuietPeriodCountsFromIt_AndTwoCopiesAreOneReply()
    {
        var quiet = TimeSpan.FromSeconds(10);
        var (harness, _, client) = await StartQuietAsync("00:00:10");
        await using var __ = harness;
        using var ___ = client;
        var customer = Email.EmailHarness.Customer("quiet-agent");
        var (reference, messageId) = await ComplainAsync(harness, customer, "Parcel lost", "The parcel never arrived and the tracking has not moved for a week.");
        var ackAt = new DateTimeOffset((await harness.ScalarAsync<DateTime?>("SELECT last_customer_message_at FROM complaints"))!.Value, TimeSpan.Zero);

        // The first reply is the first response; the second, dated 6 s after the acknowledgement (INTERNALDATE has whole
        // seconds; a date ahead keeps the two moments apart without waiting), must move the quiet period's start.
        var firstAt = TruncateToSecond(ackAt);
        await harness.Mail.AppendAsync(harness.Support, "Sent", StaffReply(harness.Support, customer, messageId, "We are looking into it."), firstAt, MailKit.MessageFlags.Seen);
        await harness.WaitUntilAsync("the first response is recorded", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE responded_at IS NOT NULL") == 1);
        var secondAt = TruncateToSecond(ackAt) + TimeSpan.FromSeconds(6);
        var second = StaffReply(harness.Support, customer, messageId, "The carrier has opened an investigation.");
        await harness.Mail.AppendAsync(harness.Support, "Sent", second, secondAt, MailKit.MessageFlags.Seen);
        await harness.Mail.AppendAsync(harness.Support, "Sent", second, secondAt, MailKit.MessageFlags.Seen);
        await harness.WaitUntilAsync("both copies of the second reply are processed", async () =>
            await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE message_id = @m AND status <> 'Fetched'", ("m", second.MessageId!)) == 2);

        var updates = await UpdatesAsync(harness, customer, 1, TimeSpan.FromSeconds(60));

        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'staff-reply'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'first-response'"));
        var firstUpdate = await harness.ScalarAsync<DateTime?>("SELECT min(created_at) FROM outbox WHERE kind = 'progress'");
        Assert.NotNull(firstUpdate);
        var queuedAt = new DateTimeOffset(firstUpdate.Value, TimeSpan.Zero);
        Assert.True(queuedAt >= secondAt + quiet, $"\"still on it\" was queued at {queuedAt:o}, before the quiet period after the agent's reply of {secondAt:o} had passed");
        Assert.Contains($"[{reference}]", updates[0].Message.Subject, StringComparison.Ordinal);
    }

    /// <summary>The worker with the quiet period compressed to <paramref name="period"/>, checked every second.</summary>
    private Task<(Email.EmailHarness Harness, string Key, HttpClient Client)> StartQuietAsync(string period) =>
        StartAsync(servers, output, h =>
        {
            h.Environment["SlaWatch__Messages__QuietPeriod"] = period;
            h.Environment["SlaWatch__Messages__QuietCheckInterval"] = "00:00:01";
        });

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), at.Offset);

    private static MimeMessage StaffReply(string support, string customer, string inReplyTo, string text)
    {
        var reply = new MimeMessage { Subject = "Re: Parcel lost", MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.test"), InReplyTo = inReplyTo };
        reply.From.Add(new MailboxAddress("Agent Smith", support));
        reply.To.Add(MailboxAddress.Parse(customer));
        reply.References.Add(inReplyTo);
        reply.Body = new TextPart("plain") { Text = text };
        return reply;
    }

    [Fact]
    public async Task ResolvedComplaint_QuietPeriodPasses_NoStillOnIt()
    {
        var (harness, key, client) = await StartQuietAsync("00:00:04");
        await using var __ = harness;
        using var ___ = client;
        var resolved = Email.EmailHarness.Customer("quiet-resolved");
        var open = Email.EmailHarness.Customer("quiet-open");
        var (reference, _) = await ComplainAsync(harness, resolved, "Wrong size", "You sent me the wrong size of jacket.");
        using var response = await client.SendAsync(Api.ApiTestKit.Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", key));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await ComplainAsync(harness, open, "Wrong colour", "You sent me the wrong colour of jacket.");

        // Positive control: the open complaint, written to after the resolved one, gets its update.
        await harness.Mail.WaitForAsync(open, "INBOX", m => (m.Message.TextBody ?? string.Empty).Contains("still working on it", StringComparison.Ordinal), 1, MailWait);

        var mail = await harness.Mail.ListAsync(resolved, "INBOX");
        Assert.DoesNotContain(mail, m => (m.Message.TextBody ?? string.Empty).Contains("still working on it", StringComparison.Ordinal));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = @r AND o.dedupe_key LIKE '%:still-open:%'", ("r", reference)));
    }
}
