using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using MailKit.Net.Imap;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Benchmarks;

/// <summary>A Markdown report: printed to stdout and written under .bench/ (git-ignored) at the repository root.</summary>
public sealed class Report(string name)
{
    private readonly StringBuilder text = new();

    public DateTimeOffset StartedAt { get; } = TimeProvider.System.GetUtcNow();

    /// <summary>The folder under .bench/ for this run's worker logs.</summary>
    public string LogFolder => Path.Combine(RepoPaths.Root, ".bench", $"{name}-{StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-logs");

    public void Line(string line = "") => text.AppendLine(line);

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? " --- |" : " ---: |")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine();
    }

    /// <summary>The machine and the versions the figures belong to.</summary>
    public async Task MachineAsync(BenchServers servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var postgres = await servers.AdminScalarAsync<string>("SHOW server_version", cancellationToken);
        var fsync = await servers.AdminScalarAsync<string>("SHOW fsync", cancellationToken);
        var syncCommit = await servers.AdminScalarAsync<string>("SHOW synchronous_commit", cancellationToken);
        var (_, dovecot, _) = await Proc.RunAsync("dovecot", ["--version"], TimeSpan.FromSeconds(10), cancellationToken);
        var mailKit = typeof(ImapClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var commit = await GitAsync(["rev-parse", "--short", "HEAD"], cancellationToken);
        var dirty = await GitAsync(["status", "--porcelain", "--", "src"], cancellationToken);
        Table(
            ["machine", "value"],
            [
                ["date (UTC)", StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)],
                ["SlaWatch", $"commit {commit}{(dirty.Length > 0 ? " with uncommitted changes in src/" : string.Empty)}, Release build"],
                ["cores (nproc)", System.Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)],
                ["CPU", CpuModel()],
                ["RAM", $"{MemTotalGiB():0.0} GiB"],
                ["OS / kernel", $"{OsName()} / {ReadTrimmed("/proc/sys/kernel/osrelease")}"],
                [".NET", RuntimeInformation.FrameworkDescription],
                ["MailKit", mailKit ?? "?"],
                ["PostgreSQL", $"{postgres} (fsync={fsync}, synchronous_commit={syncCommit})"],
                ["Dovecot", dovecot.Trim()],
                ["servers", "PostgreSQL, Dovecot (IMAP + LMTP, maildir) and the aiosmtpd relay of ops/lib, all on 127.0.0.1, sharing the cores with the worker and the benchmark"],
            ]);
    }

    /// <summary>Prints the report and writes it to .bench/&lt;name&gt;-&lt;time&gt;.md; returns the file.</summary>
    public string Save()
    {
        var folder = Path.Combine(RepoPaths.Root, ".bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}-{StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        File.WriteAllText(path, text.ToString());
        Console.WriteLine(text.ToString());
        Console.WriteLine($"(written to {path})");
        return path;
    }

    public static string F(double value, string format = "0") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"median (IQR q1–q3)".</summary>
    public static string MedianIqr(IReadOnlyCollection<double> values, string format = "0")
    {
        var (q1, q3) = Stats.Quartiles(values);
        return $"{F(Stats.Median(values), format)} (IQR {F(q1, format)}–{F(q3, format)})";
    }

    public static string Mib(double bytes) => F(bytes / (1024 * 1024), "0");

    private static async Task<string> GitAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            var (code, output, _) = await Proc.RunAsync("git", ["-C", RepoPaths.Root, .. arguments], TimeSpan.FromSeconds(30), cancellationToken);
            return code == 0 ? output.Trim() : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return model is null ? "?" : model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static double MemTotalGiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kb / 1024.0 / 1024.0;
    }

    private static string OsName()
    {
        try
        {
            var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return pretty is null ? "Linux" : pretty["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
            return "Linux";
        }
    }

    private static string ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
