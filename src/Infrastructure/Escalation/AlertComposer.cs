using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Ingestion;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Escalation;

/// <summary>
/// Turns a raised alert into outbox rows: one email per address of the level (marked auto-generated) and one JSON
/// webhook per URL (with a <c>text</c> field chat tools show). Each says which complaint, from whom, the subject, how
/// long it has waited, which deadline, when it breaches, who was alerted before, and carries a signed link to acknowledge.
/// </summary>
public sealed class AlertComposer(IOptions<SlaWatchOptions> options, MessageSigner signer, AlertLinks links)
{
    public IReadOnlyList<OutboxMessage> Compose(Complaint complaint, Alert alert, AlertFacts facts, IReadOnlyList<string> notify, IReadOnlyList<string> webhooks, TimeSpan linkLifetime, DateTimeOffset now)
    {
        // Alerts leave from the complaint's inbox address; from the first inbox with an address if that one was removed
        // or has none (a social inbox without SlaWatch:Inboxes:N:Address).
        var inbox = options.Value.Inboxes.FirstOrDefault(i => i.Name == complaint.Inbox && !string.IsNullOrEmpty(i.Address))
                    ?? options.Value.Inboxes.FirstOrDefault(i => !string.IsNullOrEmpty(i.Address)) ?? options.Value.Inboxes.First();
        var domain = InboundMailHandler.DomainOf(inbox.Address);
        var link = links.Create(alert.Id, now + linkLifetime).ToString();
        var subject = Subject(complaint, alert, facts);
        var text = Text(complaint, alert, facts, now, link);
        var rows = new List<OutboxMessage>(notify.Count + webhooks.Count);
        foreach (var address in notify.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            rows.Add(Row(complaint, alert, inbox, OutboxChannels.Email, address, subject, text, $"alert.{alert.Id}.{signer.Sign($"alert:{alert.Id}:{address}")}@{domain}", now));
        }

        foreach (var url in webhooks.Distinct(StringComparer.Ordinal))
        {
            var json = JsonSerializer.Serialize(new
            {
                text = $"{subject}\n{link}",
                complaint = new { reference = complaint.Reference, inbox = complaint.Inbox, customer = complaint.CustomerAddress, subject = complaint.Subject, receivedAt = complaint.ReceivedAt, callCustomer = complaint.CallCustomer },
                alert = new { id = alert.Id, deadline = alert.Deadline, stage = alert.Stage, level = alert.LevelName, thresholdAt = alert.ThresholdAt, dueAt = facts.DueAt, waitedSeconds = (long)(now - complaint.ReceivedAt).TotalSeconds, alertedBefore = facts.AlertedBefore, reason = facts.Reason },
                acknowledgeUrl = link,
            });
            rows.Add(Row(complaint, alert, inbox, OutboxChannels.Webhook, url, subject, json, $"alert.{alert.Id}.{signer.Sign($"alert:{alert.Id}:{url}")}@{domain}", now));
        }

        return rows;
    }

    private static OutboxMessage Row(Complaint complaint, Alert alert, InboxOptions inbox, string channel, string recipient, string subject, string body, string messageId, DateTimeOffset now) => new()
    {
        Kind = OutboxKinds.Alert,
        DedupeKey = $"alert:{alert.Id}:{recipient}",
        ComplaintId = complaint.Id,
        Inbox = complaint.Inbox,
        Channel = channel,
        FromAddress = inbox.Address,
        FromName = "SlaWatch",
        Recipient = recipient,
        Subject = subject,
        Body = body,
        Language = "en",
        MessageId = messageId,
        AutoSubmitted = "auto-generated",
        CreatedAt = now,
        EnqueuedAt = now,
    };

    private static string Subject(Complaint complaint, Alert alert, AlertFacts facts)
    {
        var what = alert.Stage switch
        {
            "AtRisk" => $"at risk: {Describe(alert.Deadline)} due {facts.DueAt:yyyy-MM-dd HH:mm:ss} UTC",
            "Breached" => $"BREACHED: {Describe(alert.Deadline)} was due {facts.DueAt:yyyy-MM-dd HH:mm:ss} UTC",
            _ => $"needs you now: {facts.Reason}",
        };
        var call = complaint.CallCustomer ? " — call the customer" : string.Empty;
        return $"[SlaWatch] {complaint.Reference} {what}{call}";
    }

    private static string Text(Complaint complaint, Alert alert, AlertFacts facts, DateTimeOffset now, string link)
    {
        var waited = now - complaint.ReceivedAt;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Complaint {complaint.Reference} ({complaint.Inbox})");
        var from = string.IsNullOrEmpty(complaint.CustomerName) ? complaint.CustomerAddress : $"{complaint.CustomerName} <{complaint.CustomerAddress}>";
        text.AppendLine(CultureInfo.InvariantCulture, $"From:      {from}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Subject:   {complaint.Subject}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Received:  {complaint.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC — waiting {Duration(waited)}");
        if (alert.Stage == "Content")
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Why:       {facts.Reason}");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Deadline:  {Describe(alert.Deadline)}, due {facts.DueAt:yyyy-MM-dd HH:mm:ss} UTC ({(facts.DueAt > now ? "in " + Duration(facts.DueAt.Value - now) : Duration(now - facts.DueAt!.Value) + " ago")})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Level:     {alert.LevelName} ({alert.Stage})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Alerted before: {(facts.AlertedBefore.Count == 0 ? "nobody" : string.Join(", ", facts.AlertedBefore))}");
        if (complaint.CallCustomer)
        {
            text.AppendLine("Call the customer: this conversation goes better by phone than by email.");
        }

        text.AppendLine();
        text.AppendLine("Take it — acknowledging stops the chain from climbing further:");
        text.AppendLine(link);
        return text.ToString();
    }

    private static string Describe(string deadline) => deadline switch
    {
        "FirstResponse" => "first response",
        "Promise" => "promised resolution",
        _ => deadline,
    };

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : span.TotalMinutes >= 1 ? $"{span.Minutes} min {span.Seconds} s" : $"{Math.Max(0, span.Seconds)} s";
}

/// <summary>What an alert says beyond the complaint: the deadline's due time, the reason, who heard before.</summary>
public sealed record AlertFacts(DateTimeOffset? DueAt, string? Reason, IReadOnlyList<string> AlertedBefore);
