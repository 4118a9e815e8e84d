using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

[Collection(ServersCollectionDefinition.Name)]
public sealed class AcknowledgementTests(ServersFixture servers, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Complaints => new()
    {
        { "en", "My order arrived broken", "Hello, the blender I ordered last week arrived with a cracked jug. I am really disappointed, this was a birthday present. What can you do?" },
        { "ru", "Списали деньги дважды", "Здравствуйте! С моей карты дважды списали оплату за один и тот же заказ. Прошу срочно вернуть лишнюю сумму, я очень недовольна." },
        { "nl", "Bestelling nog steeds niet geleverd", "Goedemiddag, ik heb twee weken geleden een bestelling geplaatst en die is nog steeds niet aangekomen. Kunt u mij laten weten waar mijn pakket blijft?" },
        { "tl", "Hindi pa dumarating ang order ko", "Magandang araw po. Dalawang linggo na po akong naghihintay sa order ko pero hanggang ngayon ay hindi pa rin dumarating. Paki-tulungan po ninyo ako." },
        { "zh", "订单一直没有发货", "您好，我上周下的订单到现在还没有发货，客服电话也一直打不通。请尽快告诉我什么时候能收到，谢谢。" },
        { "lt", "Užsakymas vis dar nepristatytas", "Laba diena, prieš dvi savaites užsisakiau prekę, bet ji vis dar nepristatyta. Prašau pasakyti, kada galėsiu ją gauti." },
    };

    [Theory]
    [MemberData(nameof(Complaints))]
    public async Task Complaint_InShippedLanguage_GetsOneThreadedApologyInThatLanguageWithReference(string language, string subject, string body)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("customer");
        var complaint = harness.Complaint(customer, subject, body, fromName: "Dana Customer");

        await harness.SendAsync(complaint);

        var acks = await harness.WaitForAcknowledgementsAsync(customer);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));
        var recorded = await harness.ScalarAsync<string>("SELECT language FROM complaints WHERE customer_address = @c", ("c", customer));
        var ack = Assert.Single(acks);
        Assert.Equal(language, recorded);
        Assert.Equal(language, ack.Message.Body!.Headers["Content-Language"]);
        Assert.NotNull(reference);
        Assert.Matches(@"^SW-\d{4}-\d{6}$", reference);
        Assert.Contains(reference, ack.Message.Subject, StringComparison.Ordinal);
        Assert.Contains(reference, ack.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains(subject, ack.Message.Subject, StringComparison.Ordinal);
        Assert.Equal(complaint.MessageId, ack.Message.InReplyTo);
        Assert.Contains(complaint.MessageId, ack.Message.References);
        Assert.Equal("All", ack.Header("X-Auto-Response-Suppress"));
        Assert.Equal(harness.Support, ack.Message.From.Mailboxes.Single().Address);
        Assert.StartsWith("ack.", ack.Message.MessageId, StringComparison.Ordinal);
        Assert.Equal("<bounces@example.test>", ack.Header("Return-Path"));
        Assert.DoesNotContain(body, ack.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledgement_Sent_KeepsCopyInSentFolderAndMarksMailWithKeywordNotSeen()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("ana");
        var complaint = harness.Complaint(customer, "Wrong size delivered", "I ordered a medium and got a small. Please help.");

        await harness.SendAsync(complaint);

        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        var copy = await harness.Mail.WaitForAsync(harness.Support, "Sent", m => m.Message.MessageId == ack.Message.MessageId);
        Assert.Single(copy);
        var original = await harness.Mail.WaitForAsync(harness.Support, "INBOX", m => m.Message.MessageId == complaint.MessageId && m.Keywords.Contains("$SlaWatchIngested"));
        Assert.False(original[0].Flags.HasFlag(MailKit.MessageFlags.Seen));
        Assert.False(original[0].Flags.HasFlag(MailKit.MessageFlags.Deleted));
    }

    [Fact]
    public async Task Complaint_ReceivedAt_IsTheServersArrivalTimeNotTheDateHeader()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("dated");
        var complaint = harness.Complaint(customer, "Charged twice", "You charged my card twice for one order.");
        complaint.Date = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var before = TimeProvider.System.GetUtcNow().AddSeconds(-2);

        await harness.SendAsync(complaint);

        await harness.WaitForAcknowledgementsAsync(customer);
        var receivedAt = await harness.ScalarAsync<DateTime>("SELECT received_at FROM complaints WHERE customer_address = @c", ("c", customer));
        var detectedAt = await harness.ScalarAsync<DateTime>("SELECT detected_at FROM complaints WHERE customer_address = @c", ("c", customer));
        Assert.True(receivedAt >= before.UtcDateTime, $"received_at {receivedAt:o} should be the arrival, not the Date header");
        Assert.True(detectedAt >= receivedAt.AddSeconds(-1), "detected_at follows arrival");
    }

    [Fact]
    public async Task SameMessage_DeliveredTwice_OneComplaintAndOneApology()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("twice");
        var complaint = harness.Complaint(customer, "Refund never arrived", "I returned the shoes a month ago and still have no refund.");

        await harness.SendAsync(complaint);
        await harness.SendAsync(complaint);

        await harness.WaitForCountAsync("processed inbound messages", "SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status IN ('Processed', 'Duplicate')", 2);
        await harness.WaitForAcknowledgementsAsync(customer);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE folder = 'INBOX' AND status = 'Duplicate'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'Sent'") == 1);
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task FollowUp_ReplyToAcknowledgement_ThreadsIntoComplaintWithoutNewApology()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("follow");
        await harness.SendAsync(harness.Complaint(customer, "Parcel damaged", "The box was crushed and the vase inside is broken."));
        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        var reply = harness.Complaint(customer, "Re: " + ack.Message.Subject, "Here is a photo of the damage. Still waiting.");
        reply.InReplyTo = ack.Message.MessageId;
        reply.References.Add(ack.Message.MessageId!);

        await harness.SendAsync(reply);

        await harness.WaitForCountAsync("follow-up events", "SELECT count(*) FROM complaint_events WHERE type = 'follow-up-received'", 1);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task FollowUp_ReferenceInSubjectFromSameCustomer_Threads_FromAnotherSender_OpensNewComplaint()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("subject");
        var stranger = EmailHarness.Customer("stranger");
        await harness.SendAsync(harness.Complaint(customer, "Late delivery", "My order is five days late."));
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints");

        await harness.SendAsync(harness.Complaint(customer, $"About {reference}", "Any news on this?"));
        await harness.SendAsync(harness.Complaint(stranger, $"About {reference}", "I have the same problem as this case."));

        await harness.WaitForAcknowledgementsAsync(stranger);
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'follow-up-received'"));
        Assert.Single(await harness.Mail.ListAsync(customer, "INBOX"));
    }

    [Fact]
    public async Task RateLimit_FourComplaintsFromOneSenderWithinAnHour_OnlyThreeApologies()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("busy");

        foreach (var subject in new[] { "Order 1 late", "Wrong invoice address", "App crashes at checkout", "Courier was rude" })
        {
            await harness.SendAsync(harness.Complaint(customer, subject, "Please look into this: " + subject));
        }

        await harness.WaitForCountAsync("complaints", "SELECT count(*) FROM complaints", 4);
        await harness.WaitForAcknowledgementsAsync(customer, 3);
        Assert.Equal(3L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'acknowledgement-suppressed'"));
    }

    [Fact]
    public async Task RepeatedSubject_SameSenderWithinADay_SecondGetsNoApology()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync();
        var customer = EmailHarness.Customer("repeat");

        await harness.SendAsync(harness.Complaint(customer, "Where is my refund?", "First time asking."));
        await harness.SendAsync(harness.Complaint(customer, "Where is my refund?", "Asking again, new thread."));

        await harness.WaitForCountAsync("complaints", "SELECT count(*) FROM complaints", 2);
        await harness.WaitForAcknowledgementsAsync(customer);
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task Acknowledgement_InboxWithCompressedWindow_StatesThatWindowInTheCustomersLanguage()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await harness.StartWorkerAsync(new Dictionary<string, string?> { ["SlaWatch__Inboxes__0__Sla__FirstResponse"] = "00:00:30" });
        var customer = EmailHarness.Customer("window");

        await harness.SendAsync(harness.Complaint(customer, "Package lost", "The tracking says delivered but nothing arrived at my door."));

        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        Assert.Contains("30 seconds", ack.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("1 hour", ack.Message.TextBody, StringComparison.Ordinal);
    }
}
