using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using static SlaWatch.DeadlineBenchmarks.Report;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>
/// The anchor of B3: one Hangfire delayed job per deadline (BackgroundJob.Schedule) on the same PostgreSQL, tuned as
/// PERFORMANCE.md §1.5 says (SchedulePollingInterval 1 s, QueuePollInterval 100 ms); each job records when it started.
/// </summary>
public static class HangfireAnchor
{
    private static readonly ConcurrentDictionary<int, double> Late = new();

    /// <summary>The job: how late (ms, negative when early) it started against its due time, by the wall clock.</summary>
    public static void Run(int id, long dueUtcTicks)
    {
        var started = TimeProvider.System.GetUtcNow();
        Late[id] = (started.UtcTicks - dueUtcTicks) / (double)TimeSpan.TicksPerMillisecond;
    }

    public static async Task RunAsync(string connectionString, Report report, Options options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire_anchor",
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromMilliseconds(100),
                    InvisibilityTimeout = TimeSpan.FromMinutes(5),
                    UseSlidingInvisibilityTimeout = true,
                });
        var serverOptions = new BackgroundJobServerOptions { SchedulePollingInterval = TimeSpan.FromSeconds(1) };
        using var server = new BackgroundJobServer(serverOptions);

        var random = new Random(4);
        var now = TimeProvider.System.GetUtcNow();
        var a0 = now + TimeSpan.FromSeconds(options.Quick ? 15 : 40);
        var instant = a0 + (options.AnchorWindow * 0.5) + TimeSpan.FromMilliseconds(437);
        var due = new List<DateTimeOffset>();
        for (var i = 0; i < options.AnchorUniform; i++)
        {
            due.Add(a0 + (options.AnchorWindow * random.NextDouble()));
        }

        due.AddRange(Enumerable.Repeat(instant, options.AnchorBurst));
        var scheduling = Stopwatch.GetTimestamp();
        for (var i = 0; i < due.Count; i++)
        {
            var id = i;
            var ticks = due[i].UtcTicks;
            BackgroundJob.Schedule(() => Run(id, ticks), due[i]);
        }

        var schedulingMs = Stats.ElapsedMs(scheduling);
        var scheduledLate = TimeProvider.System.GetUtcNow() > a0;
        var deadline = due.Max() + TimeSpan.FromMinutes(4);
        while (Late.Count < due.Count && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var burstIds = Enumerable.Range(options.AnchorUniform, options.AnchorBurst).ToHashSet();
        var all = Stats.Sorted(Late.Values);
        var uniform = Stats.Sorted(Late.Where(kv => !burstIds.Contains(kv.Key)).Select(kv => kv.Value));
        var burst = Stats.Sorted(Late.Where(kv => burstIds.Contains(kv.Key)).Select(kv => kv.Value));
        string[] Row(string what, List<double> v) =>
        [
            what, N(v.Count), Ms(Stats.Percentile(v, 50)), Ms(Stats.Percentile(v, 99)), Ms(v.Count == 0 ? double.NaN : v[^1]),
            F($"{v.Count(x => x < 0)} ({(v.Count == 0 ? 0 : 100.0 * v.Count(x => x < 0) / v.Count):F0}%), earliest {Ms(v.Count == 0 ? double.NaN : v[0])}"),
        ];

        report.Line("### B3 anchor: one Hangfire delayed job per deadline (same PostgreSQL, run after the worker stopped)");
        report.Line();
        report.Line(F($"Hangfire.Core 1.8.25 + Hangfire.PostgreSql 1.21.1 in this process: SchedulePollingInterval 1 s, QueuePollInterval 100 ms, {serverOptions.WorkerCount} workers. {N(options.AnchorUniform)} jobs due uniformly over {options.AnchorWindow.TotalSeconds:F0} s plus {N(options.AnchorBurst)} due at one instant; scheduling them took {schedulingMs:F0} ms{(scheduledLate ? " (finished after the first due time)" : " (before the first due time)")}. Late = the job's start (wall clock) − its due time."));
        report.Line();
        report.Table(
            ["jobs", "started", "p50 late", "p99 late", "max late", "started early"],
            [Row("all", all), Row("spread over the window", uniform), Row("one instant", burst)]);
        if (Late.Count < due.Count)
        {
            report.Line(F($"**{due.Count - Late.Count} anchor jobs had not started {deadline - due.Max():c} after the last due time.**"));
            report.Line();
        }
    }
}
