using System.Diagnostics;
using Npgsql;
using static SlaWatch.DeadlineBenchmarks.Report;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>
/// B3: 100k open complaints, 10k at-risk thresholds spread over ten minutes plus 2k at one instant, run by the real
/// worker process; lateness of each alert read back from SQL. Then, after the worker has stopped, the Hangfire anchor.
/// </summary>
public static class B3Deadlines
{
    private const string Support = "support@example.test";

    public static async Task RunAsync(Servers servers, Report report, Options options, string logFolder)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        await servers.EnableCommitTimestampsAsync();
        var db = await servers.CreateDatabaseAsync("b3");
        var workerLog = Path.Combine(logFolder, "b3-worker.log");
        var env = WorkerRun.Environment(servers, db, Support);
        using (var migrate = WorkerRun.Start(env, workerLog, "migrate"))
        {
            if (await migrate.WaitAsync(TimeSpan.FromMinutes(5)) != 0)
            {
                throw new InvalidOperationException($"The worker's migrate failed; see {workerLog}");
            }
        }

        // Thresholds: uniform over the window, one instant with a fractional second, the rest a week away.
        var random = new Random(3);
        var now = TimeProvider.System.GetUtcNow();
        var t0 = now + options.Lead;
        var instant = ComplaintLoader.Micro(t0 + (options.Window * 0.55) + TimeSpan.FromMilliseconds(437.123));
        var thresholds = new List<DateTimeOffset>(options.OpenComplaints);
        for (var i = 0; i < options.Uniform; i++)
        {
            thresholds.Add(ComplaintLoader.Micro(t0 + (options.Window * random.NextDouble())));
        }

        thresholds.AddRange(Enumerable.Repeat(instant, options.Burst));
        var lastDue = thresholds.Max();
        var farFuture = options.OpenComplaints - options.Uniform - options.Burst;
        for (var i = 0; i < farFuture; i++)
        {
            thresholds.Add(ComplaintLoader.Micro(now + TimeSpan.FromDays(7) + TimeSpan.FromSeconds(random.Next(0, 86_400 * 30))));
        }

        var shuffled = thresholds.ToArray();
        random.Shuffle(shuffled);
        var load = Stopwatch.GetTimestamp();
        var loaded = await ComplaintLoader.LoadAsync(db, shuffled, 1);
        await Servers.ExecuteAsync(db, "VACUUM ANALYZE complaints");
        var loadMs = Stats.ElapsedMs(load);
        var expected = options.Uniform + options.Burst;

        var sla = new Dictionary<string, string>(env, StringComparer.Ordinal)
        {
            ["SlaWatch__Sla__FirstResponse"] = "01:00:00",
            ["SlaWatch__Sla__AtRisk__0"] = "00:45:00",
            ["SlaWatch__Escalation__Levels__0__Name"] = "lead",
            ["SlaWatch__Escalation__Levels__0__Trigger"] = "AtRisk",
            ["SlaWatch__Escalation__Levels__0__Notify__0"] = "lead@example.test",
        };
        var firstLead = (thresholds.Take(expected).Min() - TimeProvider.System.GetUtcNow()).TotalSeconds;
        Console.Error.WriteLine(F($"b3: loaded {loaded} complaints in {loadMs:F0} ms; first threshold in {firstLead:F1} s, last {(lastDue - TimeProvider.System.GetUtcNow()).TotalSeconds:F0} s; starting the worker"));

        TimeSpan workerRan;
        var sentDone = false;
        var workerStart = Stopwatch.GetTimestamp();
        using (var worker = WorkerRun.Start(sla, workerLog))
        {
            var recordDeadline = lastDue + TimeSpan.FromMinutes(3);
            var sendDeadline = lastDue + TimeSpan.FromMinutes(6);
            var progress = Stopwatch.GetTimestamp();
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                if (worker.HasExited)
                {
                    throw new InvalidOperationException($"The worker exited during B3; see {workerLog}");
                }

                var (alerts, sent) = await CountsAsync(db);
                var clock = TimeProvider.System.GetUtcNow();
                if (Stopwatch.GetElapsedTime(progress) > TimeSpan.FromSeconds(30))
                {
                    progress = Stopwatch.GetTimestamp();
                    Console.Error.WriteLine(F($"b3: {alerts} alerts recorded, {sent} mails sent; last threshold in {(lastDue - clock).TotalSeconds:F0} s"));
                }

                if (clock > lastDue && alerts >= expected && sent >= alerts)
                {
                    sentDone = true;
                    break;
                }

                if ((clock > recordDeadline && alerts < expected) || clock > sendDeadline)
                {
                    break;
                }
            }

            workerRan = Stopwatch.GetElapsedTime(workerStart);
        }

        report.Line("## B3: deadline watcher, real worker process");
        report.Line();
        report.Line(F($"{N(options.OpenComplaints)} open complaints loaded with COPY in {loadMs:F0} ms; {N(options.Uniform)} at-risk thresholds uniform over {options.Window.TotalMinutes:F1} min starting {options.Lead.TotalSeconds:F0} s after the load, {N(options.Burst)} at one instant ({instant:HH:mm:ss.ffffff} UTC), {N(farFuture)} a week or more away. One escalation level (lead, AtRisk, one address). The worker ran {workerRan.TotalSeconds:F0} s; all mails sent before it was stopped: {(sentDone ? "yes" : "NO")}."));
        report.Line();
        await ReportWorkerAsync(db, report, expected, instant, lastDue);

        // The anchor runs after the worker has stopped, on the same PostgreSQL.
        await HangfireAnchor.RunAsync(db, report, options);
    }

    private static async Task<(long Alerts, long Sent)> CountsAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM outbox WHERE kind = 'alert' AND sent_at IS NOT NULL)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task ReportWorkerAsync(string db, Report report, int expected, DateTimeOffset instant, DateTimeOffset lastDue)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        var recorded = new List<double>();
        var committed = new List<double>();
        var dispatched = new List<double>();
        var burstRecorded = new List<double>();
        var burstCommitted = new List<double>();
        var burstSent = new List<double>();
        var spreadCommitted = new List<double>();
        long unsent = 0;
        DateTimeOffset? lastSent = null;
        DateTimeOffset? firstSent = null;
        await using (var command = new NpgsqlCommand(
            """
            SELECT extract(epoch FROM a.recorded_at - a.threshold_at) * 1000,
                   extract(epoch FROM pg_xact_commit_timestamp(a.xmin) - a.threshold_at) * 1000,
                   extract(epoch FROM o.sent_at - a.threshold_at) * 1000,
                   a.threshold_at = @instant,
                   o.sent_at
            FROM alerts a
            LEFT JOIN outbox o ON o.kind = 'alert' AND o.dedupe_key = 'alert:' || a.id || ':lead@example.test'
            """, connection))
        {
            command.Parameters.AddWithValue("instant", instant);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var rec = (double)reader.GetDecimal(0);
                var com = (double)reader.GetDecimal(1);
                recorded.Add(rec);
                committed.Add(com);
                var isBurst = reader.GetBoolean(3);
                if (isBurst)
                {
                    burstRecorded.Add(rec);
                    burstCommitted.Add(com);
                }
                else
                {
                    spreadCommitted.Add(com);
                }

                if (reader.IsDBNull(2))
                {
                    unsent++;
                }
                else
                {
                    var sent = (double)reader.GetDecimal(2);
                    dispatched.Add(sent);
                    if (isBurst)
                    {
                        burstSent.Add(sent);
                    }

                    var at = reader.GetFieldValue<DateTimeOffset>(4);
                    lastSent = lastSent is null || at > lastSent ? at : lastSent;
                    firstSent = firstSent is null || at < firstSent ? at : firstSent;
                }
            }
        }

        long Scalar(string sql)
        {
            using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("last", lastDue);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var found = Scalar("SELECT count(DISTINCT complaint_id) FROM alerts WHERE threshold_at <= @last");
        var unexpected = Scalar("SELECT count(*) FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE c.received_at + interval '45 minutes' > @last");
        var wrongThreshold = Scalar("SELECT count(*) FROM alerts a JOIN complaints c ON c.id = a.complaint_id WHERE a.threshold_at <> c.received_at + interval '45 minutes'");
        var early = recorded.Count(v => v < 0);
        var earlyCommit = committed.Count(v => v < 0);

        recorded = Stats.Sorted(recorded);
        committed = Stats.Sorted(committed);
        dispatched = Stats.Sorted(dispatched);
        string[] Row(string what, List<double> v) =>
            [what, N(v.Count), Ms(Stats.Percentile(v, 50)), Ms(Stats.Percentile(v, 99)), Ms(v.Count == 0 ? double.NaN : v[^1])];
        report.Table(
            ["delay from threshold", "alerts", "p50", "p99", "max"],
            [
                Row("alert recorded (alerts.recorded_at − threshold_at: the claim's `now`)", recorded),
                Row("alert committed (pg_xact_commit_timestamp − threshold_at: durable)", committed),
                Row("alert mail sent (outbox.sent_at − threshold_at)", dispatched),
                Row("spread over the window only: committed", Stats.Sorted(spreadCommitted)),
                Row("2k instant: recorded", Stats.Sorted(burstRecorded)),
                Row("2k instant: committed", Stats.Sorted(burstCommitted)),
                Row("2k instant: mail sent", Stats.Sorted(burstSent)),
            ]);
        report.Table(
            ["check", "value"],
            [
                ["alerts expected / found", $"{N(expected)} / {N(found)}"],
                ["missed (expected − found)", N(expected - found)],
                ["early (recorded_at < threshold_at)", N(early)],
                ["committed before threshold", N(earlyCommit)],
                ["alerts for complaints not yet due (unexpected)", N(unexpected)],
                ["alerts whose threshold_at ≠ received_at + 45 min", N(wrongThreshold)],
                ["2k instant: all recorded (last commit − instant)", burstCommitted.Count == 0 ? "none" : Ms(burstCommitted.Max())],
                ["alert mails not sent when the worker stopped", N(unsent)],
                ["last alert mail left, after the last threshold", lastSent is null ? "none" : Ms((lastSent.Value - lastDue).TotalMilliseconds)],
                ["alert mail send rate (first to last send)", lastSent is null || firstSent is null ? "n/a" : F($"{dispatched.Count / Math.Max(0.001, (lastSent.Value - firstSent.Value).TotalSeconds):F0} msg/s over the whole run (spread by the thresholds)")],
            ]);
        report.Line("Mail goes through the test relay (aiosmtpd) that delivers by LMTP into Dovecot, a sink of a few hundred messages a second at best: the mail figures measure that relay as much as SlaWatch.");
        report.Line();
    }
}
