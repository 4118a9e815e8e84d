using System.Globalization;
using SlaWatch.Benchmarks;

// SlaWatch's benchmarks (issue 2, docs/benchmarks.md). Each starts its own private servers, runs, prints a Markdown
// report and writes it under .bench/ at the repository root. Exit codes: 0 done, 1 failed, 2 bad arguments.
//
//   bench b1 [--messages 10000] [--rounds 3] [--batch-size N] [--append-batch 250] [--warm 1]
//   bench b2 [--messages 300] [--rate 5] [--burst 100] [--poll-messages 60] [--poll-rate 5] [--floor 20] [--seed 2]
const string Usage = """
    usage: SlaWatch.Benchmarks b1 [--messages 10000] [--rounds 3] [--batch-size N] [--append-batch 250] [--warm 1]
           SlaWatch.Benchmarks b2 [--messages 300] [--rate 5] [--burst 100] [--poll-messages 60] [--poll-rate 5] [--floor 20] [--seed 2]
    """;

if (args.Length == 0 || args[0] is not ("b1" or "b2"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"unexpected argument '{args[i]}'{Environment.NewLine}{Usage}");
        return 2;
    }

    options[args[i][2..]] = args[++i];
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var name = args[0];
    var known = name == "b1" ? new[] { "messages", "rounds", "batch-size", "append-batch", "warm" } : ["messages", "rate", "burst", "poll-messages", "poll-rate", "floor", "seed"];
    var unknown = options.Keys.Except(known).ToList();
    if (unknown.Count > 0)
    {
        Console.Error.WriteLine($"unknown option --{unknown[0]}{Environment.NewLine}{Usage}");
        return 2;
    }

    var report = new Report(name);
    await using var servers = await BenchServers.StartAsync(cancel.Token);
    report.Line($"# SlaWatch benchmark {name.ToUpperInvariant()}, {report.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
    report.Line();
    report.Line($"Command: `ops/bench.sh` (or `dotnet SlaWatch.Benchmarks.dll {string.Join(' ', args)}`).");
    report.Line();
    await report.MachineAsync(servers, cancel.Token);
    if (name == "b1")
    {
        var settings = new B1Ingest.Settings(
            Int(options, "messages", 10_000),
            Int(options, "rounds", 3),
            options.ContainsKey("batch-size") ? Int(options, "batch-size", 100) : null,
            Int(options, "append-batch", 250),
            Flag(options, "warm", true));
        await new B1Ingest(servers, report, settings).RunAsync(cancel.Token);
    }
    else
    {
        var rate = Double(options, "rate", 5);
        var settings = new B2Latency.Settings(
            Int(options, "messages", 300),
            rate,
            Int(options, "burst", 100),
            Int(options, "poll-messages", 60),
            Double(options, "poll-rate", rate),
            Int(options, "floor", 20),
            Int(options, "seed", 2));
        await new B2Latency(servers, report, settings).RunAsync(cancel.Token);
    }

    report.Line($"Worker logs: `{Path.GetRelativePath(SlaWatch.Integration.Tests.Fixtures.RepoPaths.Root, report.LogFolder)}/`.");
    report.Save();
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("[bench] cancelled");
    return 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"[bench] failed: {ex}");
    return 1;
}

static int Int(Dictionary<string, string> options, string key, int fallback)
{
    if (!options.TryGetValue(key, out var text))
    {
        return fallback;
    }

    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException($"--{key} takes a positive whole number, not '{text}'.");
}

static bool Flag(Dictionary<string, string> options, string key, bool fallback) =>
    !options.TryGetValue(key, out var text) ? fallback
    : text switch
    {
        "1" => true,
        "0" => false,
        _ => throw new ArgumentException($"--{key} takes 1 (on) or 0 (off), not '{text}'."),
    };

static double Double(Dictionary<string, string> options, string key, double fallback)
{
    if (!options.TryGetValue(key, out var text))
    {
        return fallback;
    }

    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException($"--{key} takes a positive number, not '{text}'.");
}
