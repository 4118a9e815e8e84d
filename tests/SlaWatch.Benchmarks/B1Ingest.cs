using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Npgsql;

namespace SlaWatch.Benchmarks;

/// <summary>
/// B1 (issue 2): complaints durably recorded per second from one mailbox of N messages, against a raw MailKit fetch of
/// the same mail in the same run — one UID FETCH (BODY.PEEK[]) per message, and batched. Rounds alternate anchor and
/// SlaWatch (ABAB); every measurement reads its own fresh copy of the mailbox, and SlaWatch gets a fresh database.
/// With <see cref="Settings.Warm"/>, the same worker then reads a second mailbox of N other messages: the rate of a
/// worker whose code is already compiled, next to the first (cold) pass that includes the JIT's work.
/// </summary>
public sealed class B1Ingest(BenchServers servers, Report report, B1Ingest.Settings settings)
{
    private const string Source = "b1-source@bench.test";
    private const string WarmSource = "b1-source-warm@bench.test";
    private const string SupportAddress = "support@bench.test";
    private const string OneByOne = "one-by-one";
    private const string Batched = "batched";

    private readonly string runId = Guid.NewGuid().ToString("N")[..8];

    public sealed record Settings(int Messages, int Rounds, int? BatchSize, int AppendBatch, bool Warm);

    /// <summary>CPU seconds used by each party (the machine's total includes whatever else runs on it).</summary>
    private sealed record Cpu(double Worker, double Client, double Postgres, double Dovecot, double Machine)
    {
        public static Cpu operator -(Cpu a, Cpu b) =>
            new(a.Worker - b.Worker, a.Client - b.Client, a.Postgres - b.Postgres, a.Dovecot - b.Dovecot, a.Machine - b.Machine);

        /// <summary>
        /// The machine's busy time not spent by the worker, its servers or the benchmark: other load (other sessions on a
        /// shared machine). The samples are a few milliseconds apart, so "none" can read slightly negative: shown as 0.
        /// </summary>
        public double Other => Math.Max(0, Machine - Worker - Client - Postgres - Dovecot);
    }

    private Cpu SampleCpu(int? workerPid) => new(
        workerPid is { } pid ? Proc.ProcessCpu(pid).TotalSeconds : 0,
        System.Environment.CpuUsage.TotalTime.TotalSeconds,
        servers.PostgresCpu.TotalSeconds,
        servers.DovecotCpu.TotalSeconds,
        Proc.MachineBusy().TotalSeconds);

    private sealed record AnchorResult(string Kind, int Round, int Messages, long Bytes, TimeSpan Elapsed, Cpu Cpu)
    {
        public double Rate => Messages / Elapsed.TotalSeconds;
    }

    private sealed record WorkerResult(
        int Round,
        int Messages,
        TimeSpan Elapsed,
        TimeSpan Startup,
        Cpu Cpu,
        long Xids,
        long? Commits,
        long WalBytes,
        long PeakRss,
        long Complaints,
        long Outbox,
        string Statuses,
        int? ExitCode,
        int Errors,
        int Warnings,
        TimeSpan? WarmElapsed,
        Cpu? WarmCpu)
    {
        public double Rate => Messages / Elapsed.TotalSeconds;

        public double? WarmRate => WarmElapsed is { } warm ? Messages / warm.TotalSeconds : null;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var n = settings.Messages;
        // Keep the WAL of a whole round (pg_waldump counts its commits afterwards), checkpoints or not.
        await servers.ExecuteAdminAsync("ALTER SYSTEM SET wal_keep_size = '8GB'", cancellationToken);
        await servers.AdminScalarAsync<bool>("SELECT pg_reload_conf()", cancellationToken);
        var (bytes, fillTime) = await FillAsync(Source, 0, cancellationToken);
        Console.Error.WriteLine($"[b1] {n} messages, {Report.Mib(bytes)} MiB appended in {fillTime.TotalSeconds:0.0} s");
        if (settings.Warm)
        {
            // The same mix, other senders and Message-IDs: none of it is a duplicate of the first mailbox.
            await FillAsync(WarmSource, n, cancellationToken);
        }

        var anchors = new List<AnchorResult>();
        var workers = new List<WorkerResult>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            // A: the anchors (their order alternates too), then B: SlaWatch.
            var kinds = round % 2 == 1 ? new[] { OneByOne, Batched } : [Batched, OneByOne];
            foreach (var kind in kinds)
            {
                var user = $"b1-r{round}-{kind}@bench.test";
                await servers.CopyMailboxAsync(Source, user, cancellationToken);
                var anchor = await AnchorAsync(kind, round, user, cancellationToken);
                anchors.Add(anchor);
                Console.Error.WriteLine($"[b1] round {round}: raw MailKit {kind}: {anchor.Rate:0} msg/s ({anchor.Elapsed.TotalSeconds:0.00} s, {Report.Mib(anchor.Bytes)} MiB)");
            }

            var workerUser = $"b1-r{round}-worker@bench.test";
            await servers.CopyMailboxAsync(Source, workerUser, cancellationToken);
            var worker = await WorkerAsync(round, workerUser, cancellationToken);
            workers.Add(worker);
            Console.Error.WriteLine($"[b1] round {round}: SlaWatch: {worker.Rate:0} msg/s ({worker.Elapsed.TotalSeconds:0.0} s), CPU: worker {worker.Cpu.Worker:0.0} s, PostgreSQL {worker.Cpu.Postgres:0.0} s, Dovecot {worker.Cpu.Dovecot:0.0} s, other load {worker.Cpu.Other:0.0} s, peak RSS {Report.Mib(worker.PeakRss)} MiB, {worker.Statuses}");
            if (worker.WarmRate is { } warmRate)
            {
                Console.Error.WriteLine($"[b1] round {round}: SlaWatch warm: {warmRate:0} msg/s ({worker.WarmElapsed!.Value.TotalSeconds:0.0} s), CPU: worker {worker.WarmCpu!.Worker:0.0} s, PostgreSQL {worker.WarmCpu.Postgres:0.0} s, other load {worker.WarmCpu.Other:0.0} s");
            }
        }

        Write(bytes, fillTime, anchors, workers);
    }

    /// <summary>Fills the source mailbox with MULTIAPPEND (MailKit sends one APPEND for a list of requests), INTERNALDATE two hours ago.</summary>
    private async Task<(long Bytes, TimeSpan Elapsed)> FillAsync(string user, int firstIndex, CancellationToken cancellationToken)
    {
        var n = settings.Messages;
        var internalDate = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(2);
        var stopwatch = Stopwatch.StartNew();
        using var client = await servers.Mail.ConnectAsync(user, cancellationToken);
        if (!client.Capabilities.HasFlag(ImapCapabilities.MultiAppend))
        {
            throw new InvalidOperationException("The IMAP server does not offer MULTIAPPEND.");
        }

        var inbox = client.Inbox;
        for (var start = 0; start < n; start += settings.AppendBatch)
        {
            var requests = new List<IAppendRequest>();
            for (var i = start; i < Math.Min(n, start + settings.AppendBatch); i++)
            {
                requests.Add(new AppendRequest(Workload.Complaint(firstIndex + i, runId, SupportAddress, internalDate), MessageFlags.None, internalDate));
            }

            await inbox.AppendAsync(requests, cancellationToken);
            if ((start / settings.AppendBatch) % 10 == 9)
            {
                Console.Error.WriteLine($"[b1] appended {start + requests.Count} of {n}");
            }
        }

        await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        if (inbox.Count != n)
        {
            throw new InvalidOperationException($"The source mailbox holds {inbox.Count} messages, not {n}.");
        }

        var sizes = await inbox.FetchAsync(0, -1, MessageSummaryItems.Size, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return (sizes.Sum(s => (long)(s.Size ?? 0)), stopwatch.Elapsed);
    }

    private async Task<AnchorResult> AnchorAsync(string kind, int round, string user, CancellationToken cancellationToken)
    {
        using var client = await servers.Mail.ConnectAsync(user, cancellationToken);
        var folder = (ImapFolder)client.Inbox;
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var cpu = SampleCpu(null);
        var start = Stopwatch.GetTimestamp();
        var uids = await folder.SearchAsync(SearchQuery.All, cancellationToken);
        long bytes = 0;
        if (kind == OneByOne)
        {
            foreach (var uid in uids)
            {
                // UID FETCH uid (BODY.PEEK[]): one round trip per message, as the worker fetches.
                await using var stream = await folder.GetStreamAsync(uid, cancellationToken);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                bytes += buffer.Length;
            }
        }
        else
        {
            // One UID FETCH (BODY.PEEK[]) over every UID; MailKit hands each literal to the callback as it arrives.
            await folder.GetStreamsAsync(
                uids,
                async (_, _, _, stream, token) =>
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, token);
                    bytes += buffer.Length;
                },
                cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var result = new AnchorResult(kind, round, uids.Count, bytes, elapsed, SampleCpu(null) - cpu);
        await client.DisconnectAsync(quit: true, cancellationToken);
        if (uids.Count != settings.Messages)
        {
            throw new InvalidOperationException($"{user} holds {uids.Count} messages, not {settings.Messages}.");
        }

        return result;
    }

    private async Task<WorkerResult> WorkerAsync(int round, string user, CancellationToken cancellationToken)
    {
        var n = settings.Messages;
        var database = $"b1_r{round.ToString(CultureInfo.InvariantCulture)}_{runId}";
        var connectionString = await servers.CreateDatabaseAsync(database, cancellationToken);
        var environment = BenchWorker.Environment(servers, connectionString, SupportAddress);
        environment["SlaWatch__Inboxes__0__Username"] = user;
        // Everything two hours old counts as new mail (after StartFrom) but too old to acknowledge (MaxAckAge).
        environment["SlaWatch__Inboxes__0__StartFrom"] = (TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(3)).ToString("O", CultureInfo.InvariantCulture);
        environment["SlaWatch__Messages__MaxAckAge"] = "00:30:00";
        if (settings.BatchSize is { } batchSize)
        {
            environment["SlaWatch__Ingestion__BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture);
        }

        // Not pooled: closing it ends its backend, which flushes its statistics (pg_stat_database) at once.
        await using var poll = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await poll.OpenAsync(cancellationToken);
        var launched = Stopwatch.GetTimestamp();
        await using var worker = BenchWorker.Start(environment, Path.Combine(report.LogFolder, $"b1-round{round}-worker.log"));
        var start = await worker.WaitForLineAsync("watching folder", TimeSpan.FromMinutes(3), cancellationToken);
        var cpu = SampleCpu(worker.Id);
        var xid = await NextXidAsync(cancellationToken);
        var wal = await WalPositionAsync(cancellationToken);
        var walStart = await servers.WalFlushPositionAsync(cancellationToken);

        var end = await WaitForProcessedAsync(poll, worker, n, round, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start, end);
        cpu = SampleCpu(worker.Id) - cpu;
        xid = await NextXidAsync(cancellationToken) - xid;
        wal = await WalPositionAsync(cancellationToken) - wal;
        var walEnd = await servers.WalFlushPositionAsync(cancellationToken);
        var coldComplaints = await ScalarAsync(poll, "SELECT count(*) FROM complaints", cancellationToken);
        if (coldComplaints != n)
        {
            throw new InvalidOperationException($"Round {round}: {coldComplaints} complaints for {n} messages ({await StatusesAsync(poll, cancellationToken)}); see {report.LogFolder}.");
        }

        TimeSpan? warmElapsed = null;
        Cpu? warmCpu = null;
        if (settings.Warm)
        {
            // The second mailbox lands in the watched folder at once (one doveadm copy). Timed from when the copy is done
            // — the mail is all there, as in the first pass — unless the worker had already started on it.
            var cpuBefore = SampleCpu(worker.Id);
            var copyStarted = Stopwatch.GetTimestamp();
            await servers.CopyMailboxAsync(WarmSource, user, cancellationToken);
            var copied = Stopwatch.GetTimestamp();
            var warmStart = await ScalarAsync(poll, "SELECT count(*) FROM inbound_messages", cancellationToken) > n ? copyStarted : copied;
            var warmEnd = await WaitForProcessedAsync(poll, worker, 2 * n, round, cancellationToken);
            warmElapsed = Stopwatch.GetElapsedTime(warmStart, warmEnd);
            warmCpu = SampleCpu(worker.Id) - cpuBefore;
        }

        if (System.Environment.GetEnvironmentVariable("SW_BENCH_PG_STATEMENTS") == "1")
        {
            await PrintStatementStatisticsAsync(poll, cancellationToken);
        }

        var expected = settings.Warm ? 2 * n : n;
        var peakRss = Proc.MemoryBytes(worker.Id, "VmHWM") ?? 0;
        var complaints = await ScalarAsync(poll, "SELECT count(*) FROM complaints", cancellationToken);
        var outbox = await ScalarAsync(poll, "SELECT count(*) FROM outbox", cancellationToken);
        var statuses = await StatusesAsync(poll, cancellationToken);
        var exitCode = await worker.StopAsync(TimeSpan.FromSeconds(60));
        var commits = await servers.CountCommitRecordsAsync(walStart, walEnd, cancellationToken);
        if (complaints != expected)
        {
            throw new InvalidOperationException($"Round {round}: {complaints} complaints for {expected} messages ({statuses}); see {report.LogFolder}.");
        }

        return new WorkerResult(
            round, n, elapsed, Stopwatch.GetElapsedTime(launched, start), cpu, xid, commits, wal, peakRss,
            complaints, outbox, statuses, exitCode, worker.ErrorLines, worker.WarningLines, warmElapsed, warmCpu);
    }

    /// <summary>
    /// The statements PostgreSQL spent most time on in this round (needs <c>pg_stat_statements</c> preloaded, e.g. through
    /// <c>SW_PG_EXTRA_CONF</c>; docs/benchmarks.md, "How to run").
    /// </summary>
    private static async Task PrintStatementStatisticsAsync(NpgsqlConnection poll, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", poll))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var query = new NpgsqlCommand(
            """
            SELECT round(total_exec_time)::text || ' ms, ' || calls || ' calls, ' || rows || ' rows: '
                   || left(regexp_replace(query, '\s+', ' ', 'g'), 160)
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC LIMIT 15
            """,
            poll);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Console.WriteLine("[b1] statement: " + reader.GetString(0));
        }
    }

    /// <summary>Polls every 50 ms until <paramref name="target"/> messages are processed; the time it saw them.</summary>
    private static async Task<long> WaitForProcessedAsync(NpgsqlConnection poll, BenchWorker worker, int target, int round, CancellationToken cancellationToken)
    {
        var lastProgress = -1L;
        var lastProgressAt = Stopwatch.GetTimestamp();
        while (true)
        {
            // Cheap to ask every 50 ms, so the poll does not slow the worker it measures (a count(*) over the table had
            // cost PostgreSQL ~15 % of its time in this benchmark): rows stored, by the id sequence (an upper bound),
            // minus those still waiting, through the partial index on status. The exact count confirms the end.
            var processed = await ScalarAsync(
                poll,
                "SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM inbound_messages_id_seq) - (SELECT count(*) FROM inbound_messages WHERE status = 'Fetched')",
                cancellationToken);
            if (processed >= target)
            {
                processed = await ScalarAsync(poll, "SELECT count(*) FROM inbound_messages WHERE status <> 'Fetched'", cancellationToken);
            }

            var now = Stopwatch.GetTimestamp();
            if (processed >= target)
            {
                return now;
            }

            if (worker.HasExited)
            {
                throw new InvalidOperationException(worker.Describe($"Round {round}: the worker exited after {processed} of {target} messages."));
            }

            if (processed != lastProgress)
            {
                lastProgress = processed;
                lastProgressAt = now;
            }
            else if (Stopwatch.GetElapsedTime(lastProgressAt) > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException(worker.Describe($"Round {round}: no progress for 90 s at {processed} of {target} messages ({await StatusesAsync(poll, cancellationToken)})."));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>The next transaction id: transactions that wrote, plus their savepoint subtransactions that wrote (cluster-wide).</summary>
    private Task<long> NextXidAsync(CancellationToken cancellationToken) =>
        servers.AdminScalarAsync<long>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", cancellationToken);

    private Task<long> WalPositionAsync(CancellationToken cancellationToken) =>
        servers.AdminScalarAsync<long>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", cancellationToken);

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<string> StatusesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(string_agg(status || coalesce('/' || classification, '') || '=' || n, ', ' ORDER BY status), 'none') FROM (SELECT status, classification, count(*) AS n FROM inbound_messages GROUP BY status, classification) s",
            connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static IEnumerable<IReadOnlyList<string>> WarmRows(List<WorkerResult> workers, List<AnchorResult> one, double perThousand)
    {
        var warm = workers.Where(w => w.WarmRate is not null).ToList();
        if (warm.Count == 0)
        {
            return [];
        }

        return
        [
            ["**SlaWatch warm: the same worker, a second mailbox (msg/s)**", Report.MedianIqr(warm.Select(w => w.WarmRate!.Value).ToList())],
            ["**SlaWatch warm ÷ one-by-one** (paired by round)", Report.MedianIqr(warm.Select(w => w.WarmRate!.Value / one.Single(a => a.Round == w.Round).Rate).ToList(), "0.000")],
            ["worker / PostgreSQL CPU-seconds per 1,000 messages, warm", $"{Report.MedianIqr(warm.Select(w => w.WarmCpu!.Worker * perThousand).ToList(), "0.00")} / {Report.MedianIqr(warm.Select(w => w.WarmCpu!.Postgres * perThousand).ToList(), "0.00")}"],
            ["other load during the warm pass (CPU-s per s)", Report.MedianIqr(warm.Select(w => w.WarmCpu!.Other / w.WarmElapsed!.Value.TotalSeconds).ToList(), "0.00")],
        ];
    }

    private void Write(long bytes, TimeSpan fillTime, List<AnchorResult> anchors, List<WorkerResult> workers)
    {
        var n = settings.Messages;
        var perThousand = 1000.0 / n;
        var one = anchors.Where(a => a.Kind == OneByOne).OrderBy(a => a.Round).ToList();
        var batched = anchors.Where(a => a.Kind == Batched).OrderBy(a => a.Round).ToList();
        var ratioOne = workers.Select(w => w.Rate / one.Single(a => a.Round == w.Round).Rate).ToList();
        var ratioBatched = workers.Select(w => w.Rate / batched.Single(a => a.Round == w.Round).Rate).ToList();

        report.Line($"## B1 — complaints durably recorded per second from a {n:N0}-message mailbox");
        report.Line();
        report.Line(
            $"Workload: {n:N0} messages, {Report.Mib(bytes)} MiB in one IMAP mailbox (70 % ~4 KB plain text, 25 % ~30 KB HTML, 5 % ~200 KB with a PDF "
            + $"attachment; distinct senders, Return-Path, Message-ID, INTERNALDATE two hours ago), appended with MULTIAPPEND in {fillTime.TotalSeconds:0} s. "
            + $"{settings.Rounds} rounds, ABAB: in each round the two raw MailKit anchors, then SlaWatch; every measurement reads its own fresh "
            + "`doveadm copy` of the mailbox. SlaWatch: a fresh database each round, StartFrom three hours ago, MaxAckAge 00:30:00 (everything recorded, "
            + $"nothing acknowledged), BatchSize {(settings.BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "default (100)")}, default logging; timed from its "
            + "\"watching folder\" line until N messages are processed (polled every 50 ms: rows stored by the id sequence minus those still `Fetched`; confirmed by `count(*) … WHERE status <> 'Fetched'`), with N complaints.");
        report.Line();
        report.Table(
            ["measure", $"median (IQR) of {settings.Rounds} rounds"],
            [
                ["raw MailKit, one `UID FETCH n (BODY.PEEK[])` per message (msg/s)", Report.MedianIqr(one.Select(a => a.Rate).ToList())],
                ["raw MailKit, batched: one `UID FETCH 1:* (BODY.PEEK[])` (GetStreamsAsync) (msg/s)", Report.MedianIqr(batched.Select(a => a.Rate).ToList())],
                ["**SlaWatch: complaints durably recorded (msg/s)**", Report.MedianIqr(workers.Select(w => w.Rate).ToList())],
                ["**SlaWatch ÷ one-by-one** (paired by round; goal ≥ 0.5)", Report.MedianIqr(ratioOne, "0.000")],
                ["SlaWatch ÷ batched (paired by round)", Report.MedianIqr(ratioBatched, "0.000")],
                ["**worker CPU-seconds per 1,000 messages**", Report.MedianIqr(workers.Select(w => w.Cpu.Worker * perThousand).ToList(), "0.00")],
                .. WarmRows(workers, one, perThousand),
                ["PostgreSQL / Dovecot CPU-seconds per 1,000 messages during the SlaWatch run", $"{Report.MedianIqr(workers.Select(w => w.Cpu.Postgres * perThousand).ToList(), "0.00")} / {Report.MedianIqr(workers.Select(w => w.Cpu.Dovecot * perThousand).ToList(), "0.00")}"],
                ["anchor client / Dovecot CPU-seconds per 1,000 messages: one-by-one", $"{Report.MedianIqr(one.Select(a => a.Cpu.Client * perThousand).ToList(), "0.00")} / {Report.MedianIqr(one.Select(a => a.Cpu.Dovecot * perThousand).ToList(), "0.00")}"],
                ["anchor client / Dovecot CPU-seconds per 1,000 messages: batched", $"{Report.MedianIqr(batched.Select(a => a.Cpu.Client * perThousand).ToList(), "0.00")} / {Report.MedianIqr(batched.Select(a => a.Cpu.Dovecot * perThousand).ToList(), "0.00")}"],
                ["other load on the machine during the SlaWatch run (busy CPU-s not ours, per second)", Report.MedianIqr(workers.Select(w => w.Cpu.Other / w.Elapsed.TotalSeconds).ToList(), "0.00")],
                ["durable commits per message (WAL COMMIT records, pg_waldump; read-only transactions write none)", Report.MedianIqr(workers.Where(w => w.Commits is not null).Select(w => (double)w.Commits!.Value / n).ToList(), "0.000")],
                ["transaction ids per message (writing transactions + writing savepoints)", Report.MedianIqr(workers.Select(w => (double)w.Xids / n).ToList(), "0.00")],
                ["WAL per message (KiB)", Report.MedianIqr(workers.Select(w => w.WalBytes / 1024.0 / n).ToList(), "0.0")],
                ["worker peak RSS (VmHWM, MiB)", Report.MedianIqr(workers.Select(w => w.PeakRss / 1024.0 / 1024.0).ToList())],
                ["worker start → \"watching folder\" (s, fresh database: migrations included)", Report.MedianIqr(workers.Select(w => w.Startup.TotalSeconds).ToList(), "0.0")],
            ]);
        if (settings.Warm)
        {
            report.Line(
                $"Warm: after the first mailbox, the same worker reads a second one of {n:N0} other messages (same mix), copied into the watched folder "
                + "with one `doveadm copy`; timed from the end of the copy until all are processed (or from its start, had the worker begun during it). "
                + "The first pass includes the JIT compiling the worker's code; the warm pass shows the rate once that is done.");
            report.Line();
        }

        report.Line("Per round:");
        report.Line();
        report.Table(
            ["round", "one-by-one msg/s", "batched msg/s", "SlaWatch msg/s", "SlaWatch s", "÷ one-by-one", "÷ batched", "CPU s: worker / PG / Dovecot / other", "commits", "xids", "peak RSS MiB", "complaints / outbox", "inbound statuses", "exit", "ERR/WRN lines"],
            workers.Select(w =>
            {
                var a = one.Single(x => x.Round == w.Round);
                var b = batched.Single(x => x.Round == w.Round);
                return (IReadOnlyList<string>)
                [
                    w.Round.ToString(CultureInfo.InvariantCulture),
                    Report.F(a.Rate),
                    Report.F(b.Rate),
                    Report.F(w.Rate),
                    Report.F(w.Elapsed.TotalSeconds, "0.0"),
                    Report.F(w.Rate / a.Rate, "0.000"),
                    Report.F(w.Rate / b.Rate, "0.000"),
                    $"{Report.F(w.Cpu.Worker, "0.0")} / {Report.F(w.Cpu.Postgres, "0.0")} / {Report.F(w.Cpu.Dovecot, "0.0")} / {Report.F(w.Cpu.Other, "0.0")}",
                    w.Commits?.ToString(CultureInfo.InvariantCulture) ?? "?",
                    w.Xids.ToString(CultureInfo.InvariantCulture),
                    Report.Mib(w.PeakRss),
                    $"{w.Complaints} / {w.Outbox}",
                    w.Statuses,
                    w.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "killed",
                    $"{w.Errors}/{w.Warnings}",
                ];
            }));
    }
}
