using SlaWatch.Domain.Mail;

namespace SlaWatch.Domain.Tests.Mail;

public sealed class MachineMailClassifierTests
{
    private static readonly OwnIdentity Us = new(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "support@support.example.test", "bounces@support.example.test" },
        "support.example.test");

    /// <summary>A plain complaint from a person, as a delivering MTA leaves it.</summary>
    private static InboundMailFacts Human(params (string Name, string Value)[] extraHeaders)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["from"] = ["Anna Berg <anna.berg@customer.example>"],
            ["to"] = ["support@support.example.test"],
            ["subject"] = ["My order arrived broken"],
            ["return-path"] = ["<anna.berg@customer.example>"],
        };
        foreach (var group in extraHeaders.GroupBy(h => h.Name.ToLowerInvariant()))
        {
            headers[group.Key] = group.Select(h => h.Value).ToList();
        }

        return new InboundMailFacts
        {
            From = "anna.berg@customer.example",
            FromAddresses = ["anna.berg@customer.example"],
            FromName = "Anna Berg",
            ReturnPath = "anna.berg@customer.example",
            To = ["support@support.example.test"],
            Subject = "My order arrived broken",
            MessageId = "CAF1234567@mail.customer.example",
            Headers = headers,
            ContentType = "text/plain",
            BodyText = "The parcel came today and the lamp is broken. Please help.",
        };
    }

    private static MailVerdict Classify(InboundMailFacts facts) => MachineMailClassifier.Classify(facts, Us);

    [Fact]
    public void Classify_NormalHumanComplaint_IsHumanAndMayBeAcknowledged()
    {
        var verdict = Classify(Human());

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.True(verdict.MayAcknowledge);
        Assert.True(verdict.IsHuman);
        Assert.Empty(verdict.Reasons);
    }

    [Fact]
    public void Classify_AutoSubmittedNo_IsHuman()
    {
        // osTicket #6380 pitfall: "no" is explicitly human.
        var verdict = Classify(Human(("Auto-Submitted", "No")));

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.True(verdict.MayAcknowledge);
    }

    [Theory]
    [InlineData("auto-replied", "auto-submitted:auto-replied")]
    [InlineData("Auto-Generated", "auto-submitted:auto-generated")]
    [InlineData("auto-replied; owner-email=\"boss@customer.example\"", "auto-submitted:auto-replied")]
    [InlineData("auto-notified (sieve)", "auto-submitted:auto-notified")]
    public void Classify_AutoSubmittedOtherThanNo_IsAutoReply(string value, string reason)
    {
        var verdict = Classify(Human(("Auto-Submitted", value)));

        Assert.Equal(MailKind.AutoReply, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Fact]
    public void Classify_ReturnPathMissing_StaysHumanButMayNotBeAcknowledged()
    {
        var verdict = Classify(Human() with { ReturnPath = null });

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("return-path:missing", verdict.Reasons);
    }

    [Fact]
    public void Classify_NullReturnPath_StaysHumanButMayNotBeAcknowledged()
    {
        var verdict = Classify(Human() with { ReturnPath = string.Empty });

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("return-path:null", verdict.Reasons);
    }

    [Fact]
    public void Classify_MultipartReportDeliveryStatus_IsBounce()
    {
        var facts = Human() with
        {
            From = "mailer-daemon@mx.customer.example",
            FromAddresses = ["mailer-daemon@mx.customer.example"],
            ReturnPath = string.Empty,
            ContentType = "multipart/report",
            ReportType = "delivery-status",
            HasReportPart = true,
            Subject = "Undelivered Mail Returned to Sender",
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.Bounce, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("report:delivery-status", verdict.Reasons);
    }

    [Theory]
    [InlineData("disposition-notification")]
    [InlineData("feedback-report")]
    public void Classify_MultipartReportOtherType_IsReport(string reportType)
    {
        var facts = Human() with { ContentType = "multipart/report", ReportType = reportType, HasReportPart = true };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.Report, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("report:" + reportType, verdict.Reasons);
    }

    [Fact]
    public void Classify_XFailedRecipients_IsBounce()
    {
        var verdict = Classify(Human(("X-Failed-Recipients", "someone@customer.example")));

        Assert.Equal(MailKind.Bounce, verdict.Kind);
        Assert.Contains("bounce:x-failed-recipients", verdict.Reasons);
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.customer.example")]
    [InlineData("postmaster@customer.example")]
    public void Classify_FromMailerDaemonOrPostmaster_IsBounce(string from)
    {
        var verdict = Classify(Human() with { From = from.ToLowerInvariant(), FromAddresses = [from.ToLowerInvariant()] });

        Assert.Equal(MailKind.Bounce, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
    }

    [Theory]
    [InlineData("Undeliverable: Your complaint SW-2026-000001")]
    [InlineData("Delivery Status Notification (Failure)")]
    [InlineData("Mail delivery failed: returning message to sender")]
    [InlineData("Unzustellbar: Ihre Anfrage")]
    [InlineData("Не доставлено: Жалоба")]
    public void Classify_BounceSubject_IsBounce(string subject)
    {
        var verdict = Classify(Human() with { Subject = subject });

        Assert.Equal(MailKind.Bounce, verdict.Kind);
        Assert.Contains("bounce:subject", verdict.Reasons);
    }

    [Fact]
    public void Classify_HumanSubjectAboutFailedDelivery_IsHuman()
    {
        var verdict = Classify(Human() with { Subject = "My delivery failed again, third time this month" });

        Assert.Equal(MailKind.Human, verdict.Kind);
    }

    [Theory]
    [InlineData("List-Id", "<offers.lists.shop.example>", "list:list-id")]
    [InlineData("List-Unsubscribe", "<mailto:unsubscribe@shop.example>", "list:list-unsubscribe")]
    [InlineData("List-Post", "<mailto:talk@lists.example>", "list:list-post")]
    [InlineData("X-Mailing-List", "talk@lists.example", "list:x-mailing-list")]
    [InlineData("X-BeenThere", "talk@lists.example", "list:x-beenthere")]
    public void Classify_ListHeader_IsBulk(string name, string value, string reason)
    {
        var verdict = Classify(Human((name, value)));

        Assert.Equal(MailKind.Bulk, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Theory]
    [InlineData("Precedence", "bulk")]
    [InlineData("Precedence", "List")]
    [InlineData("Precedence", "junk")]
    [InlineData("X-Precedence", "bulk")]
    public void Classify_PrecedenceBulkListJunk_IsBulk(string name, string value)
    {
        var verdict = Classify(Human((name, value)));

        Assert.Equal(MailKind.Bulk, verdict.Kind);
        Assert.Contains("precedence:" + value.ToLowerInvariant(), verdict.Reasons);
    }

    [Fact]
    public void Classify_PrecedenceAutoReply_IsAutoReply()
    {
        var verdict = Classify(Human(("Precedence", "auto_reply")));

        Assert.Equal(MailKind.AutoReply, verdict.Kind);
        Assert.Contains("precedence:auto_reply", verdict.Reasons);
    }

    [Theory]
    [InlineData("All")]
    [InlineData("DR, RN, NRN, OOF, AutoReply")]
    [InlineData("oof")]
    public void Classify_AutoResponseSuppress_StaysHumanButMayNotBeAcknowledged(string value)
    {
        var verdict = Classify(Human(("X-Auto-Response-Suppress", value)));

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(verdict.Reasons, r => r.StartsWith("auto-response-suppress:", StringComparison.Ordinal));
    }

    [Fact]
    public void Classify_AutoResponseSuppressReadReceiptsOnly_MayBeAcknowledged()
    {
        var verdict = Classify(Human(("X-Auto-Response-Suppress", "RN, NRN")));

        Assert.True(verdict.MayAcknowledge);
    }

    [Theory]
    [InlineData("X-Autoreply", "yes", "x-autoreply")]
    [InlineData("X-Autorespond", "Auto response", "x-autorespond")]
    [InlineData("X-Autoresponder", "true", "x-autoresponder")]
    [InlineData("X-AutoReply-From", "anna.berg@customer.example", "x-autoreply-from")]
    [InlineData("X-Mail-Autoreply", "yes", "x-mail-autoreply")]
    [InlineData("X-Autogenerated", "Reply", "x-autogenerated:reply")]
    public void Classify_AutoresponderHeader_IsAutoReply(string name, string value, string reason)
    {
        var verdict = Classify(Human((name, value)));

        Assert.Equal(MailKind.AutoReply, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Theory]
    [InlineData("support@support.example.test", "x-loop:ours")]
    [InlineData("<SUPPORT@support.example.test>", "x-loop:ours")]
    [InlineData("yes", "x-loop:yes")]
    public void Classify_XLoopOursOrYes_IsOwnMail(string value, string reason)
    {
        var verdict = Classify(Human(("X-Loop", value)));

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Fact]
    public void Classify_XLoopSomeoneElse_IsHuman()
    {
        var verdict = Classify(Human(("X-Loop", "helpdesk@elsewhere.example")));

        Assert.Equal(MailKind.Human, verdict.Kind);
    }

    [Fact]
    public void Classify_FromOurAddress_IsOwnMail()
    {
        var verdict = Classify(Human() with { From = "support@support.example.test", FromAddresses = ["support@support.example.test"] });

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("from:ours", verdict.Reasons);
    }

    [Fact]
    public void Classify_SenderOurs_IsOwnMail()
    {
        var verdict = Classify(Human() with { Sender = "bounces@support.example.test" });

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.Contains("sender:ours", verdict.Reasons);
    }

    [Fact]
    public void Classify_ReturnPathOurs_IsOwnMail()
    {
        var verdict = Classify(Human() with { ReturnPath = "bounces@support.example.test" });

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.Contains("return-path:ours", verdict.Reasons);
    }

    [Fact]
    public void Classify_MessageIdInOurDomain_IsOwnMail()
    {
        var verdict = Classify(Human() with { MessageId = "ack.42.0123456789abcdef@Support.Example.Test" });

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.Contains("message-id:ours", verdict.Reasons);
    }

    [Fact]
    public void Classify_OurSenderReplyingToOurMessage_ReportsInReplyToOurs()
    {
        var facts = Human() with
        {
            From = "support@support.example.test",
            FromAddresses = ["support@support.example.test"],
            InReplyTo = "ack.42.0123456789abcdef@support.example.test",
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
        Assert.Contains("in-reply-to:ours", verdict.Reasons);
    }

    [Fact]
    public void Classify_CustomerReplyingToOurAcknowledgement_IsHuman()
    {
        // A person answering our acknowledgement is a follow-up (threading is ingestion's job), not our own mail.
        var facts = Human() with
        {
            InReplyTo = "ack.42.0123456789abcdef@support.example.test",
            References = ["CAF1234567@mail.customer.example", "ack.42.0123456789abcdef@support.example.test"],
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.Human, verdict.Kind);
    }

    [Theory]
    [InlineData("noreply@shop.example", "role:noreply")]
    [InlineData("no-reply@accounts.example", "role:no-reply")]
    [InlineData("noreply-orders@shop.example", "role:noreply")]
    [InlineData("do-not-reply@bank.example", "role:do-not-reply")]
    [InlineData("donotreply@bank.example", "role:do-not-reply")]
    [InlineData("abuse@isp.example", "role:abuse")]
    [InlineData("root@host.example", "role:root")]
    [InlineData("owner-talk@lists.example", "role:owner-")]
    [InlineData("talk-request@lists.example", "role:-request")]
    [InlineData("listserv@lists.example", "role:listserv")]
    [InlineData("majordomo@lists.example", "role:majordomo")]
    [InlineData("bounces+123@mailer.example", "role:bounce")]
    public void Classify_RoleSender_IsRoleSender(string from, string reason)
    {
        var verdict = Classify(Human() with { From = from, FromAddresses = [from] });

        Assert.Equal(MailKind.RoleSender, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Theory]
    [InlineData("X-Spam-Flag", "YES", "spam:x-spam-flag")]
    [InlineData("X-Spam-Status", "Yes, score=9.1 required=5.0 tests=BAYES_99", "spam:x-spam-status")]
    public void Classify_SpamVerdict_IsSpam(string name, string value, string reason)
    {
        var verdict = Classify(Human((name, value)));

        Assert.Equal(MailKind.Spam, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains(reason, verdict.Reasons);
    }

    [Fact]
    public void Classify_SpamStatusNo_IsHuman()
    {
        var verdict = Classify(Human(("X-Spam-Flag", "NO"), ("X-Spam-Status", "No, score=0.1 required=5.0")));

        Assert.Equal(MailKind.Human, verdict.Kind);
    }

    [Theory]
    [InlineData("invoice.exe")]
    [InlineData("invoice.pdf.scr")]
    [InlineData("RUN.BAT")]
    [InlineData("setup.msi")]
    [InlineData("photo.jpg.js")]
    [InlineData("macro.vbs")]
    [InlineData("tool.jar")]
    [InlineData("invoice.exe. ")]
    public void Classify_ExecutableAttachment_IsSpam(string name)
    {
        var verdict = Classify(Human() with { AttachmentNames = ["photo-of-damage.jpg", name] });

        Assert.Equal(MailKind.Spam, verdict.Kind);
        Assert.Contains("attachment:executable", verdict.Reasons);
    }

    [Fact]
    public void Classify_DocumentAttachments_IsHuman()
    {
        var verdict = Classify(Human() with { AttachmentNames = ["receipt.pdf", "photo.jpeg", "notes.docx"] });

        Assert.Equal(MailKind.Human, verdict.Kind);
    }

    [Theory]
    [InlineData("Automatic reply: My order arrived broken")] // en (Outlook)
    [InlineData("Out of Office: back on Monday")] // en
    [InlineData("Autoreply: Re: complaint")] // en
    [InlineData("Автоматический ответ: Жалоба")] // ru
    [InlineData("Автоответ: Re: заказ")] // ru
    [InlineData("Automatisch antwoord: Klacht")] // nl
    [InlineData("Afwezig: tot 12 mei")] // nl
    [InlineData("Awtomatikong tugon: Reklamo")] // tl
    [InlineData("自动答复: 投诉")] // zh (Outlook zh-CN)
    [InlineData("自动回复：关于订单")] // zh, full-width colon
    [InlineData("Automatinis atsakymas: Skundas")] // lt
    [InlineData("Automatische Antwort: Beschwerde")] // de
    [InlineData("Abwesenheitsnotiz: Beschwerde")] // de
    [InlineData("Réponse automatique : Réclamation")] // fr
    [InlineData("Respuesta automática: Queja")] // es
    [InlineData("Fuera de la oficina")] // es, whole subject
    public void Classify_LocalizedOutOfOfficeSubject_IsAutoReply(string subject)
    {
        var verdict = Classify(Human() with { Subject = subject });

        Assert.Equal(MailKind.AutoReply, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("subject:auto-reply", verdict.Reasons);
    }

    [Theory]
    [InlineData("Out of office hours support is useless")]
    [InlineData("Vacation: the hotel you booked was dirty")]
    [InlineData("Ausencia de respuesta a mi reclamo")]
    [InlineData("Re: My order arrived broken")]
    public void Classify_ComplaintSubjectThatMentionsAbsence_IsHuman(string subject)
    {
        var verdict = Classify(Human() with { Subject = subject });

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.True(verdict.MayAcknowledge);
    }

    [Fact]
    public void Classify_NoFromAddress_MayNotBeAcknowledged()
    {
        var verdict = Classify(Human() with { From = null, FromAddresses = [] });

        Assert.Equal(MailKind.Human, verdict.Kind);
        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("from:missing", verdict.Reasons);
    }

    [Fact]
    public void Classify_SeveralFromAddresses_MayNotBeAcknowledged()
    {
        var facts = Human() with { FromAddresses = ["anna.berg@customer.example", "boss@customer.example"] };

        var verdict = Classify(facts);

        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("from:multiple", verdict.Reasons);
    }

    [Theory]
    [InlineData("anna.berg")]
    [InlineData("anna berg@customer.example")]
    [InlineData("anna@@customer.example")]
    [InlineData("anna@localhost")]
    public void Classify_InvalidFromAddress_MayNotBeAcknowledged(string from)
    {
        var verdict = Classify(Human() with { From = from, FromAddresses = [from] });

        Assert.False(verdict.MayAcknowledge);
        Assert.Contains("from:invalid", verdict.Reasons);
    }

    [Fact]
    public void Classify_BounceOfOurAcknowledgementAlsoAutoSubmitted_BounceWins()
    {
        var facts = Human(("Auto-Submitted", "auto-replied"), ("X-Failed-Recipients", "anna.berg@customer.example")) with
        {
            From = "mailer-daemon@mx.customer.example",
            FromAddresses = ["mailer-daemon@mx.customer.example"],
            ReturnPath = string.Empty,
            ContentType = "multipart/report",
            ReportType = "delivery-status",
            HasReportPart = true,
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.Bounce, verdict.Kind);
        Assert.Contains("auto-submitted:auto-replied", verdict.Reasons);
        Assert.Contains("role:mailer-daemon", verdict.Reasons);
    }

    [Fact]
    public void Classify_OurOwnAcknowledgementComingBack_OwnMailWinsOverAutoReply()
    {
        var facts = Human(("Auto-Submitted", "auto-replied"), ("X-Loop", "support@support.example.test")) with
        {
            From = "support@support.example.test",
            FromAddresses = ["support@support.example.test"],
            MessageId = "ack.42.0123456789abcdef@support.example.test",
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.OwnMail, verdict.Kind);
    }

    [Fact]
    public void Classify_AutoReplyFromListWithNoreplySender_AutoReplyWinsOverBulkAndRole()
    {
        var facts = Human(("Auto-Submitted", "auto-generated"), ("List-Id", "<news.shop.example>")) with
        {
            From = "noreply@shop.example",
            FromAddresses = ["noreply@shop.example"],
        };

        var verdict = Classify(facts);

        Assert.Equal(MailKind.AutoReply, verdict.Kind);
        Assert.Contains("list:list-id", verdict.Reasons);
        Assert.Contains("role:noreply", verdict.Reasons);
    }
}
