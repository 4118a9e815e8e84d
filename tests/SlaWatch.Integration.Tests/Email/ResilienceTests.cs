using MimeKit;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

/// <summary>Crashes, outages and bad input: nothing lost, nothing sent twice.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ResilienceTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> ShortLease = new()
    {
        ["SlaWatch__Delivery__SendLease"] = "00:00:02",
        ["SlaWatch__Delivery__RecoveryInterval"] = "00:00:01",
    };

    [Theory]
    [InlineData("AfterRawStored")]
    [InlineData("BeforeServerMark")]
    public async Task WorkerKilled_BetweenStoringAndMarking_LosesNothingAndAcknowledgesOnceAfterRestart(string crashPoint)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var crashing = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["SlaWatch__Diagnostics__CrashAt"] = crashPoint });
        var customer = EmailHarness.Customer("crash");
        var complaint = harness.Complaint(customer, "Order cancelled without notice", "Why was my order cancelled?");

        await harness.SendAsync(complaint);
        var exitCode = await crashing.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var unmarked = await harness.Mail.ListAsync(harness.Support, "INBOX");
        await harness.StartWorkerAsync();

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("$SlaWatchIngested", Assert.Single(unmarked).Keywords);
        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        await harness.Mail.WaitForAsync(harness.Support, "INBOX", m => m.Keywords.Contains("$SlaWatchIngested"));
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Sent");
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX'"));
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task WorkerKilled_AfterClaimingBeforeSmtp_SendsOnceAfterRestart()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var crashing = await harness.StartWorkerAsync(new Dictionary<string, string?>(ShortLease) { ["SlaWatch__Diagnostics__CrashAt"] = "BeforeSmtpSend" });
        var customer = EmailHarness.Customer("claimed");

        await harness.SendAsync(harness.Complaint(customer, "Wrong colour", "I ordered blue, got green."));
        await crashing.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var statusAfterCrash = await harness.ScalarAsync<string>("SELECT status FROM outbox");
        await harness.StartWorkerAsync(ShortLease);

        Assert.Equal("Sending", statusAfterCrash);
        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Sent");
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task WorkerKilled_AfterRelayAcceptedBeforeRecording_CustomerHoldsOneAcknowledgement()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var crashing = await harness.StartWorkerAsync(new Dictionary<string, string?>(ShortLease) { ["SlaWatch__Diagnostics__CrashAt"] = "AfterSentCopy" });
        var customer = EmailHarness.Customer("window");

        await harness.SendAsync(harness.Complaint(customer, "Missing item", "One item was missing from the box."));
        await crashing.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var delivered = await harness.WaitForAcknowledgementsAsync(customer);
        await harness.StartWorkerAsync(ShortLease);

        Assert.Single(delivered);
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Sent");
        Assert.Contains("Sent folder", await harness.ScalarAsync<string>("SELECT server_response FROM outbox"), StringComparison.Ordinal);
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task OldMail_AtFirstConnection_StartsNothing()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        for (var i = 0; i < 3; i++)
        {
            var old = harness.Complaint(EmailHarness.Customer("old"), $"Old complaint {i}", "From last week.");
            old.Headers.Add("Return-Path", "<old@customer.test>");
            await harness.Mail.AppendAsync(harness.Support, "INBOX", old, TimeProvider.System.GetUtcNow().AddDays(-2));
        }

        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("new");
        await harness.SendAsync(harness.Complaint(customer, "New complaint", "This one is new."));

        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX'"));
        await harness.WaitUntilAsync("the skipped mail is counted", async () => await harness.ScalarAsync<long>("SELECT skipped_old FROM imap_folder_states WHERE folder = 'INBOX'") == 3);
    }

    [Fact]
    public async Task OldMail_BacklogLongerThanOneSweep_StartsNothingInLaterSweepsEither()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        const int backlog = 14;
        for (var i = 0; i < backlog; i++)
        {
            var old = harness.Complaint(EmailHarness.Customer("backlog"), $"Old complaint {i}", "From last week.");
            old.Headers.Add("Return-Path", "<backlog@customer.test>");
            await harness.Mail.AppendAsync(harness.Support, "INBOX", old, TimeProvider.System.GetUtcNow().AddDays(-2));
        }

        // Batches of one: a sweep handles at most ten, so the backlog takes two sweeps.
        await harness.StartWorkerAsync(new Dictionary<string, string?> { ["SlaWatch__Ingestion__BatchSize"] = "1" });
        await harness.WaitUntilAsync("the whole backlog is passed over", async () => await harness.ScalarAsync<long>("SELECT skipped_old FROM imap_folder_states WHERE folder = 'INBOX'") == backlog);
        var customer = EmailHarness.Customer("after-backlog");
        await harness.SendAsync(harness.Complaint(customer, "New complaint", "This one is new."));

        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
    }

    [Fact]
    public async Task PostgresStopped_WhileMailArrives_MailStaysOnServerAndIsRecordedAfterRecovery()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var worker = await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("outage");
        var complaint = harness.Complaint(customer, "Site down during checkout", "I could not pay.");

        await servers.StopPostgresAsync();
        try
        {
            await harness.SendAsync(complaint);
            await worker.WaitForLogAsync("The mail stays on the server", TimeSpan.FromSeconds(30));
            var duringOutage = await harness.Mail.ListAsync(harness.Support, "INBOX");
            Assert.DoesNotContain("$SlaWatchIngested", Assert.Single(duringOutage).Keywords);
        }
        finally
        {
            await servers.StartPostgresAsync();
        }

        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer, timeout: TimeSpan.FromSeconds(90)));
        await harness.Mail.WaitForAsync(harness.Support, "INBOX", m => m.Keywords.Contains("$SlaWatchIngested"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
    }

    [Fact]
    public async Task ImapServerRestarted_WorkerReconnectsAndGoesOn()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var worker = await harness.StartWorkerAsync();
        var first = EmailHarness.Customer("before");
        await harness.SendAsync(harness.Complaint(first, "Before the restart", "First."));
        await harness.WaitForAcknowledgementsAsync(first);

        await servers.RestartDovecotAsync();
        var second = EmailHarness.Customer("after");
        await harness.SendAsync(harness.Complaint(second, "After the restart", "Second."));

        Assert.Single(await harness.WaitForAcknowledgementsAsync(second, timeout: TimeSpan.FromSeconds(60)));
        Assert.False(worker.HasExited);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
    }

    [Fact]
    public async Task MalformedMail_RawEightBitHeadersBrokenMimeAndHugeAttachment_RecordedWithoutCrashing()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { ["SlaWatch__Ingestion__MaxStoredMessageBytes"] = "262144" });
        string[] samples =
        [
            "raw8bit-koi8r.eml", "raw8bit-gb2312.eml", "raw8bit-windows1257.eml", "no-message-id.eml", "broken-bad-boundary.eml",
            "broken-garbage-headers.eml", "broken-leading-line.eml", "broken-mbox-from-line.eml", "nul-bytes.eml", "broken-unparseable.eml",
        ];
        foreach (var sample in samples)
        {
            var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", "Mail", sample));
            await harness.Mail.SendAsync(raw, EmailHarness.Customer("sample"), [harness.Support]);
        }

        var huge = harness.Complaint(EmailHarness.Customer("huge"), "Photos of the damage", "See the attached photos.");
        var body = new Multipart("mixed") { huge.Body!, new MimePart("image", "jpeg") { FileName = "damage.jpg", Content = new MimeContent(new MemoryStream(new byte[3 * 1024 * 1024])), ContentTransferEncoding = ContentEncoding.Base64 } };
        huge.Body = body;
        await harness.SendAsync(huge);
        var control = EmailHarness.Customer("control");
        await harness.SendAsync(harness.Complaint(control, "Still here?", "Control complaint after the malformed ones."));

        await harness.WaitForAcknowledgementsAsync(control);
        Assert.False(worker.HasExited);
        Assert.Equal(samples.Length + 2L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status IN ('Processed', 'Quarantined')"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status = 'Quarantined'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND truncated"));
        var subjects = (await harness.RowsAsync("SELECT subject FROM complaints")).Select(r => (string?)r["subject"]).ToList();
        Assert.Contains("Жалоба на доставку заказа", subjects);
        Assert.Contains("投诉：订单未送达", subjects);
        Assert.Contains("Skundas dėl vėluojančio užsakymo", subjects);
        Assert.Contains("Photos of the damage", subjects);
        await harness.Mail.WaitForAsync(harness.Support, "INBOX", m => m.Keywords.Contains("$SlaWatchQuarantined"));
    }

    [Fact]
    public async Task Acknowledgement_RelayUnreachableBeyondMaxAckAge_IsDroppedNotSentLate()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["SlaWatch__Smtp__Port"] = WorkerEnvironment.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SlaWatch__Messages__MaxAckAge"] = "00:00:05",
        });
        var customer = EmailHarness.Customer("late");

        await harness.SendAsync(harness.Complaint(customer, "Nobody answers", "Is anyone there?"));

        await harness.WaitUntilAsync("the acknowledgement is dropped", async () => await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Dropped", TimeSpan.FromSeconds(40));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'acknowledgement-dropped'"));
        Assert.Empty(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task TwoWorkers_OneMailbox_EachComplaintAcknowledgedOnce()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        await harness.StartWorkerAsync(waitForInbox: false);
        var customers = Enumerable.Range(0, 5).Select(i => EmailHarness.Customer($"pair{i}")).ToList();

        foreach (var customer in customers)
        {
            await harness.SendAsync(harness.Complaint(customer, "Delivery problem", "My parcel went to the wrong address."));
        }

        foreach (var customer in customers)
        {
            await harness.WaitForAcknowledgementsAsync(customer);
        }

        await harness.WaitForCountAsync("sent acknowledgements", "SELECT count(*) FROM outbox WHERE status = 'Sent'", customers.Count);
        Assert.Equal(5L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        foreach (var customer in customers)
        {
            Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
        }
    }

    [Fact]
    public async Task TwoWorkers_InboxOwnerKilled_OtherTakesOverWithinSeconds()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var owner = await harness.StartWorkerAsync();
        var standby = await harness.StartWorkerAsync(waitForInbox: false);
        await standby.WaitForLogAsync("Application started", TimeSpan.FromSeconds(60));

        owner.Kill();
        var customer = EmailHarness.Customer("takeover");
        await harness.SendAsync(harness.Complaint(customer, "Card declined twice", "My card was declined but money was taken."));

        Assert.Single(await harness.WaitForAcknowledgementsAsync(customer, timeout: TimeSpan.FromSeconds(20)));
        await standby.WaitForLogAsync("watching folder", TimeSpan.FromSeconds(1));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
    }

    [Fact]
    public async Task UidValidityChanged_AlreadyRecordedMailIsNotRecordedOrAnsweredAgain()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        var first = await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("resync");
        await harness.SendAsync(harness.Complaint(customer, "Invoice is wrong", "The invoice shows the wrong amount."));
        await harness.WaitForAcknowledgementsAsync(customer);
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<string>("SELECT status FROM outbox") == "Sent");
        await first.StopAsync();
        var before = await harness.ScalarAsync<long>("SELECT uid_validity FROM imap_folder_states WHERE folder = 'INBOX'");

        var update = new System.Diagnostics.ProcessStartInfo("doveadm") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", servers.DovecotConfig, "mailbox", "update", "--uid-validity", (before + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", harness.Support, "INBOX" })
        {
            update.ArgumentList.Add(argument);
        }

        using (var doveadm = System.Diagnostics.Process.Start(update)!)
        {
            var error = await doveadm.StandardError.ReadToEndAsync();
            await doveadm.WaitForExitAsync();
            Assert.True(doveadm.ExitCode == 0, error);
        }

        await harness.StartWorkerAsync();
        var control = EmailHarness.Customer("after-resync");
        await harness.SendAsync(harness.Complaint(control, "Second complaint", "After the resync."));

        await harness.WaitForAcknowledgementsAsync(control);
        Assert.Equal(before + 1000, await harness.ScalarAsync<long>("SELECT uid_validity FROM imap_folder_states WHERE folder = 'INBOX'"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }
}
