using System.Diagnostics;
using System.Text;
using Npgsql;
using static SlaWatch.DeadlineBenchmarks.Report;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>
/// B4: the watcher's two queries (as DeadlineWatcher sends them) at 10k, 100k and 1M open complaints, with the partial
/// index on next_alert_at and with it dropped. 200 complaints are due each time, so the claim returns a full batch.
/// </summary>
public static class B4Queries
{
    private const string NextSql = "SELECT min(c.next_alert_at) FROM complaints AS c WHERE c.next_alert_at IS NOT NULL";
    private const string ClaimSql = "SELECT * FROM complaints WHERE next_alert_at <= @now ORDER BY next_alert_at LIMIT 200 FOR UPDATE SKIP LOCKED";
    private const string CreateIndex = "CREATE INDEX ix_complaints_next_alert_at ON complaints (next_alert_at) WHERE next_alert_at IS NOT NULL";
    private const int Due = 200;

    public static async Task RunAsync(Servers servers, Report report, Options options, string logFolder)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var db = await servers.CreateDatabaseAsync("b4");
        var workerLog = Path.Combine(logFolder, "b4-worker.log");
        using (var migrate = WorkerRun.Start(WorkerRun.Environment(servers, db, "support@example.test"), workerLog, "migrate"))
        {
            if (await migrate.WaitAsync(TimeSpan.FromMinutes(5)) != 0)
            {
                throw new InvalidOperationException($"The worker's migrate failed; see {workerLog}");
            }
        }

        var rows = new List<string[]>();
        var plans = new StringBuilder();
        foreach (var size in options.B4Sizes)
        {
            await Servers.ExecuteAsync(db, "TRUNCATE complaints CASCADE");
            await Servers.ExecuteAsync(db, "DROP INDEX IF EXISTS ix_complaints_next_alert_at");
            var random = new Random(size);
            var now = TimeProvider.System.GetUtcNow();
            var thresholds = new DateTimeOffset[size];
            for (var i = 0; i < size; i++)
            {
                thresholds[i] = ComplaintLoader.Micro(i < Due
                    ? now - TimeSpan.FromSeconds(1 + random.Next(600))
                    : now + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(random.Next(86_400 * 30)));
            }

            random.Shuffle(thresholds);
            var load = Stopwatch.GetTimestamp();
            await ComplaintLoader.LoadAsync(db, thresholds, 1);
            await Servers.ExecuteAsync(db, CreateIndex);
            await Servers.ExecuteAsync(db, "VACUUM ANALYZE complaints");
            Console.Error.WriteLine(F($"b4: {size} complaints loaded and indexed in {Stats.ElapsedMs(load):F0} ms"));
            foreach (var indexed in new[] { true, false })
            {
                if (!indexed)
                {
                    await Servers.ExecuteAsync(db, "DROP INDEX ix_complaints_next_alert_at");
                    await Servers.ExecuteAsync(db, "ANALYZE complaints");
                }

                var (next, claim, claimed) = await MeasureAsync(db, options.B4Runs);
                rows.Add([N(size), indexed ? "partial index" : "no index", Ms(Stats.Percentile(next, 50)), Ms(Stats.Percentile(next, 99)),
                    Ms(Stats.Percentile(claim, 50)), Ms(Stats.Percentile(claim, 99)), N(claimed)]);
                if (size == options.B4Sizes.Max())
                {
                    plans.AppendLine(F($"Claim at {N(size)}, {(indexed ? "partial index" : "no index")}:"));
                    plans.AppendLine("```");
                    plans.Append(await ExplainAsync(db));
                    plans.AppendLine("```");
                }
            }

            await Servers.ExecuteAsync(db, CreateIndex);
        }

        report.Line("## B4: cost of finding due deadlines");
        report.Line();
        report.Line(F($"Open complaints loaded with COPY, {Due} of them due, the rest 1 h to 30 days ahead; VACUUM ANALYZE after the load. Each size measured with the migration's partial index (`next_alert_at IS NOT NULL`) and then with it dropped (ANALYZE again). {options.B4Runs} runs of each query after 10 warm-up runs, one connection, timed in the client (Stopwatch, Npgsql round trip, rows read). The claim runs inside a transaction that is rolled back."));
        report.Line();
        report.Table(["open complaints", "index", "min(next_alert_at) p50", "p99", "claim p50", "p99", "rows claimed"], rows);
        report.Line("`EXPLAIN (ANALYZE, BUFFERS)` of the claim (in a rolled-back transaction):");
        report.Line();
        report.Line(plans.ToString());
    }

    private static async Task<(List<double> Next, List<double> Claim, int Claimed)> MeasureAsync(string db, int runs)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var next = new List<double>();
        var claim = new List<double>();
        var claimed = 0;
        for (var run = -10; run < runs; run++)
        {
            var start = Stopwatch.GetTimestamp();
            await using (var command = new NpgsqlCommand(NextSql, connection))
            {
                await command.ExecuteScalarAsync();
            }

            var nextMs = Stats.ElapsedMs(start);
            await using var transaction = await connection.BeginTransactionAsync();
            start = Stopwatch.GetTimestamp();
            var count = 0;
            await using (var command = new NpgsqlCommand(ClaimSql, connection, transaction))
            {
                command.Parameters.AddWithValue("now", TimeProvider.System.GetUtcNow());
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    count++;
                }
            }

            var claimMs = Stats.ElapsedMs(start);
            await transaction.RollbackAsync();
            if (run >= 0)
            {
                next.Add(nextMs);
                claim.Add(claimMs);
                claimed = count;
            }
        }

        return (Stats.Sorted(next), Stats.Sorted(claim), claimed);
    }

    private static async Task<string> ExplainAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + ClaimSql, connection, transaction);
        command.Parameters.AddWithValue("now", TimeProvider.System.GetUtcNow());
        var text = new StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync();
        return text.ToString();
    }
}
