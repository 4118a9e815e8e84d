using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Persistence;

/// <summary>
/// The batch write of ingestion: what COPY and the unnest UPDATE store must be what SaveChanges would have stored —
/// value conversions, nulls, time stamps, generated keys — and a lost row must fail the batch, not pass silently.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class BulkChangeWriterTests(ServersFixture servers)
{
    private static readonly Type[] Inserted = [typeof(Complaint), typeof(ComplaintEvent), typeof(ThreadMessageId)];
    private static readonly Type[] Updated = [typeof(InboundMessage)];
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public async Task SaveAsync_NewAndChangedRows_StoredAsSaveChangesWouldStoreThem()
    {
        await using var db = await MigratedContextAsync();
        var inbound = await StoreInboundAsync(db);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var complaint = NewComplaint(id: 1001, "SW-2026-001001");
            db.Complaints.Add(complaint);
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = 1001, At = At, Type = ComplaintEventTypes.Received, Actor = "customer", Detail = null });
            db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = 1001, At = At, Type = ComplaintEventTypes.AcknowledgementQueued, Actor = "slawatch", Detail = "in nl" });
            db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = "support", MessageId = "<a@customers.test>", ComplaintId = 1001, Direction = "in" });
            db.InboundMessages.Attach(inbound);
            inbound.Status = InboundStatus.Processed;
            inbound.ComplaintId = 1001;
            inbound.ProcessedAt = At;
            // Written by SaveChanges after the bulk part: it refers to the complaint the COPY wrote.
            db.Alerts.Add(NewAlert(1001));

            await BulkChangeWriter.SaveAsync(db, Inserted, Updated, CancellationToken.None);
            await transaction.CommitAsync();
        }

        db.ChangeTracker.Clear();
        var stored = await db.Complaints.SingleAsync(c => c.Id == 1001);
        Assert.Equal(ComplaintStatus.Open, stored.Status);
        Assert.Equal(At, stored.ReceivedAt);
        Assert.Null(stored.CustomerName);
        Assert.Equal("nl", stored.Language);
        var events = await db.ComplaintEvents.Where(e => e.ComplaintId == 1001).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([ComplaintEventTypes.Received, ComplaintEventTypes.AcknowledgementQueued], events.Select(e => e.Type));
        Assert.All(events, e => Assert.True(e.Id > 0));
        Assert.Null(events[0].Detail);
        Assert.Equal(1001, (await db.ThreadMessageIds.SingleAsync()).ComplaintId);
        var row = await db.InboundMessages.SingleAsync();
        Assert.Equal((InboundStatus.Processed, 1001L, At), (row.Status, row.ComplaintId!.Value, row.ProcessedAt!.Value));
        Assert.Equal(inbound.Raw, row.Raw);
        Assert.Equal(1, await db.Alerts.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_ChangedRowDeletedMeanwhile_FailsAndTheBatchWritesNothing()
    {
        await using var db = await MigratedContextAsync();
        var inbound = await StoreInboundAsync(db);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Complaints.Add(NewComplaint(id: 2001, "SW-2026-002001"));
            db.InboundMessages.Attach(inbound);
            inbound.Status = InboundStatus.Processed;
            await db.Database.ExecuteSqlRawAsync("DELETE FROM inbound_messages");

            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => BulkChangeWriter.SaveAsync(db, Inserted, Updated, CancellationToken.None));
        }

        Assert.Equal(0, await db.Complaints.CountAsync());
    }

    [Fact]
    public async Task SaveAsync_WithoutATransaction_Refused()
    {
        await using var db = await MigratedContextAsync();
        db.Complaints.Add(NewComplaint(id: 3001, "SW-2026-003001"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BulkChangeWriter.SaveAsync(db, Inserted, Updated, CancellationToken.None));

        Assert.Contains("transaction", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Complaints.CountAsync());
    }

    private async Task<SlaWatchDbContext> MigratedContextAsync()
    {
        var connectionString = await servers.CreateDatabaseAsync("bulk");
        var options = new DbContextOptionsBuilder<SlaWatchDbContext>();
        PersistenceSetup.Configure(options, connectionString);
        var db = new SlaWatchDbContext(options.Options);
        await db.Database.MigrateAsync();
        return db;
    }

    private static async Task<InboundMessage> StoreInboundAsync(SlaWatchDbContext db)
    {
        var raw = "From: a@customers.test\r\nSubject: late\r\n\r\nMijn pakket is niet aangekomen.\r\n"u8.ToArray();
        var inbound = new InboundMessage
        {
            Inbox = "support",
            Folder = "INBOX",
            UidValidity = 7,
            Uid = 1,
            Sha256 = System.Security.Cryptography.SHA256.HashData(raw),
            Raw = raw,
            Size = raw.Length,
            InternalDate = At,
            FetchedAt = At,
            Status = InboundStatus.Fetched,
        };
        db.InboundMessages.Add(inbound);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return inbound;
    }

    private static Complaint NewComplaint(long id, string reference) => new()
    {
        Id = id,
        Reference = reference,
        Channel = "Imap",
        Inbox = "support",
        CustomerAddress = "a@customers.test",
        Subject = "late",
        Language = "nl",
        ReceivedAt = At,
        DetectedAt = At,
        ThreadMessageId = "<a@customers.test>",
    };

    private static Alert NewAlert(long complaintId) => new()
    {
        ComplaintId = complaintId,
        Deadline = "first-response",
        LevelName = "lead",
        Stage = "at-risk",
        ThresholdAt = At,
        RecordedAt = At,
    };
}
