using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

/// <summary>
/// A batch is handled with one lookup per kind and written once at its end, so what a batch adds must be seen by the
/// messages after it in the same batch.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class BatchTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task OneBatch_DuplicateAndFollowUpOfComplaintOpenedInSameBatch_OneComplaintOneApologyEach()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var customer = EmailHarness.Customer("batch");
        var other = EmailHarness.Customer("batch-other");
        var complaint = harness.Complaint(customer, "Wrong size delivered", "I ordered the shoes in size 42 and received size 38 instead.");
        var followUp = harness.Complaint(customer, "Re: Wrong size delivered", "Also, the box was already open when it arrived.");
        followUp.InReplyTo = complaint.MessageId;
        followUp.References.Add(complaint.MessageId!);

        // All of it is in the mailbox before the worker starts, so its first sweep takes it in one batch.
        await harness.SendAsync(complaint);
        await harness.SendAsync(complaint);
        await harness.SendAsync(followUp);
        await harness.SendAsync(harness.Complaint(other, "Missing invoice", "My order came without an invoice, please send me one."));
        await harness.StartWorkerAsync();

        await harness.WaitForCountAsync("handled inbound messages", "SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status <> 'Fetched'", 4);
        await harness.WaitForAcknowledgementsAsync(other);
        await harness.WaitForAcknowledgementsAsync(customer);
        // One batch: every row carries the batch's processing time.
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(DISTINCT processed_at) FROM inbound_messages WHERE folder = 'INBOX'"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status = 'Duplicate'"));
        Assert.Equal(
            1L,
            await harness.ScalarAsync<long>(
                "SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE e.type = 'follow-up-received' AND c.customer_address = @customer",
                ("customer", customer)));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task StoredRawMail_CompressedWithLz4_BytesKeptExactly()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var customer = EmailHarness.Customer("lz4");
        var body = string.Join('\n', Enumerable.Range(1, 400).Select(i => $"Line {i}: the parcel with order number 4711 is still not here."));
        await harness.SendAsync(harness.Complaint(customer, "Parcel still missing", body));
        await harness.StartWorkerAsync();

        await harness.WaitForCountAsync("handled inbound messages", "SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status = 'Processed'", 1);
        Assert.Equal("lz4", await harness.ScalarAsync<string>("SELECT pg_column_compression(raw) FROM inbound_messages WHERE folder = 'INBOX'"));
        // Compressed on disk, the same bytes when read: their stored hash still matches.
        Assert.True(await harness.ScalarAsync<bool>("SELECT sha256(raw) = sha256 FROM inbound_messages WHERE folder = 'INBOX'"));
    }
}
