using SlaWatch.DeadlineBenchmarks;
using SlaWatch.Integration.Tests.Fixtures;

// SlaWatch.DeadlineBenchmarks [b3] [b4] [--quick]: with no benchmark named, runs b3 then b4.
var quick = args.Contains("--quick");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
if (names.Count == 0)
{
    names = ["b3", "b4"];
}

var unknown = names.Except(["b3", "b4"]).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Usage: SlaWatch.DeadlineBenchmarks [b3] [b4] [--quick]");
    return 2;
}

var options = quick ? Options.QuickRun : Options.Full;
var logFolder = Path.Combine(RepoPaths.Root, ".bench");
Directory.CreateDirectory(logFolder);
var report = new Report();
await using var servers = await Servers.StartAsync();
report.Line($"# SlaWatch deadline benchmarks ({string.Join(", ", names)}{(quick ? ", --quick: smoke sizes, not the benchmark" : string.Empty)})");
report.Line();
await report.MachineAsync(servers.AdminConnectionString);
foreach (var name in names)
{
    if (name == "b3")
    {
        await B3Deadlines.RunAsync(servers, report, options, logFolder);
    }
    else
    {
        await B4Queries.RunAsync(servers, report, options, logFolder);
    }
}

var path = report.Save("deadlines-" + string.Join("-", names) + (quick ? "-quick" : string.Empty));
Console.Error.WriteLine($"Report written to {path}");
return 0;
