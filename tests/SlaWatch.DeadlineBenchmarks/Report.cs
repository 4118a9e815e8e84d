using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>Markdown written to stdout as it comes and, at the end, to .bench/ (git-ignored).</summary>
public sealed class Report
{
    private readonly StringBuilder text = new();

    public void Line(string line = "")
    {
        text.AppendLine(line);
        Console.WriteLine(line);
    }

    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        Line("| " + string.Join(" | ", header) + " |");
        Line("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows)
        {
            Line("| " + string.Join(" | ", row) + " |");
        }

        Line();
    }

    public string Save(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, ".bench");
        Directory.CreateDirectory(folder);
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"{name}-{stamp}.md");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The machine, the versions and the date, for the head of a report.</summary>
    public async Task MachineAsync(string connectionString)
    {
        string pgVersion;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            pgVersion = (string)(await command.ExecuteScalarAsync() ?? "?");
        }

        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var ram = double.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024;
        Line(F($"Machine: {Environment.ProcessorCount} CPUs (nproc), {cpu}, {ram:F1} GiB RAM; {RuntimeInformation.OSDescription}"));
        Line(F($"PostgreSQL: {pgVersion} (fsync on, synchronous_commit on); .NET: {RuntimeInformation.FrameworkDescription}"));
        Line(F($"Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC"));
        Line();
    }

    public static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Ms(double ms) => ms.ToString(Math.Abs(ms) < 10 ? "F2" : "F0", CultureInfo.InvariantCulture) + " ms";

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>Percentiles (nearest rank) over a list of values.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static List<double> Sorted(IEnumerable<double> values)
    {
        var list = values.ToList();
        list.Sort();
        return list;
    }

    public static double ElapsedMs(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
