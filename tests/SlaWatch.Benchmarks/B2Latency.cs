using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;

namespace SlaWatch.Benchmarks;

/// <summary>
/// B2 (issue 2): a complaint's arrival (t0: the relay's 250 to the customer's client, the mail being in the mailbox) to
/// its acknowledgement accepted by the SMTP relay (t_ack: the relay's message log line for the ack's Message-ID).
/// Steady Poisson arrivals and a burst with IDLE, the same steady run in polling mode, and the anchors: a bare MailKit
/// IDLE client timing relay 250 → EXISTS (Dovecot's notify delay, the floor), and a warm MailKit SMTP send.
/// </summary>
public sealed class B2Latency(BenchServers servers, Report report, B2Latency.Settings settings)
{
    private readonly string runId = Guid.NewGuid().ToString("N")[..8];

    public sealed record Settings(int Messages, double Rate, int Burst, int PollMessages, double PollRate, int FloorMessages, int Seed);

    private sealed record Latencies(string Name, int Sent, IReadOnlyList<double> Seconds, IReadOnlyList<double> DetectSeconds)
    {
        /// <summary>First to last arrival (t0), seconds.</summary>
        public double SendSpan { get; init; } = double.NaN;

        /// <summary>First to last acknowledgement accepted by the relay, seconds.</summary>
        public double AckSpan { get; init; } = double.NaN;

        /// <summary>WAL COMMIT records during the phase (ingest, outbox, Hangfire, send bookkeeping), or null.</summary>
        public long? Commits { get; init; }

        /// <summary>CPU-seconds per second of the phase that the machine spent on neither the worker, its servers nor the benchmark.</summary>
        public double OtherLoad { get; init; } = double.NaN;

        public int Missing => Sent - Seconds.Count;
    }

    private sealed record RunningWorker(BenchWorker Worker, string ConnectionString, string Support, string Label) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Worker.DisposeAsync();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var floorBefore = await IdleFloorAsync("b2-floor1@bench.test", "bare MailKit IDLE: relay 250 → EXISTS (before)", cancellationToken);
        var smtpFloor = await SmtpFloorAsync(cancellationToken);

        var idleResults = new List<Latencies>();
        long idleRssSteady, idleRssAfterBurst, idleHwm;
        await using (var idle = await StartWorkerAsync("idle", useIdle: true, cancellationToken))
        {
            idleResults.Add(await PhaseAsync(idle, $"SlaWatch, IDLE: {settings.Messages} at Poisson {settings.Rate:0.#}/s", "idle", PoissonOffsets(settings.Messages, settings.Rate, settings.Seed), cancellationToken));
            idleRssSteady = Proc.MemoryBytes(idle.Worker.Id, "VmRSS") ?? 0;
            idleResults.Add(await PhaseAsync(idle, $"SlaWatch, IDLE: burst of {settings.Burst} within 1 s", "burst", BurstOffsets(settings.Burst), cancellationToken));
            idleRssAfterBurst = Proc.MemoryBytes(idle.Worker.Id, "VmRSS") ?? 0;
            idleHwm = Proc.MemoryBytes(idle.Worker.Id, "VmHWM") ?? 0;
            await StopAsync(idle);
        }

        Latencies polling;
        long pollHwm;
        await using (var poller = await StartWorkerAsync("poll", useIdle: false, cancellationToken))
        {
            polling = await PhaseAsync(poller, $"SlaWatch, polling every 5 s (no IDLE): {settings.PollMessages} at Poisson {settings.PollRate:0.#}/s", "poll", PoissonOffsets(settings.PollMessages, settings.PollRate, settings.Seed + 1), cancellationToken);
            pollHwm = Proc.MemoryBytes(poller.Worker.Id, "VmHWM") ?? 0;
            await StopAsync(poller);
        }

        var floorAfter = await IdleFloorAsync("b2-floor2@bench.test", "bare MailKit IDLE: relay 250 → EXISTS (after)", cancellationToken);
        Write([floorBefore, floorAfter, smtpFloor], idleResults, polling, idleRssSteady, idleRssAfterBurst, idleHwm, pollHwm);
    }

    /// <summary>CPU-seconds used so far by the worker, this run's servers and the benchmark itself.</summary>
    private double OurCpu(int workerPid) =>
        Proc.ProcessCpu(workerPid).TotalSeconds + servers.PostgresCpu.TotalSeconds + servers.DovecotCpu.TotalSeconds
        + servers.RelayCpu.TotalSeconds + System.Environment.CpuUsage.TotalTime.TotalSeconds;

    private static List<double> PoissonOffsets(int count, double rate, int seed)
    {
        // Exponential gaps: a Poisson process of the given rate. Seeded, so every run sends on the same schedule.
        var random = new Random(seed);
        var offsets = new List<double>(count);
        var t = 0.0;
        for (var i = 0; i < count; i++)
        {
            t += -Math.Log(1 - random.NextDouble()) / rate;
            offsets.Add(t);
        }

        return offsets;
    }

    private static List<double> BurstOffsets(int count) => Enumerable.Range(0, count).Select(i => i * (1.0 / count)).ToList();

    private async Task<RunningWorker> StartWorkerAsync(string label, bool useIdle, CancellationToken cancellationToken)
    {
        var connectionString = await servers.CreateDatabaseAsync($"b2_{label}_{runId}", cancellationToken);
        var support = $"support-{label}@bench.test";
        var environment = BenchWorker.Environment(servers, connectionString, support);
        if (!useIdle)
        {
            environment["SlaWatch__Inboxes__0__UseIdle"] = "false";
            environment["SlaWatch__Inboxes__0__PollInterval"] = "00:00:05";
        }

        var worker = BenchWorker.Start(environment, Path.Combine(report.LogFolder, $"b2-{label}-worker.log"));
        try
        {
            await worker.WaitForLineAsync("watching folder", TimeSpan.FromMinutes(3), cancellationToken);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }

        // Let the Hangfire server and the first (empty) sweep settle before the clock starts.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        return new RunningWorker(worker, connectionString, support, label);
    }

    private static async Task StopAsync(RunningWorker running)
    {
        var code = await running.Worker.StopAsync(TimeSpan.FromSeconds(60));
        Console.Error.WriteLine($"[b2] {running.Label} worker stopped (exit {code?.ToString(CultureInfo.InvariantCulture) ?? "killed"}; {running.Worker.ErrorLines} ERR, {running.Worker.WarningLines} WRN lines)");
    }

    /// <summary>Sends one message on a new connection; returns the time the relay's 250 to DATA arrived (wall clock and Stopwatch).</summary>
    private async Task<(DateTimeOffset Wall, long Timestamp)> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(BenchServers.Host, servers.SmtpPort, SecureSocketOptions.None, cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        var stamp = (TimeProvider.System.GetUtcNow(), Stopwatch.GetTimestamp());
        await smtp.DisconnectAsync(quit: true, cancellationToken);
        return stamp;
    }

    private async Task<Latencies> PhaseAsync(RunningWorker running, string name, string prefix, List<double> offsets, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"[b2] {name}: sending");
        var ours = OurCpu(running.Worker.Id);
        var machine = Proc.MachineBusy().TotalSeconds;
        var phase = Stopwatch.StartNew();
        var walStart = await servers.WalFlushPositionAsync(cancellationToken);
        var t0 = new DateTimeOffset[offsets.Count];
        var ids = new string[offsets.Count];
        var tasks = new List<Task>(offsets.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < offsets.Count; i++)
        {
            var wait = TimeSpan.FromSeconds(offsets[i]) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var index = i;
            var message = Workload.ShortComplaint(i, runId, running.Support, TimeProvider.System.GetUtcNow(), $"b2{prefix}");
            ids[i] = message.MessageId!;
            // Not awaited in turn: arrivals keep to the schedule even when one delivery is slow.
            tasks.Add(Task.Run(async () => t0[index] = (await SendAsync(message, cancellationToken)).Wall, cancellationToken));
        }

        await Task.WhenAll(tasks);
        Console.Error.WriteLine($"[b2] {name}: {offsets.Count} sent in {clock.Elapsed.TotalSeconds:0.0} s; waiting for the acknowledgements");

        // Wait until every complaint's acknowledgement is recorded as sent (the relay logged it before answering 250).
        await using var connection = new NpgsqlConnection(running.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(90);
        Dictionary<string, (string? Ack, string? Status, DateTimeOffset Detected)> rows;
        while (true)
        {
            rows = await AcknowledgementsAsync(connection, ids, cancellationToken);
            var sent = rows.Values.Count(r => r.Status == "Sent");
            if (sent == ids.Length || deadline.Elapsed > limit)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        var commits = await servers.CountCommitRecordsAsync(walStart, await servers.WalFlushPositionAsync(cancellationToken), cancellationToken);
        var other = Math.Max(0, (Proc.MachineBusy().TotalSeconds - machine - (OurCpu(running.Worker.Id) - ours)) / phase.Elapsed.TotalSeconds);
        var relay = await RelayLogAsync(cancellationToken);
        var latencies = new List<double>();
        var detects = new List<double>();
        var acks = new List<DateTimeOffset>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (!rows.TryGetValue(ids[i], out var row))
            {
                continue;
            }

            detects.Add((row.Detected - t0[i]).TotalSeconds);
            if (row.Ack is not null && relay.TryGetValue(row.Ack, out var ackAt))
            {
                latencies.Add((ackAt - t0[i]).TotalSeconds);
                acks.Add(ackAt);
            }
        }

        var result = new Latencies(name, ids.Length, latencies, detects)
        {
            SendSpan = (t0.Max() - t0.Min()).TotalSeconds,
            AckSpan = acks.Count > 1 ? (acks.Max() - acks.Min()).TotalSeconds : double.NaN,
            OtherLoad = other,
            Commits = commits,
        };
        Console.Error.WriteLine(
            $"[b2] {name}: p50 {Stats.Median(latencies):0.000} s, p99 {Stats.Percentile(latencies, 99):0.000} s, max {(latencies.Count > 0 ? latencies.Max() : double.NaN):0.000} s; "
            + $"{rows.Count} complaints, {result.Missing} without an acknowledgement");
        return result;
    }

    private static async Task<Dictionary<string, (string? Ack, string? Status, DateTimeOffset Detected)>> AcknowledgementsAsync(
        NpgsqlConnection connection, string[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.thread_message_id, o.message_id, o.status, c.detected_at
            FROM complaints c LEFT JOIN outbox o ON o.complaint_id = c.id
            WHERE c.thread_message_id = ANY(@ids)
            """,
            connection);
        command.Parameters.AddWithValue("ids", ids);
        var rows = new Dictionary<string, (string?, string?, DateTimeOffset)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = (
                reader.IsDBNull(1) ? null : reader.GetString(1).Trim('<', '>'),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3));
        }

        return rows;
    }

    /// <summary>Message-ID (no brackets) → the first time the relay accepted it (ops/lib/smtp-relay.py: "ISO-time from=&lt;&gt; to=&lt;&gt; message-id=&lt;id&gt;").</summary>
    private async Task<Dictionary<string, DateTimeOffset>> RelayLogAsync(CancellationToken cancellationToken)
    {
        var accepted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(servers.SmtpMessageLog, cancellationToken))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var marker = line.LastIndexOf(" message-id=", StringComparison.Ordinal);
            if (space <= 0 || marker < 0
                || !DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                continue;
            }

            accepted.TryAdd(line[(marker + 12)..].Trim().Trim('<', '>'), at);
        }

        return accepted;
    }

    /// <summary>The floor: a bare MailKit client in IDLE on a mailbox; relay 250 → the EXISTS that announces the message.</summary>
    private async Task<Latencies> IdleFloorAsync(string user, string name, CancellationToken cancellationToken)
    {
        var count = settings.FloorMessages;
        using var client = await servers.Mail.ConnectAsync(user, cancellationToken);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var known = inbox.Count;
        var first = known;
        var arrivals = new long[count + known];
        using var arrived = new SemaphoreSlim(0);
        inbox.CountChanged += (_, _) =>
        {
            var now = Stopwatch.GetTimestamp();
            while (known < inbox.Count && known < arrivals.Length)
            {
                arrivals[known++] = now;
                arrived.Release();
            }
        };

        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token, cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        var seconds = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var message = Workload.ShortComplaint(i, runId, user, TimeProvider.System.GetUtcNow(), "b2floor");
            var (_, sentAt) = await SendAsync(message, cancellationToken);
            if (!await arrived.WaitAsync(TimeSpan.FromSeconds(35), cancellationToken))
            {
                throw new TimeoutException($"{name}: no EXISTS for message {i + 1} within 35 s.");
            }

            seconds.Add(Stopwatch.GetElapsedTime(sentAt, arrivals[first + i]).TotalSeconds);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        await done.CancelAsync();
        await idle;
        await client.DisconnectAsync(quit: true, cancellationToken);
        Console.Error.WriteLine($"[b2] {name}: p50 {Stats.Median(seconds):0.000} s, max {seconds.Max():0.000} s");
        return new Latencies(name, count, seconds, []);
    }

    /// <summary>The last leg of an acknowledgement alone: a warm MailKit SmtpClient sending to the relay (→ LMTP → Dovecot).</summary>
    private async Task<Latencies> SmtpFloorAsync(CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(BenchServers.Host, servers.SmtpPort, SecureSocketOptions.None, cancellationToken);
        var seconds = new List<double>();
        for (var i = 0; i < settings.FloorMessages; i++)
        {
            var message = Workload.ShortComplaint(i, runId, "b2-smtpfloor@bench.test", TimeProvider.System.GetUtcNow(), "b2smtp");
            var start = Stopwatch.GetTimestamp();
            await smtp.SendAsync(message, cancellationToken);
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        await smtp.DisconnectAsync(quit: true, cancellationToken);
        return new Latencies("warm MailKit SMTP send → relay 250 (relay → LMTP → Dovecot)", settings.FloorMessages, seconds, []);
    }

    private void Write(IReadOnlyList<Latencies> anchors, IReadOnlyList<Latencies> idle, Latencies polling, long idleRssSteady, long idleRssAfterBurst, long idleHwm, long pollHwm)
    {
        static IReadOnlyList<string> Row(Latencies l) =>
        [
            l.Name,
            l.Sent.ToString(CultureInfo.InvariantCulture),
            Report.F(Stats.Median(l.Seconds), "0.000"),
            Report.F(Stats.Percentile(l.Seconds, 90), "0.000"),
            Report.F(Stats.Percentile(l.Seconds, 99), "0.000"),
            Report.F(l.Seconds.Count > 0 ? l.Seconds.Max() : double.NaN, "0.000"),
            l.Missing.ToString(CultureInfo.InvariantCulture),
        ];

        var steady = idle[0];
        var p99 = Stats.Percentile(steady.Seconds, 99);
        report.Line("## B2 — arrival → acknowledgement accepted by the SMTP server");
        report.Line();
        report.Line(
            "t0: the relay's 250 to the customer's SMTP client (the complaint is in the support mailbox: the relay answers only after Dovecot's LMTP accepted it). "
            + "t_ack: the relay's message-log time for the acknowledgement's Message-ID (joined ack Message-ID → outbox.complaint_id → "
            + "complaints.thread_message_id = the complaint's Message-ID). Both from this machine's clock. Each complaint from its own sender, "
            + "each on a new SMTP connection, sent on schedule (not waiting for the previous one). The worker: default settings (IDLE, sweep every 30 s, "
            + "4 Hangfire workers), a fresh database and support mailbox per mode.");
        report.Line();
        report.Table(
            ["run", "messages", "p50 s", "p90 s", "p99 s", "max s", "no ack"],
            anchors.Concat(idle).Append(polling).Select(Row));
        report.Line("Where SlaWatch's time goes (complaints.detected_at − t0: the sweep that recorded it started; the rest is commit, Hangfire pick-up and the SMTP send):");
        report.Line();
        report.Table(
            ["run", "t0 → detected p50 s", "p99 s", "detected → ack p50 s", "p99 s", "durable commits per complaint (ingest + ack)", "other load on the machine (CPU-s/s)"],
            idle.Append(polling).Select(l =>
            {
                var rest = l.Seconds.Count == l.DetectSeconds.Count ? l.Seconds.Zip(l.DetectSeconds, (a, d) => a - d).ToList() : [];
                return (IReadOnlyList<string>)
                [
                    l.Name,
                    Report.F(Stats.Median(l.DetectSeconds), "0.000"),
                    Report.F(Stats.Percentile(l.DetectSeconds, 99), "0.000"),
                    Report.F(Stats.Median(rest), "0.000"),
                    Report.F(Stats.Percentile(rest, 99), "0.000"),
                    l.Commits is { } c ? Report.F((double)c / l.Sent, "0.0") : "?",
                    Report.F(l.OtherLoad, "0.00"),
                ];
            }));
        var floor = Stats.Median(anchors[0].Seconds.Concat(anchors[1].Seconds));
        var burst = idle[1];
        report.Table(
            ["summary", "value"],
            [
                ["goal: p99 ≤ 2 s with IDLE on loopback (steady)", $"p99 {Report.F(p99, "0.000")} s: {(p99 <= 2 && steady.Missing == 0 ? "met" : "NOT met")}"],
                ["SlaWatch IDLE p50 − IDLE floor p50 (below 0: mail that lands during a sweep is found by the next one, before IDLE's notice)", $"{Report.F((Stats.Median(steady.Seconds) - floor) * 1000)} ms"],
                ["burst: arrivals spread over (first → last relay 250)", $"{Report.F(burst.SendSpan, "0.00")} s"],
                ["burst: acknowledgements accepted per second (first → last ack)", $"{Report.F((burst.Seconds.Count - 1) / burst.AckSpan, "0")} /s over {Report.F(burst.AckSpan, "0.00")} s"],
                ["polling ÷ IDLE: p50 / p99", $"{Report.F(Stats.Median(polling.Seconds) / Stats.Median(steady.Seconds), "0.0")}× / {Report.F(Stats.Percentile(polling.Seconds, 99) / p99, "0.0")}×"],
                ["worker RSS after the steady run / after the burst (VmRSS, MiB)", $"{Report.Mib(idleRssSteady)} / {Report.Mib(idleRssAfterBurst)}"],
                ["worker peak RSS: IDLE run / polling run (VmHWM, MiB)", $"{Report.Mib(idleHwm)} / {Report.Mib(pollHwm)}"],
            ]);
    }
}
