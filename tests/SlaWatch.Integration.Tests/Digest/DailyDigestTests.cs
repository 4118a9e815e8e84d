using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Digest;

/// <summary>
/// Issue 4, item 5: the daily digest's figures match a seeded set of complaints, in the supervisor's mailbox and in the
/// webhook's JSON, and two workers firing the same cron send it once.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed partial class DailyDigestTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Digest_SeededDay_FiguresInMailAndWebhookMatch_SentOnceByTwoWorkers()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        using var webhook = new WebhookReceiver();
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var now = TimeProvider.System.GetUtcNow();
        // A zone in which it is about noon now: "yesterday" cannot change while the test runs.
        var offset = 12 - now.UtcDateTime.Hour;
        var zone = offset == 0 ? "Etc/UTC" : $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}";
        var localToday = DateOnly.FromDateTime(now.UtcDateTime.AddHours(offset));
        var day = localToday.AddDays(-1);
        var y = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(offset)).ToUniversalTime();
        var env = harness.Environment;
        env["SlaWatch__Escalation__Levels__0__Name"] = "supervisor";
        env["SlaWatch__Escalation__Levels__0__Trigger"] = "Breached";
        env["SlaWatch__Escalation__Levels__0__Notify__0"] = supervisor;
        env["SlaWatch__Digest__Cron"] = "*/3 * * * * ?";
        env["SlaWatch__Digest__TimeZone"] = zone;
        env["SlaWatch__Digest__Webhooks__0"] = webhook.Url;

        // The schema first, then the seed, then the workers: no firing sees an empty day.
        var migrate = await harness.StartWorkerAsync(waitForInbox: false, arguments: ["migrate"]);
        Assert.Equal(0, await migrate.WaitForExitAsync(Wait));
        await SeedAsync(harness.ConnectionString, y, now);

        var first = await harness.StartWorkerAsync(waitForInbox: false);
        var second = await harness.StartWorkerAsync(waitForInbox: false);
        var mail = Assert.Single(await harness.Mail.WaitForAsync(supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains("Daily digest", StringComparison.Ordinal), 1, Wait));
        var post = await webhook.WaitForAsync(1, Wait);

        // Mail: plain text, automatic, the day's figures per inbox.
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains(dayText, mail.Message.Subject, StringComparison.Ordinal);
        Assert.Equal("auto-generated", mail.Header("Auto-Submitted"));
        var text = mail.Message.TextBody ?? string.Empty;
        output.WriteLine(text);
        var support = Section(text, "Inbox support");
        Assert.Contains("Complaints received: 6", support, StringComparison.Ordinal);
        Assert.Contains("Answered within the first-response window: 4 of 6 (66.7 %)", support, StringComparison.Ordinal);
        Assert.Contains("First-response breaches: 2 (1 answered late, 1 not answered yet)", support, StringComparison.Ordinal);
        Assert.Contains("Promises kept: 1", support, StringComparison.Ordinal);
        Assert.Contains("Promises missed: 1", support, StringComparison.Ordinal);
        Assert.Equal(["SW-2000-000007", "SW-2000-000002", "SW-2000-000003", "SW-2000-000004", "SW-2000-000006"], References(support));
        var billing = Section(text, "Inbox billing");
        Assert.Contains("Complaints received: 1", billing, StringComparison.Ordinal);
        Assert.Contains("Answered within the first-response window: 1 of 1 (100 %)", billing, StringComparison.Ordinal);
        var totals = Section(text, "All inboxes");
        Assert.Contains("Complaints received: 7", totals, StringComparison.Ordinal);
        Assert.Contains("Answered within the first-response window: 5 of 7 (71.4 %)", totals, StringComparison.Ordinal);

        // Webhook: the same figures as JSON, signed.
        var json = JsonDocument.Parse(post.Body).RootElement;
        Assert.Equal("digest", json.GetProperty("kind").GetString());
        Assert.Equal(dayText, json.GetProperty("day").GetString());
        Assert.Equal(zone, json.GetProperty("timeZone").GetString());
        var supportJson = json.GetProperty("inboxes").EnumerateArray().Single(i => i.GetProperty("inbox").GetString() == "support");
        Assert.Equal(6, supportJson.GetProperty("received").GetInt32());
        Assert.Equal(4, supportJson.GetProperty("answeredInTime").GetInt32());
        Assert.Equal(1, supportJson.GetProperty("answeredLate").GetInt32());
        Assert.Equal(1, supportJson.GetProperty("unanswered").GetInt32());
        Assert.Equal(2, supportJson.GetProperty("firstResponseBreaches").GetInt32());
        Assert.Equal(4.0 / 6, supportJson.GetProperty("answeredInTimeShare").GetDouble(), 6);
        Assert.Equal(1, supportJson.GetProperty("promisesKept").GetInt32());
        Assert.Equal(1, supportJson.GetProperty("promisesMissed").GetInt32());
        Assert.Equal(
            ["SW-2000-000007", "SW-2000-000002", "SW-2000-000003", "SW-2000-000004", "SW-2000-000006"],
            supportJson.GetProperty("oldestOpen").EnumerateArray().Select(o => o.GetProperty("reference").GetString()));
        Assert.Equal(7, json.GetProperty("totals").GetProperty("received").GetInt32());
        var timestamp = post.Headers["X-SlaWatch-Timestamp"]!;
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(env["SlaWatch__SigningKey"]!), Encoding.UTF8.GetBytes($"{timestamp}.{post.Body}")));
        Assert.Equal(expected, post.Headers["X-SlaWatch-Signature"]);

        // Once: both workers fire again after it went out, and nothing more arrives.
        var marks = (first.Lines.Count, second.Lines.Count);
        await harness.WaitUntilAsync("both workers fired the digest again", () => Task.FromResult(
            first.Lines.Skip(marks.Item1).Any(l => l.Contains($"Daily digest for {dayText}: already sent", StringComparison.Ordinal))
            && second.Lines.Skip(marks.Item2).Any(l => l.Contains($"Daily digest for {dayText}: already sent", StringComparison.Ordinal))), Wait);
        await harness.WaitUntilAsync("no digest row is still being sent", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'digest' AND status <> 'Sent'") == 0, Wait);
        Assert.Single(await harness.Mail.ListAsync(supervisor, "INBOX"));
        Assert.Single(webhook.Received);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'digest'"));
    }

    [Fact]
    public async Task FiringMissedWhileNoWorkerRan_MadeUpOnceAtStart_ForItsOwnDay()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var (cron, day) = MissedAnHourAgo();
        ConfigureDigest(harness, supervisor, cron);
        var migrate = await harness.StartWorkerAsync(waitForInbox: false, arguments: ["migrate"]);
        Assert.Equal(0, await migrate.WaitForExitAsync(Wait));
        // The digest ran before the outage: the one of three days ago went out.
        await harness.ScalarAsync<object>(
            """
            INSERT INTO outbox (kind, dedupe_key, inbox, channel, from_address, recipient, subject, body, language, message_id, auto_submitted, status, attempts, created_at)
            VALUES ('digest', @key, 'support', 'Email', @from, @to, 'Daily digest', 'figures', 'en', @mid, 'auto-generated', 'Sent', 1, now() - interval '2 days')
            """,
            ("key", $"digest:{day.AddDays(-2):yyyy-MM-dd}:{supervisor}"), ("from", harness.Support), ("to", supervisor), ("mid", $"digest.old.{Guid.NewGuid():N}@example.test"));

        var first = await harness.StartWorkerAsync(waitForInbox: false);
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var mail = Assert.Single(await harness.Mail.WaitForAsync(supervisor, "INBOX", m => (m.Message.Subject ?? string.Empty).Contains("Daily digest", StringComparison.Ordinal), 1, Wait));
        Assert.Contains(dayText, mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains(first.Lines, l => l.Contains("went by while no worker ran; made up now", StringComparison.Ordinal));

        // A second start makes up nothing more: the day's digest is already out.
        var second = await harness.StartWorkerAsync(waitForInbox: false);
        await harness.WaitUntilAsync("the second worker checked the missed firing", () => Task.FromResult(
            second.Lines.Any(l => l.Contains($"Daily digest for {dayText}: already sent", StringComparison.Ordinal))), Wait);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'digest' AND dedupe_key = @k", ("k", $"digest:{dayText}:{supervisor}")));
        Assert.Single(await harness.Mail.ListAsync(supervisor, "INBOX"));
    }

    [Fact]
    public async Task FirstStart_NoDigestEverSent_MissedFiringNotMadeUp()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var supervisor = ServersFixture.UniqueAddress("supervisor");
        var (cron, _) = MissedAnHourAgo();
        ConfigureDigest(harness, supervisor, cron);

        var worker = await harness.StartWorkerAsync(waitForInbox: false);
        await harness.WaitUntilAsync("the worker looked at the missed firing", () => Task.FromResult(
            worker.Lines.Any(l => l.Contains("none was ever sent, so the firing due at", StringComparison.Ordinal))), Wait);

        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'digest'"));
    }

    /// <summary>A daily cron (UTC) that was due an hour ago, and the day its digest reports: the day before that firing.</summary>
    private static (string Cron, DateOnly Day) MissedAnHourAgo()
    {
        var firing = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-1);
        var cron = string.Create(CultureInfo.InvariantCulture, $"0 {firing.Minute} {firing.Hour} * * ?");
        return (cron, DateOnly.FromDateTime(firing).AddDays(-1));
    }

    private static void ConfigureDigest(EmailHarness harness, string supervisor, string cron)
    {
        var env = harness.Environment;
        env["SlaWatch__Escalation__Levels__0__Name"] = "supervisor";
        env["SlaWatch__Escalation__Levels__0__Trigger"] = "Breached";
        env["SlaWatch__Escalation__Levels__0__Notify__0"] = supervisor;
        env["SlaWatch__Digest__Cron"] = cron;
        env["SlaWatch__Digest__TimeZone"] = "Etc/UTC";
    }

    /// <summary>
    /// Yesterday (from <paramref name="y"/>, local midnight): in "support" four answered in time (one resolved, one with a
    /// promise kept), one late, one never answered, one promise missed; in "billing" one answered in time. Also an old open
    /// complaint, one received today, and a promise kept the day before (none of which count as the day's).
    /// </summary>
    private static async Task SeedAsync(string db, DateTimeOffset y, DateTimeOffset now)
    {
        static SeedComplaint Answered(string reference, DateTimeOffset at, int minutes, string inbox = "support") =>
            new(reference, at, at.AddHours(1), RespondedAt: at.AddMinutes(minutes), Inbox: inbox);

        await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000001", y.AddHours(9), 20) with { ResolvedAt = y.AddHours(15) });
        await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000002", y.AddHours(10), 50));
        await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000003", y.AddHours(11), 90));
        await ComplaintSeed.InsertAsync(db, new SeedComplaint("SW-2000-000004", y.AddHours(12), y.AddHours(13)));
        var kept = await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000005", y.AddHours(13), 10) with { PromisedAt = y.AddHours(13.5), PromiseDueAt = y.AddHours(20), ResolvedAt = y.AddHours(18) });
        await ComplaintSeed.EventAsync(db, kept, y.AddHours(18), "promise-kept", "alice");
        var missed = await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000006", y.AddHours(14), 5) with { PromisedAt = y.AddHours(14.5), PromiseDueAt = y.AddHours(16) });
        await ComplaintSeed.EventAsync(db, missed, y.AddHours(16), "promise-missed");
        var old = await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000007", y.AddDays(-3), 5));
        await ComplaintSeed.EventAsync(db, old, y.AddHours(-2), "promise-kept", "alice");
        await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000008", now.AddMinutes(-30), 5));
        await ComplaintSeed.InsertAsync(db, Answered("SW-2000-000009", y.AddHours(9), 5, inbox: "billing"));
    }

    private static string Section(string text, string title)
    {
        var start = text.IndexOf($"== {title} ==", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section '{title}' in:\n{text}");
        var end = text.IndexOf("\n== ", start + 4, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static List<string> References(string section) => [.. Reference().Matches(section).Select(m => m.Value)];

    [GeneratedRegex(@"SW-\d{4}-\d{6}")]
    private static partial Regex Reference();

    /// <summary>A tiny HTTP endpoint on loopback that records every POST and answers 200.</summary>
    private sealed class WebhookReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(WebHeaderCollection Headers, string Body)> _received = new();
        private readonly Task _loop;

        public WebhookReceiver()
        {
            var port = WorkerEnvironment.FreeTcpPort();
            Url = $"http://127.0.0.1:{port}/digest/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public IReadOnlyList<(WebHeaderCollection Headers, string Body)> Received => [.. _received];

        public async Task<(WebHeaderCollection Headers, string Body)> WaitForAsync(int count, TimeSpan timeout)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            while (_received.Count < count)
            {
                if (stopwatch.Elapsed > timeout)
                {
                    throw new TimeoutException($"No webhook post within {timeout.TotalSeconds:0} s.");
                }

                await Task.Delay(100);
            }

            return Received[count - 1];
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    var headers = new WebHeaderCollection { context.Request.Headers };
                    _received.Enqueue((headers, await reader.ReadToEndAsync()));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
