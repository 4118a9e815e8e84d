using System.Globalization;
using Npgsql;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Benchmarks;

/// <summary>
/// The private PostgreSQL, Dovecot and SMTP relay of ops/lib/test-servers.sh, started in a fresh temporary folder on
/// free loopback ports for one benchmark run (the same servers the integration tests use), and stopped at the end.
/// With the benchmark's pid as owner, they stop by themselves if the benchmark is killed.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    public const string Host = "127.0.0.1";

    private readonly Dictionary<string, string> values;

    private BenchServers(string folder, Dictionary<string, string> values)
    {
        Folder = folder;
        this.values = values;
    }

    public string Folder { get; }

    public int PostgresPort => Port("PG_PORT");

    public int ImapPort => Port("IMAP_PORT");

    public int SmtpPort => Port("SMTP_PORT");

    public string MailPassword => values["MAIL_PASSWORD"];

    public string DovecotConfig => values["DOVECOT_CONF"];

    /// <summary>The relay's log: one line per accepted message (ISO time in ms, envelope, Message-ID).</summary>
    public string SmtpMessageLog => values["SMTP_MESSAGE_LOG"];

    /// <summary>CPU used so far by this run's PostgreSQL (postmaster and every backend, ended ones included).</summary>
    public TimeSpan PostgresCpu => Proc.TreeCpu(PidFrom(Path.Combine(Folder, "pg", "data", "postmaster.pid")));

    /// <summary>CPU used so far by this run's Dovecot (master, imap and lmtp processes, ended ones included).</summary>
    public TimeSpan DovecotCpu => Proc.TreeCpu(PidFrom(Path.Combine(Folder, "dovecot", "run", "master.pid")));

    /// <summary>CPU used so far by this run's SMTP relay.</summary>
    public TimeSpan RelayCpu => Proc.TreeCpu(PidFrom(Path.Combine(Folder, "smtp", "relay.pid")));

    public MailboxClient Mail => new(Host, ImapPort, SmtpPort, MailPassword);

    public string AdminConnectionString => ConnectionString("postgres");

    public static async Task<BenchServers> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slawatch-bench-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        Console.Error.WriteLine($"[bench] starting PostgreSQL, Dovecot and the SMTP relay in {folder}");
        var result = await ShellScript.RunAsync(
            RepoPaths.TestServersScript,
            ["start", folder, "secret", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(10),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/lib/test-servers.sh start failed (exit {result.ExitCode}):{Environment.NewLine}{result.StandardError}");
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed[line[..equals]] = line[(equals + 1)..];
            }
        }

        return new BenchServers(folder, parsed);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = PostgresPort,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>A scalar from the <c>postgres</c> database (cluster-wide views: pg_stat_database, WAL, xids).</summary>
    public async Task<T> AdminScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A statement on the <c>postgres</c> database (e.g. ALTER SYSTEM on this private cluster).</summary>
    public async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The current WAL position (flushed), e.g. <c>0/1A2B3C4</c>.</summary>
    public Task<string> WalFlushPositionAsync(CancellationToken cancellationToken) =>
        AdminScalarAsync<string>("SELECT pg_current_wal_flush_lsn()::text", cancellationToken);

    /// <summary>
    /// Counts the transaction COMMIT records in the WAL between two positions with pg_waldump: the transactions that wrote
    /// something and so waited for a WAL flush (read-only transactions write none; savepoints are part of their
    /// transaction's record). Cluster-wide. Null when the WAL could not be read.
    /// </summary>
    public async Task<long?> CountCommitRecordsAsync(string from, string to, CancellationToken cancellationToken)
    {
        var waldump = Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin", "pg_waldump"))
            .Where(File.Exists)
            .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .FirstOrDefault();
        if (waldump is null)
        {
            return null;
        }

        var (code, output, error) = await Proc.RunAsync(
            waldump,
            ["-p", Path.Combine(Folder, "pg", "data", "pg_wal"), "-s", from, "-e", to, "-r", "Transaction"],
            TimeSpan.FromMinutes(5),
            cancellationToken);
        var commits = output.Split('\n').LongCount(l => l.Contains("desc: COMMIT", StringComparison.Ordinal));
        if (code != 0 && commits == 0)
        {
            Console.Error.WriteLine($"[bench] pg_waldump failed (exit {code}): {error.Trim()}");
            return null;
        }

        return commits;
    }

    /// <summary>
    /// Copies every message of one user's INBOX into another user's INBOX with doveadm (maildir hard links: fast, and
    /// INTERNALDATE is kept), so each round reads a mailbox nobody has touched.
    /// </summary>
    public async Task CopyMailboxAsync(string fromUser, string toUser, CancellationToken cancellationToken)
    {
        var (code, _, error) = await Proc.RunAsync(
            "doveadm",
            ["-c", DovecotConfig, "copy", "-u", toUser, "INBOX", "user", fromUser, "mailbox", "INBOX", "ALL"],
            TimeSpan.FromMinutes(5),
            cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"doveadm copy {fromUser} -> {toUser} failed (exit {code}): {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var result = await ShellScript.RunAsync(RepoPaths.TestServersScript, ["stop", Folder], TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            Console.Error.WriteLine($"[bench] stopping the servers failed: {result.StandardError}");
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing its log; the folder is in the temp area.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static int PidFrom(string file) =>
        int.Parse(File.ReadLines(file).First().Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private int Port(string key) => int.Parse(values[key], NumberStyles.None, CultureInfo.InvariantCulture);
}
