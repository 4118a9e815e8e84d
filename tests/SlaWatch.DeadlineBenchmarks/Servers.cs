using System.Globalization;
using Npgsql;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>
/// PostgreSQL (fsync on), Dovecot and the SMTP relay of ops/lib/test-servers.sh on free loopback ports in a fresh
/// temporary folder: the benchmark's equivalent of the integration tests' ServersFixture (which depends on xunit).
/// </summary>
public sealed class Servers : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    private const string MailPasswordDefault = "secret";
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "slawatch-bench3-" + Guid.NewGuid().ToString("N")[..10]);

    public int PostgresPort => Port("PG_PORT");

    public int ImapPort => Port("IMAP_PORT");

    public int SmtpPort => Port("SMTP_PORT");

    public string MailPassword => values.GetValueOrDefault("MAIL_PASSWORD", MailPasswordDefault);

    public string AdminConnectionString => Connection("postgres", pooling: false);

    public static async Task<Servers> StartAsync()
    {
        var servers = new Servers();
        Directory.CreateDirectory(servers.Folder);
        var result = await ShellScript.RunAsync(
            RepoPaths.TestServersScript,
            ["start", servers.Folder, MailPasswordDefault, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/lib/test-servers.sh start failed ({result.ExitCode}):{Environment.NewLine}{result.StandardError}{result.StandardOutput}");
        }

        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                servers.values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return servers;
    }

    /// <summary>Turns on track_commit_timestamp (so an alert's commit time can be read back) and restarts PostgreSQL.</summary>
    public async Task EnableCommitTimestampsAsync()
    {
        await ExecuteAsync(AdminConnectionString, "ALTER SYSTEM SET track_commit_timestamp = on");
        NpgsqlConnection.ClearAllPools();
        await ControlAsync("pg-stop");
        await ControlAsync("pg-start");
    }

    public string Connection(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = PostgresPort,
        Username = "postgres",
        Database = database,
        Pooling = pooling,
        CommandTimeout = 600,
    }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync(AdminConnectionString, $"CREATE DATABASE \"{name}\"");
        return Connection(name);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ShellScript.RunAsync(RepoPaths.TestServersScript, ["stop", Folder], TimeSpan.FromMinutes(2));
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its log; the folder is in the temp area anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Files owned by the postgres user; the folder is in the temp area anyway.
        }
    }

    private async Task ControlAsync(string command)
    {
        var result = await ShellScript.RunAsync(RepoPaths.TestServersScript, [command, Folder], TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/lib/test-servers.sh {command} failed:{Environment.NewLine}{result.StandardError}");
        }
    }

    private int Port(string key) =>
        values.TryGetValue(key, out var value)
            ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"ops/lib/test-servers.sh did not report {key}.");
}
