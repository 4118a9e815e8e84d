using System.Diagnostics;
using MimeKit;
using MimeKit.Utils;
using Npgsql;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

/// <summary>
/// One support inbox with its own database and worker process against the shared real servers: what a test needs to
/// drop mail in, read what customers received, and look at what SlaWatch recorded.
/// </summary>
public sealed class EmailHarness : IAsyncDisposable
{
    private readonly List<WorkerProcess> _workers = [];

    private EmailHarness(ServersFixture servers, ITestOutputHelper output, string connectionString, string support)
    {
        Servers = servers;
        Output = output;
        ConnectionString = connectionString;
        Support = support;
        Environment = WorkerEnvironment.ForInbox(servers, connectionString, support);
    }

    public ServersFixture Servers { get; }

    public ITestOutputHelper Output { get; }

    public string ConnectionString { get; }

    /// <summary>The support mailbox SlaWatch watches and answers from.</summary>
    public string Support { get; }

    /// <summary>The worker's environment; change it before <see cref="StartWorkerAsync"/>.</summary>
    public Dictionary<string, string?> Environment { get; }

    public MailboxClient Mail => Servers.Mail;

    public static async Task<EmailHarness> CreateAsync(ServersFixture servers, ITestOutputHelper output)
    {
        var connectionString = await servers.CreateDatabaseAsync("email");
        return new EmailHarness(servers, output, connectionString, ServersFixture.UniqueAddress("support"));
    }

    /// <summary>Starts a worker and waits until it watches the inbox (or, with <paramref name="waitForInbox"/> false, just starts it).</summary>
    public async Task<WorkerProcess> StartWorkerAsync(IReadOnlyDictionary<string, string?>? overrides = null, bool waitForInbox = true, IEnumerable<string>? arguments = null)
    {
        // Each worker its own HTTP port, so several can run side by side; links in its messages point at it.
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort()}";
        var environment = new Dictionary<string, string?>(Environment)
        {
            ["Urls"] = url,
            ["SlaWatch__PublicBaseUrl"] = url,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var worker = WorkerProcess.Start(environment, Output, arguments);
        _workers.Add(worker);
        if (waitForInbox)
        {
            await worker.WaitForLogAsync("watching folder", TimeSpan.FromSeconds(60));
        }

        return worker;
    }

    public static string Customer(string name) => ServersFixture.UniqueAddress(name, "customer.test");

    /// <summary>A complaint as a mail client writes it.</summary>
    public MimeMessage Complaint(string from, string subject, string body, string? fromName = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeUtils.GenerateMessageId("customer.test"), Date = DateTimeOffset.UnixEpoch.AddYears(56) };
        message.From.Add(new MailboxAddress(fromName ?? string.Empty, from));
        message.To.Add(MailboxAddress.Parse(Support));
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>Sends a complaint to the support inbox through the SMTP relay (so it gets a Return-Path, as real mail does).</summary>
    public Task SendAsync(MimeMessage message) => Mail.SendAsync(message);

    /// <summary>The acknowledgements a customer received, waiting for <paramref name="count"/> of them.</summary>
    public Task<IReadOnlyList<MailboxMessage>> WaitForAcknowledgementsAsync(string customer, int count = 1, TimeSpan? timeout = null) =>
        Mail.WaitForAsync(customer, "INBOX", m => m.Header("Auto-Submitted") == "auto-replied", count, timeout ?? TimeSpan.FromSeconds(60));

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<List<Dictionary<string, object?>>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Polls a database condition until it holds or the deadline passes (then fails, naming it).</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (NpgsqlException) when (stopwatch.Elapsed < limit)
            {
                // The database may be down on purpose in this test; keep polling.
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == "42P01" && stopwatch.Elapsed < limit)
            {
                // The worker has not created its tables yet.
            }

            if (stopwatch.Elapsed >= limit)
            {
                Output.WriteLine($"[harness] gave up waiting until {what}");
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }
    }

    public Task WaitForCountAsync(string what, string sql, long expected, TimeSpan? timeout = null, params (string Name, object Value)[] parameters) =>
        WaitUntilAsync($"{what} = {expected}", async () => await ScalarAsync<long>(sql, parameters) == expected, timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }
}
