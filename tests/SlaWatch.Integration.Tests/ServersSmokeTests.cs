using System.Diagnostics;
using System.Text;
using MailKit;
using MimeKit;
using MimeKit.Utils;
using Npgsql;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests;

/// <summary>Proves the fixture: the servers the other integration tests stand on.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ServersSmokeTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan IdleGoal = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Send_ThroughRelay_ArrivesInInboxWithReturnPathOfEnvelope()
    {
        var customer = ServersFixture.UniqueAddress("ana", "customer.test");
        var support = ServersFixture.UniqueAddress("support");
        var message = Complaint(customer, support, "My parcel is a week late");

        await servers.Mail.SendAsync(message);

        var arrived = await servers.Mail.WaitForAsync(support, "INBOX", m => m.Message.MessageId == message.MessageId);
        Assert.Single(arrived);
        Assert.Equal($"<{customer}>", arrived[0].Header("Return-Path"));
        Assert.Equal("My parcel is a week late", arrived[0].Message.Subject);
        Assert.DoesNotContain(MessageFlags.Seen, SplitFlags(arrived[0].Flags));
    }

    [Fact]
    public async Task Send_NullEnvelopeSender_ArrivesWithEmptyReturnPath()
    {
        var support = ServersFixture.UniqueAddress("support");
        var bounce = Complaint("MAILER-DAEMON@mx.customer.test", support, "Undelivered Mail Returned to Sender");

        await servers.Mail.SendAsync(bounce, envelopeFrom: "", [support]);

        var arrived = await servers.Mail.WaitForAsync(support, "INBOX", m => m.Message.MessageId == bounce.MessageId);
        Assert.Equal("<>", arrived[0].Header("Return-Path"));
    }

    [Fact]
    public async Task Send_RawBytes_ArriveUnchanged()
    {
        var support = ServersFixture.UniqueAddress("support");
        var messageId = MimeUtils.GenerateMessageId("customer.test");
        // A raw 8-bit koi8-r Subject and a line starting with a dot (dot-stuffing).
        var head = Encoding.ASCII.GetBytes($"From: ivan@customer.test\r\nTo: {support}\r\nMessage-ID: <{messageId}>\r\nSubject: ");
        byte[] subject = [0xF6, 0xC1, 0xCC, 0xCF, 0xC2, 0xC1]; // "Жалоба" in koi8-r
        var tail = "\r\n\r\n.hidden line\r\nend\r\n"u8.ToArray();
        byte[] raw = [.. head, .. subject, .. tail];

        await servers.Mail.SendAsync(raw, "ivan@customer.test", [support]);

        var arrived = await servers.Mail.WaitForAsync(support, "INBOX", m => m.Message.MessageId == messageId);
        var stored = arrived[0].Raw.ToArray();
        Assert.True(stored.AsSpan().EndsWith(raw), "the stored message ends with the bytes sent");
    }

    [Fact]
    public async Task Append_WithInternalDateAndKeyword_ListShowsThem()
    {
        var support = ServersFixture.UniqueAddress("support");
        var message = Complaint("old@customer.test", support, "Backlog from last month");
        var internalDate = new DateTimeOffset(2026, 10, 1, 8, 30, 0, TimeSpan.Zero);

        var uid = await servers.Mail.AppendAsync(support, "INBOX", message, internalDate, MessageFlags.Seen, ["$SlaWatchIngested"]);

        var listed = await servers.Mail.ListAsync(support, "INBOX");
        var only = Assert.Single(listed);
        Assert.Equal(uid, only.Uid);
        Assert.Equal(internalDate, only.InternalDate);
        Assert.Contains("$SlaWatchIngested", only.Keywords);
        Assert.Contains(MessageFlags.Seen, SplitFlags(only.Flags));
    }

    [Fact]
    public async Task CreateDatabase_NewDatabase_AcceptsConnectionAndIsEmpty()
    {
        var connectionString = await servers.CreateDatabaseAsync("smoke");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_database(), (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public')", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.StartsWith("smoke_", reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal(0L, reader.GetInt64(1));
    }

    [Fact]
    public async Task Idle_MessageDelivered_ClientSeesItWithinTwoSeconds()
    {
        var support = ServersFixture.UniqueAddress("support");
        using var client = await servers.Mail.ConnectAsync(support);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var figures = new List<TimeSpan>();

        for (var i = 1; i <= 3; i++)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnCountChanged(object? sender, EventArgs e) => seen.TrySetResult();
            client.Inbox.CountChanged += OnCountChanged;
            using var stopIdle = new CancellationTokenSource();
            var idle = client.IdleAsync(stopIdle.Token);

            var stopwatch = Stopwatch.StartNew();
            await servers.Mail.SendAsync(Complaint("ana@customer.test", support, $"IDLE probe {i}"));
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            figures.Add(stopwatch.Elapsed);

            await stopIdle.CancelAsync();
            await idle;
            client.Inbox.CountChanged -= OnCountChanged;
        }

        output.WriteLine($"SMTP send -> IMAP IDLE EXISTS: {string.Join(", ", figures.Select(f => $"{f.TotalMilliseconds:0} ms"))}");
        Assert.All(figures, f => Assert.True(f < IdleGoal, $"IDLE saw the message after {f.TotalMilliseconds:0} ms (goal < {IdleGoal.TotalMilliseconds:0} ms)"));
    }

    [Fact]
    public async Task RestartDovecot_MailKept_ImapAnswersAgain()
    {
        var support = ServersFixture.UniqueAddress("support");
        var message = Complaint("ana@customer.test", support, "Before the restart");
        await servers.Mail.SendAsync(message);
        await servers.Mail.WaitForAsync(support, "INBOX", m => m.Message.MessageId == message.MessageId);

        await servers.RestartDovecotAsync();

        var after = Complaint("ana@customer.test", support, "After the restart");
        await servers.Mail.SendAsync(after);
        var both = await servers.Mail.WaitForAsync(support, "INBOX", _ => true, expectedCount: 2);
        Assert.Equal(2, both.Count);
    }

    [Fact]
    public async Task StopAndStartPostgres_DataKept_AcceptsConnectionsAgain()
    {
        var connectionString = await servers.CreateDatabaseAsync("restart");
        await Execute(connectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");

        await servers.StopPostgresAsync();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Execute(connectionString, "SELECT 1"));
        await servers.StartPostgresAsync();

        output.WriteLine($"while stopped: {refused.GetType().Name}: {refused.Message}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM kept", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task WorkerProcess_StandardEnvironment_ListensAndStopsOnSigterm()
    {
        var connectionString = await servers.CreateDatabaseAsync("worker_smoke");
        var support = ServersFixture.UniqueAddress("support");
        var environment = WorkerEnvironment.ForInbox(servers, connectionString, support);
        await using var worker = WorkerProcess.Start(environment, output);

        await worker.WaitForLogAsync("Now listening on", TimeSpan.FromSeconds(60));
        var exitCode = await worker.StopAsync();

        Assert.Equal(0, exitCode);
    }

    private static MimeMessage Complaint(string from, string to, string subject)
    {
        var message = new MimeMessage
        {
            MessageId = MimeUtils.GenerateMessageId("customer.test"),
            Subject = subject,
            Body = new TextPart("plain") { Text = "Hello,\n\nI am still waiting. Please help.\n\nAna" },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private static IEnumerable<MessageFlags> SplitFlags(MessageFlags flags) =>
        Enum.GetValues<MessageFlags>().Where(f => f != MessageFlags.None && flags.HasFlag(f));

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
