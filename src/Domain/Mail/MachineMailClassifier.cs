using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Mail;

/// <summary>
/// Decides whether an inbound email was written by a person and whether it may be answered automatically
/// (EMAIL.md checklist A; PRODUCT.md "Never answer a machine"). Pure: no I/O, no clock.
/// </summary>
/// <remarks>
/// <para>
/// Every rule is evaluated and every match is reported in <see cref="MailVerdict.Reasons"/>; the
/// <see cref="MailVerdict.Kind"/> is the most specific kind that matched, in this order:
/// <list type="number">
/// <item><see cref="MailKind.Bounce"/> (A3 delivery-status report, A4 heuristics): a bounce of our acknowledgement must
/// be tied back to it, even when it also looks automatic or comes from a role address.</item>
/// <item><see cref="MailKind.Report"/> (A3 read receipts, feedback reports, other multipart/report).</item>
/// <item><see cref="MailKind.OwnMail"/> (A9 X-Loop, A10 our address or our Message-ID domain): our own mail coming back,
/// including our own acknowledgement (which is also marked <c>Auto-Submitted</c>).</item>
/// <item><see cref="MailKind.AutoReply"/> (A1 Auto-Submitted, A8 X-Autoreply and friends, A6 Precedence auto_reply,
/// A15 a localized out-of-office subject).</item>
/// <item><see cref="MailKind.Bulk"/> (A5 list headers, A6 Precedence bulk/list/junk).</item>
/// <item><see cref="MailKind.Spam"/> (A12 spam verdict, executable attachment).</item>
/// <item><see cref="MailKind.RoleSender"/> (A11 noreply, postmaster and the like).</item>
/// </list>
/// </para>
/// <para>
/// Some rules forbid an acknowledgement without saying the mail is a machine's: A2 (missing or null return path),
/// A7 (<c>X-Auto-Response-Suppress</c>) and A16 (no single valid From address). Such mail stays
/// <see cref="MailKind.Human"/> (it may still open a complaint) with <see cref="MailVerdict.MayAcknowledge"/> false.
/// A13 (threading) and A14 (backlog age) are decided by ingestion, not here.
/// </para>
/// </remarks>
public static partial class MachineMailClassifier
{
    /// <summary>Kinds from the most specific to the least; the first one matched wins.</summary>
    private static readonly MailKind[] Precedence =
    [
        MailKind.Bounce,
        MailKind.Report,
        MailKind.OwnMail,
        MailKind.AutoReply,
        MailKind.Bulk,
        MailKind.Spam,
        MailKind.RoleSender,
    ];

    private static readonly string[] ListHeaders =
    [
        "list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-owner", "list-archive",
        "x-mailing-list", "x-beenthere", "mailing-list",
    ];

    /// <summary>A8: headers that autoresponders put on their answers (osTicket, FreeScout).</summary>
    private static readonly string[] AutoReplyHeaders =
    [
        "x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from", "x-mail-autoreply",
    ];

    /// <summary>A12: file types that run when opened. An autoresponder must never echo these (RFC 3834 §7).</summary>
    private static readonly HashSet<string> ExecutableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".scr", ".bat", ".cmd", ".com", ".pif", ".js", ".jse", ".vbs", ".vbe", ".jar", ".msi", ".msp",
        ".ps1", ".psm1", ".wsf", ".wsh", ".hta", ".cpl", ".lnk", ".reg", ".application", ".gadget", ".msc",
        ".scf", ".inf", ".dll",
    };

    /// <summary>Classifies one inbound email.</summary>
    /// <param name="facts">What Infrastructure extracted from the MIME message.</param>
    /// <param name="us">Our own addresses and Message-ID domain.</param>
    public static MailVerdict Classify(InboundMailFacts facts, OwnIdentity us)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(us);

        var matched = new HashSet<MailKind>();
        var reasons = new List<string>();
        var mayAcknowledge = true;

        void Match(MailKind kind, string reason)
        {
            matched.Add(kind);
            if (!reasons.Contains(reason, StringComparer.Ordinal))
            {
                reasons.Add(reason);
            }
        }

        void Forbid(string reason)
        {
            mayAcknowledge = false;
            if (!reasons.Contains(reason, StringComparer.Ordinal))
            {
                reasons.Add(reason);
            }
        }

        var fromLocal = LocalPart(facts.From);

        CheckAutoSubmitted(facts, Match);
        CheckReturnPath(facts, Forbid);
        CheckReports(facts, fromLocal, Match);
        CheckLists(facts, Match);
        CheckPrecedence(facts, Match);
        CheckAutoResponseSuppress(facts, Forbid);
        CheckAutoReplyHeaders(facts, Match);
        CheckOwnMail(facts, us, Match);
        CheckRoleSender(fromLocal, Match);
        CheckSpam(facts, Match);
        CheckSubject(facts, Match);
        CheckFrom(facts, Forbid);

        var kind = MailKind.Human;
        foreach (var candidate in Precedence)
        {
            if (matched.Contains(candidate))
            {
                kind = candidate;
                break;
            }
        }

        return new MailVerdict(kind, kind == MailKind.Human && mayAcknowledge, reasons);
    }

    /// <summary>A1 (RFC 3834 §5): any Auto-Submitted value other than <c>no</c> means a machine wrote it.</summary>
    private static void CheckAutoSubmitted(InboundMailFacts facts, Action<MailKind, string> match)
    {
        foreach (var raw in Values(facts, "auto-submitted"))
        {
            var value = Keyword(raw);
            if (value == "no")
            {
                // osTicket #6380: "no" is what a person's client may send; it is human mail.
                continue;
            }

            match(MailKind.AutoReply, "auto-submitted:" + (value.Length == 0 ? "empty" : value));
        }
    }

    /// <summary>A2 (RFC 3834 §2, §4; RFC 5321 §4.5.5): a null or missing return path must not be answered.</summary>
    private static void CheckReturnPath(InboundMailFacts facts, Action<string> forbid)
    {
        if (facts.ReturnPath is null)
        {
            forbid("return-path:missing");
        }
        else if (facts.ReturnPath.Trim() is "" or "<>")
        {
            forbid("return-path:null");
        }
    }

    /// <summary>A3 (RFC 3464, RFC 6522, RFC 8098, RFC 5965) and A4 (osTicket <c>TicketFilter::isBounce</c>).</summary>
    private static void CheckReports(InboundMailFacts facts, string? fromLocal, Action<MailKind, string> match)
    {
        var isReport = string.Equals(facts.ContentType, "multipart/report", StringComparison.OrdinalIgnoreCase);
        var reportType = facts.ReportType is { Length: > 0 } ? facts.ReportType.Trim().ToUpperInvariant() : null;
        if (isReport || facts.HasReportPart || reportType is not null)
        {
            switch (reportType)
            {
                case "DELIVERY-STATUS" or "GLOBAL-DELIVERY-STATUS":
                    match(MailKind.Bounce, "report:delivery-status");
                    break;
                case "DISPOSITION-NOTIFICATION" or "GLOBAL-DISPOSITION-NOTIFICATION":
                    match(MailKind.Report, "report:disposition-notification");
                    break;
                case "FEEDBACK-REPORT":
                    match(MailKind.Report, "report:feedback-report");
                    break;
                case null when !isReport:
                    // A report part somewhere, kind unknown: delivery status is by far the most common.
                    match(MailKind.Bounce, "report:part");
                    break;
                default:
                    match(MailKind.Report, "report:" + (reportType ?? "unknown").ToLowerInvariant());
                    break;
            }
        }

        if (Values(facts, "x-failed-recipients").Count > 0)
        {
            match(MailKind.Bounce, "bounce:x-failed-recipients");
        }

        if (fromLocal is "mailer-daemon" or "mailer_daemon" or "mailerdaemon" or "postmaster")
        {
            match(MailKind.Bounce, "bounce:from-" + fromLocal);
        }

        if (facts.Subject is { Length: > 0 } subject && BounceSubject().IsMatch(subject))
        {
            match(MailKind.Bounce, "bounce:subject");
        }
    }

    /// <summary>A5 (RFC 2369, RFC 2919, RFC 3834 §2): mailing-list mail.</summary>
    private static void CheckLists(InboundMailFacts facts, Action<MailKind, string> match)
    {
        foreach (var name in ListHeaders)
        {
            if (Values(facts, name).Count > 0)
            {
                match(MailKind.Bulk, "list:" + name);
            }
        }
    }

    /// <summary>A6 (RFC 3834 §2): Precedence bulk, list, junk or auto_reply.</summary>
    private static void CheckPrecedence(InboundMailFacts facts, Action<MailKind, string> match)
    {
        foreach (var name in (string[])["precedence", "x-precedence"])
        {
            foreach (var raw in Values(facts, name))
            {
                var value = Keyword(raw);
                switch (value)
                {
                    case "bulk" or "list" or "junk":
                        match(MailKind.Bulk, "precedence:" + value);
                        break;
                    case "auto_reply" or "auto-reply":
                        match(MailKind.AutoReply, "precedence:auto_reply");
                        break;
                }
            }
        }
    }

    /// <summary>A7 (MS-OXCMAIL §2.1.3.2.20): the sender asked not to get auto-replies.</summary>
    private static void CheckAutoResponseSuppress(InboundMailFacts facts, Action<string> forbid)
    {
        foreach (var raw in Values(facts, "x-auto-response-suppress"))
        {
            foreach (var token in raw.Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Equals("All", StringComparison.OrdinalIgnoreCase)
                    || token.Equals("AutoReply", StringComparison.OrdinalIgnoreCase)
                    || token.Equals("OOF", StringComparison.OrdinalIgnoreCase))
                {
                    forbid("auto-response-suppress:" + token.ToLowerInvariant());
                }
            }
        }
    }

    /// <summary>A8: the non-standard autoresponder headers osTicket and FreeScout look for.</summary>
    private static void CheckAutoReplyHeaders(InboundMailFacts facts, Action<MailKind, string> match)
    {
        foreach (var name in AutoReplyHeaders)
        {
            foreach (var raw in Values(facts, name))
            {
                if (Keyword(raw) is not ("no" or "false" or "0"))
                {
                    match(MailKind.AutoReply, name);
                }
            }
        }

        foreach (var raw in Values(facts, "x-autogenerated"))
        {
            if (Keyword(raw) == "reply")
            {
                match(MailKind.AutoReply, "x-autogenerated:reply");
            }
        }

        foreach (var raw in Values(facts, "x-post-messageclass"))
        {
            if (raw.Contains("autoresponder", StringComparison.OrdinalIgnoreCase))
            {
                match(MailKind.AutoReply, "x-post-messageclass:autoresponder");
            }
        }

        foreach (var raw in Values(facts, "delivered-to"))
        {
            if (raw.Trim().Equals("autoresponder", StringComparison.OrdinalIgnoreCase))
            {
                match(MailKind.AutoReply, "delivered-to:autoresponder");
            }
        }
    }

    /// <summary>A9 (Zammad X-Loop) and A10 (Zammad <c>sender_is_system_address</c>, own-notification loop detection).</summary>
    private static void CheckOwnMail(InboundMailFacts facts, OwnIdentity us, Action<MailKind, string> match)
    {
        foreach (var raw in Values(facts, "x-loop"))
        {
            var value = raw.Trim().Trim('<', '>').Trim();
            if (value.Equals("yes", StringComparison.OrdinalIgnoreCase))
            {
                match(MailKind.OwnMail, "x-loop:yes");
            }
            else if (IsOurs(value, us))
            {
                match(MailKind.OwnMail, "x-loop:ours");
            }
        }

        var senderIsOurs = false;
        if (IsOurs(facts.From, us))
        {
            senderIsOurs = true;
            match(MailKind.OwnMail, "from:ours");
        }

        if (IsOurs(facts.Sender, us))
        {
            senderIsOurs = true;
            match(MailKind.OwnMail, "sender:ours");
        }

        if (facts.ReturnPath is { Length: > 0 } && IsOurs(facts.ReturnPath, us))
        {
            senderIsOurs = true;
            match(MailKind.OwnMail, "return-path:ours");
        }

        if (IsOurMessageId(facts.MessageId, us))
        {
            match(MailKind.OwnMail, "message-id:ours");
        }

        if (senderIsOurs
            && (IsOurMessageId(facts.InReplyTo, us) || facts.References.Any(id => IsOurMessageId(id, us))))
        {
            match(MailKind.OwnMail, "in-reply-to:ours");
        }
    }

    /// <summary>A11 (Zammad's regexp; RFC 3834 §2): addresses nobody reads, or that belong to list software.</summary>
    private static void CheckRoleSender(string? fromLocal, Action<MailKind, string> match)
    {
        if (fromLocal is null)
        {
            return;
        }

        var role = fromLocal switch
        {
            "mailer-daemon" or "mailer_daemon" or "mailerdaemon" => "mailer-daemon",
            "postmaster" or "abuse" or "root" or "listserv" or "majordomo" or "nobody" => fromLocal,
            "do-not-reply" or "donotreply" or "do_not_reply" or "do.not.reply" => "do-not-reply",
            _ when fromLocal.StartsWith("noreply", StringComparison.Ordinal) => "noreply",
            _ when fromLocal.StartsWith("no-reply", StringComparison.Ordinal)
                || fromLocal.StartsWith("no_reply", StringComparison.Ordinal) => "no-reply",
            _ when fromLocal.StartsWith("owner-", StringComparison.Ordinal) => "owner-",
            _ when fromLocal.EndsWith("-request", StringComparison.Ordinal) => "-request",
            _ when fromLocal.StartsWith("bounce", StringComparison.Ordinal) => "bounce",
            _ => null,
        };

        if (role is not null)
        {
            match(MailKind.RoleSender, "role:" + role);
        }
    }

    /// <summary>A12 (RFC 3834 §2, §7): spam verdicts and executable attachments.</summary>
    private static void CheckSpam(InboundMailFacts facts, Action<MailKind, string> match)
    {
        foreach (var raw in Values(facts, "x-spam-flag"))
        {
            if (Keyword(raw) == "yes")
            {
                match(MailKind.Spam, "spam:x-spam-flag");
            }
        }

        foreach (var raw in Values(facts, "x-spam-status"))
        {
            if (raw.TrimStart().StartsWith("yes", StringComparison.OrdinalIgnoreCase))
            {
                match(MailKind.Spam, "spam:x-spam-status");
            }
        }

        foreach (var raw in Values(facts, "x-spam"))
        {
            if (Keyword(raw) == "yes")
            {
                match(MailKind.Spam, "spam:x-spam");
            }
        }

        foreach (var name in facts.AttachmentNames)
        {
            // "invoice.pdf.exe ." and friends: Windows ignores trailing dots and spaces.
            var trimmed = name.Trim().TrimEnd('.', ' ');
            var extension = Path.GetExtension(trimmed);
            if (extension.Length > 0 && ExecutableExtensions.Contains(extension))
            {
                match(MailKind.Spam, "attachment:executable");
            }
        }
    }

    /// <summary>A15 (weak): a subject that reads like an out-of-office or auto-reply notice.</summary>
    private static void CheckSubject(InboundMailFacts facts, Action<MailKind, string> match)
    {
        if (facts.Subject is { Length: > 0 } subject && AutoReplySubject().IsMatch(subject.Trim()))
        {
            match(MailKind.AutoReply, "subject:auto-reply");
        }
    }

    /// <summary>A16 (RFC 3834 §3.1.3): the answer goes to exactly one valid address, or nowhere.</summary>
    private static void CheckFrom(InboundMailFacts facts, Action<string> forbid)
    {
        var count = Math.Max(facts.FromAddresses.Count, facts.From is null ? 0 : 1);
        if (count == 0)
        {
            forbid("from:missing");
        }
        else if (count > 1)
        {
            forbid("from:multiple");
        }
        else if (!MailAddressSyntax.IsValid(facts.From ?? facts.FromAddresses[0]))
        {
            forbid("from:invalid");
        }
    }

    private static IReadOnlyList<string> Values(InboundMailFacts facts, string name) =>
        facts.Headers.TryGetValue(name, out var values) ? values : [];

    /// <summary>The first token of a header value, lower-cased: parameters after <c>;</c> and comments dropped.</summary>
    private static string Keyword(string raw)
    {
        var value = raw;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            value = value[..semicolon];
        }

        var comment = value.IndexOf('(', StringComparison.Ordinal);
        if (comment >= 0)
        {
            value = value[..comment];
        }

        return value.Trim().Trim('"').Trim().ToLowerInvariant();
    }

    private static string? LocalPart(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        var local = (at >= 0 ? address[..at] : address).Trim().Trim('"').ToLowerInvariant();
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? local[..plus] : local;
    }

    private static bool IsOurs(string? address, OwnIdentity us)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var normalized = address.Trim().Trim('<', '>').Trim().ToLowerInvariant();
        return us.Addresses.Contains(normalized)
            || us.Addresses.Any(a => a.Equals(normalized, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsOurMessageId(string? messageId, OwnIdentity us)
    {
        if (string.IsNullOrWhiteSpace(messageId) || string.IsNullOrWhiteSpace(us.MessageIdDomain))
        {
            return false;
        }

        var id = messageId.Trim().Trim('<', '>');
        var at = id.LastIndexOf('@');
        return at >= 0 && id[(at + 1)..].Equals(us.MessageIdDomain.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Subjects of non-delivery reports as MTAs write them (Postfix, Exim, Sendmail, qmail, Exchange/Outlook, Gmail,
    /// in the languages we serve). Anchored at the start, so a customer's "my delivery failed" is not a bounce.
    /// </summary>
    [GeneratedRegex(
        @"^\s*(undeliver(able|ed)( mail)?\b|undelivered mail returned to sender|delivery status notification\s*\((failure|delay)\)|" +
        @"mail delivery (failed|failure|system)\b|delivery failure\s*:|returned mail\s*:|failure notice\s*$|" +
        @"mail system error - returned mail|non[- ]?delivery (report|notification)|" +
        @"unzustellbar\s*:|nicht zustellbar\s*:|non remis\s*:|non distribuable|no se puede entregar\s*:|" +
        @"no entregado\s*:|onbestelbaar\s*:|niet bezorgd|не доставлено\s*:|недоставленное сообщение|" +
        @"не удалось доставить|无法投递|未送达|退信|nepristatyta|nepristatytas laiškas|hindi naihatid)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 200)]
    private static partial Regex BounceSubject();

    /// <summary>
    /// Out-of-office and auto-reply subjects as the common clients write them, in en, ru, nl, tl, zh, lt, de, fr, es.
    /// A marker must be followed by a colon, or be the whole subject, so "Out of office hours support is useless"
    /// stays a complaint.
    /// </summary>
    [GeneratedRegex(
        @"^(" +
        // English (Outlook "Automatic reply:", older "Out of Office AutoReply:", "AutoReply:", "Auto Response")
        @"automatic reply|auto[- ]?reply|auto[- ]?response|autoresponse|out of (the )?office( auto[- ]?reply)?|" +
        @"away from (the )?office|vacation reply|vacation auto[- ]?reply|absence notice|" +
        // Russian
        @"автоматический ответ|автоответ|автоответчик|нет на месте|вне офиса|я в отпуске|отсутствую|" +
        @"меня нет в офисе|отсутствие на работе|" +
        // Dutch
        @"automatisch antwoord|automatisch bericht|afwezig|niet aanwezig|afwezigheidsbericht|buiten kantoor|" +
        // Tagalog / Filipino
        @"awtomatikong tugon|awtomatikong sagot|wala sa opisina|" +
        // Chinese (Outlook zh-CN "自动答复", zh-TW "自動回覆")
        @"自动回复|自动答复|自動回覆|自動回復|自動答覆|不在办公室|外出中|" +
        // Lithuanian
        @"automatinis atsakymas|automatinis atsakas|nesu biure|atostogauju|" +
        // German
        @"automatische antwort|abwesenheitsnotiz|abwesenheitsmeldung|abwesend|nicht im büro|außer haus|" +
        // French
        @"réponse automatique|reponse automatique|absence du bureau|absent(e)? du bureau|message d'absence|absent(e)?|" +
        // Spanish
        @"respuesta automática|respuesta automatica|fuera de (la )?oficina|ausente" +
        @")\s*([:：\-–—]|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 200)]
    private static partial Regex AutoReplySubject();
}
