using System.Globalization;
using System.Text;
using Npgsql;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>
/// The real servers of the integration tests, shared by every test in the "servers" collection:
/// a private PostgreSQL cluster, Dovecot (IMAP, LMTP) and an SMTP relay that delivers into
/// Dovecot, all on free loopback ports under a fresh temporary folder
/// (ops/lib/test-servers.sh, which installs the Debian packages when they are missing).
/// Every address on any domain is a mailbox with the password <see cref="MailPassword"/>.
/// It never skips: a server that cannot start fails the tests with that server's log.
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    /// <summary>The one password of every mailbox.</summary>
    public const string DefaultMailPassword = "secret";

    /// <summary>Loopback, where every server listens.</summary>
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromMinutes(2);

    private Dictionary<string, string> values = new(StringComparer.Ordinal);

    /// <summary>The temporary folder holding the servers' data, configuration and logs.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "slawatch-it-" + Guid.NewGuid().ToString("N")[..10]);

    public int PostgresPort { get; private set; }

    public int ImapPort { get; private set; }

    public int LmtpPort { get; private set; }

    public int SmtpPort { get; private set; }

    public string MailPassword { get; private set; } = DefaultMailPassword;

    /// <summary>Dovecot's configuration file, for <c>doveadm -c</c>.</summary>
    public string DovecotConfig => Value("DOVECOT_CONF");

    /// <summary>The relay's log: one line per accepted message (time, envelope, Message-ID).</summary>
    public string SmtpMessageLog => Value("SMTP_MESSAGE_LOG");

    /// <summary>Superuser connection to the cluster's <c>postgres</c> database (trust on loopback).</summary>
    public string PostgresAdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = PostgresPort,
        Username = "postgres",
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    /// <summary>How long the servers took to start (install included).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>A client for the fixture's mailboxes (SMTP through the relay, IMAP).</summary>
    public MailboxClient Mail => new(Host, ImapPort, SmtpPort, MailPassword);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var result = await ShellScript.RunAsync(
            RepoPaths.TestServersScript,
            ["start", Folder, DefaultMailPassword, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            StartTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The test servers did not start (ops/lib/test-servers.sh exit {result.ExitCode}) in {Folder}.{Environment.NewLine}"
                + result.StandardError + Environment.NewLine + result.StandardOutput);
        }

        values = ParseKeyValues(result.StandardOutput);
        PostgresPort = Port("PG_PORT");
        ImapPort = Port("IMAP_PORT");
        LmtpPort = Port("LMTP_PORT");
        SmtpPort = Port("SMTP_PORT");
        MailPassword = Value("MAIL_PASSWORD");
        StartupTime = result.Elapsed;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var result = await ShellScript.RunAsync(RepoPaths.TestServersScript, ["stop", Folder], ControlTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Stopping the test servers failed:{Environment.NewLine}{result.StandardError}");
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its log as it goes; the folder is in the temp area anyway.
        }
    }

    /// <summary>Creates a new, empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(PostgresAdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = PostgresPort,
            Username = "postgres",
            Database = name,
        }.ConnectionString;
    }

    /// <summary>A mail address no other test uses, e.g. <c>support-1a2b3c4d@example.test</c>.</summary>
    public static string UniqueAddress(string localPart, string domain = "example.test") =>
        $"{localPart}-{Guid.NewGuid().ToString("N")[..8]}@{domain}";

    /// <summary>Stops PostgreSQL (fast shutdown); the port and data stay for <see cref="StartPostgresAsync"/>.</summary>
    public async Task StopPostgresAsync()
    {
        await ControlAsync("pg-stop");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts PostgreSQL again on the same port with the same data.</summary>
    public Task StartPostgresAsync() => ControlAsync("pg-start");

    /// <summary>Stops Dovecot: IMAP and LMTP connections drop; mail stays in the maildirs.</summary>
    public Task StopDovecotAsync() => ControlAsync("dovecot-stop");

    /// <summary>Starts Dovecot again on the same ports.</summary>
    public Task StartDovecotAsync() => ControlAsync("dovecot-start");

    /// <summary>Stops and starts Dovecot: every IMAP connection is dropped.</summary>
    public Task RestartDovecotAsync() => ControlAsync("dovecot-restart");

    /// <summary>The tail of each server's log, for a failure message.</summary>
    public string ServerLogs(int lines = 40)
    {
        var text = new StringBuilder();
        foreach (var log in new[] { "pg/postgres.log", "dovecot/dovecot.log", "smtp/relay.log", "smtp/messages.log" })
        {
            var path = Path.Combine(Folder, log);
            text.AppendLine(CultureInfo.InvariantCulture, $"----- {path} -----");
            try
            {
                foreach (var line in File.ReadLines(path).TakeLast(lines))
                {
                    text.AppendLine(line);
                }
            }
            catch (IOException error)
            {
                text.AppendLine(error.Message);
            }
            catch (UnauthorizedAccessException error)
            {
                text.AppendLine(error.Message);
            }
        }

        return text.ToString();
    }

    private async Task ControlAsync(string command)
    {
        var result = await ShellScript.RunAsync(RepoPaths.TestServersScript, [command, Folder], ControlTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"ops/lib/test-servers.sh {command} failed (exit {result.ExitCode}):{Environment.NewLine}{result.StandardError}{Environment.NewLine}{ServerLogs()}");
        }
    }

    private static string UniqueDatabaseName(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "db_" + clean;
        }

        // PostgreSQL identifiers are at most 63 bytes.
        return $"{clean[..Math.Min(clean.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
    }

    private static Dictionary<string, string> ParseKeyValues(string output)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed[line[..equals]] = line[(equals + 1)..];
            }
        }

        return parsed;
    }

    private string Value(string key) =>
        values.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"ops/lib/test-servers.sh did not report {key}; the fixture is not started.");

    private int Port(string key) => int.Parse(Value(key), NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>The tests that share one set of real servers; they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ServersCollectionDefinition : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}
