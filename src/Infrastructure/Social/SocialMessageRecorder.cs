using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Escalation;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Complaints;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Ingestion;
using SlaWatch.Infrastructure.Languages;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Social;

/// <summary>
/// Turns one stored social message into what an email turns into: a complaint with its clock and holding apology, a
/// follow-up on the thread it belongs to, or a staff reply that stops the first-response clock. Channel-neutral: the
/// channel only says who wrote what, where and when. Runs inside the caller's transaction; the caller commits.
/// </summary>
public sealed partial class SocialMessageRecorder(
    ILanguageDetector languageDetector,
    IMessageTemplates templates,
    IOptions<MessagesOptions> messagesOptions,
    IOptions<SlaOptions> slaOptions,
    ComplaintClock clock,
    AlertRaiser raiser,
    ContentEscalationRules contentRules,
    SlaWatchMetrics metrics,
    StatusLinks statusLinks,
    ILogger<SocialMessageRecorder> logger)
{
    /// <summary>The thread-id row that maps a conversation (as opposed to one message) to its complaint.</summary>
    public static string ThreadEntry(string threadKey) => "thread:" + threadKey;

    public async Task<HandlingOutcome> RecordAsync(SlaWatchDbContext db, SocialInboundMessage row, InboxOptions inbox, ISocialChannel channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row.ProcessedAt = now;
        row.Status = InboundStatus.Processed;
        var role = Enum.Parse<SocialAuthorRole>(row.Role);
        var thread = await FindThreadAsync(db, row, cancellationToken);
        switch (role)
        {
            case SocialAuthorRole.SlaWatch:
                row.Classification = "OwnReply";
                row.ComplaintId = thread?.Id;
                return HandlingOutcome.Recorded(row.Id);
            case SocialAuthorRole.Staff:
                return await RecordStaffReplyAsync(db, row, thread, channel, cancellationToken);
        }

        if (thread is not null && !IsPastReopenWindow(thread, now))
        {
            RecordFollowUp(db, row, thread, now);
            var escalation = await EscalateByContentAsync(db, thread, row.Text, now, cancellationToken);
            return new HandlingOutcome(row.Id, false, escalation, NewDeadline: thread.Status == ComplaintStatus.Open);
        }

        var complaint = await OpenComplaintAsync(db, row, inbox, now, cancellationToken);
        var outbox = new List<long>();
        if (await QueueAcknowledgementAsync(db, row, inbox, channel, complaint, now, cancellationToken) is { } ackId)
        {
            outbox.Add(ackId);
        }

        clock.Refresh(complaint, []);
        outbox.AddRange(await EscalateByContentAsync(db, complaint, row.Text, now, cancellationToken));
        return new HandlingOutcome(row.Id, false, outbox, NewDeadline: true);
    }

    private async Task<HandlingOutcome> RecordStaffReplyAsync(SlaWatchDbContext db, SocialInboundMessage row, Complaint? thread, ISocialChannel channel, CancellationToken cancellationToken)
    {
        // SlaWatch's own reply may come back as an own-account message before the send was recorded as ours: the
        // outbox row's recorded platform id is the last word.
        if (await db.Outbox.AnyAsync(o => o.Inbox == row.Inbox && o.ServerResponse == SocialSender.PostedAs(row.PlatformId), cancellationToken))
        {
            row.Classification = "OwnReply";
            row.ComplaintId = thread?.Id;
            return HandlingOutcome.Recorded(row.Id);
        }

        if (thread is not null && await db.Outbox.AnyAsync(o => o.ComplaintId == thread.Id && o.Channel == channel.Channel && o.Status == OutboxStatus.Sending, cancellationToken))
        {
            // A reply of ours to this complaint is in flight: this may be it, before its id is recorded. Look again next sweep.
            row.Status = InboundStatus.Fetched;
            row.ProcessedAt = null;
            return new HandlingOutcome(row.Id, false, [], Retry: true);
        }

        row.Classification = "StaffReply";
        if (thread is null)
        {
            return HandlingOutcome.Recorded(row.Id);
        }

        row.ComplaintId = thread.Id;
        await AddThreadIdAsync(db, row.Inbox, row.PlatformId, thread.Id, "out", cancellationToken);
        var alerts = await db.Alerts.Where(a => a.ComplaintId == thread.Id).ToListAsync(cancellationToken);
        var staff = row.AuthorName ?? row.AuthorId;
        if (ComplaintCommands.RecordStaffMessage(db, clock, thread, alerts, row.SentAt, staff, $"on {channel.Channel}", metrics))
        {
            LogStaffReply(logger, thread.Reference, staff, channel.Channel, (row.SentAt - thread.ReceivedAt).TotalSeconds);
        }

        return HandlingOutcome.Recorded(row.Id);
    }

    /// <summary>The complaint a message belongs to: the message it answers, else its conversation.</summary>
    private static async Task<Complaint?> FindThreadAsync(SlaWatchDbContext db, SocialInboundMessage row, CancellationToken cancellationToken)
    {
        var keys = new List<string> { ThreadEntry(row.ThreadKey) };
        if (row.InReplyTo is not null)
        {
            keys.Add(row.InReplyTo);
        }

        var complaintId = await db.ThreadMessageIds
            .Where(t => t.Inbox == row.Inbox && keys.Contains(t.MessageId))
            .OrderByDescending(t => t.ComplaintId)
            .Select(t => (long?)t.ComplaintId)
            .FirstOrDefaultAsync(cancellationToken);
        return complaintId is null ? null : await db.Complaints.SingleAsync(c => c.Id == complaintId, cancellationToken);
    }

    private bool IsPastReopenWindow(Complaint complaint, DateTimeOffset now) =>
        complaint.Status == ComplaintStatus.Resolved
        && complaint.ResolvedAt is { } resolvedAt
        && now - resolvedAt > messagesOptions.Value.ReopenWindow;

    private void RecordFollowUp(SlaWatchDbContext db, SocialInboundMessage row, Complaint complaint, DateTimeOffset now)
    {
        row.ComplaintId = complaint.Id;
        row.Classification = "FollowUp";
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.FollowUpReceived, "customer", null);
        if (complaint.Status == ComplaintStatus.Resolved)
        {
            complaint.Status = ComplaintStatus.Open;
            complaint.ResolvedAt = null;
            AddEvent(db, complaint.Id, now, ComplaintEventTypes.Reopened, "customer", "follow-up within the reopen window");
        }

        db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = row.Inbox, MessageId = row.PlatformId, ComplaintId = complaint.Id, Direction = "in" });
        LogFollowUp(logger, row.Inbox, row.PlatformId, complaint.Reference);
    }

    private async Task<Complaint> OpenComplaintAsync(SlaWatchDbContext db, SocialInboundMessage row, InboxOptions inbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var number = await db.Database
            .SqlQuery<long>($"SELECT nextval('complaint_reference_seq') AS \"Value\"")
            .SingleAsync(cancellationToken);
        var fallback = LanguageCode.TryParse(inbox.DefaultLanguage, out var inboxDefault) ? inboxDefault : LanguageCode.English;
        LanguageCode? hint = LanguageCode.TryParse(row.LanguageHint, out var platformLanguage) ? platformLanguage : null;
        var language = languageDetector.Detect(row.Text, hint, fallback);
        var complaint = new Complaint
        {
            Reference = ComplaintReference.Format(row.SentAt.UtcDateTime.Year, number),
            Channel = row.Channel,
            Inbox = inbox.Name,
            CustomerAddress = row.AuthorId,
            CustomerName = row.AuthorName,
            Subject = SubjectOf(row.Text),
            Language = language.Value,
            ReceivedAt = row.SentAt,
            DetectedAt = now,
            ThreadMessageId = row.PlatformId,
        };
        db.Complaints.Add(complaint);
        await db.SaveChangesAsync(cancellationToken);

        row.ComplaintId = complaint.Id;
        row.Classification = "Complaint";
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.Received, "customer", $"via {inbox.Name} ({row.Channel}), language {language.Value}");
        db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = row.Inbox, MessageId = row.PlatformId, ComplaintId = complaint.Id, Direction = "in" });
        await AddThreadIdAsync(db, row.Inbox, ThreadEntry(row.ThreadKey), complaint.Id, "in", cancellationToken, replace: true);
        metrics.ComplaintReceived(complaint);
        LogComplaintOpened(logger, complaint.Reference, inbox.Name, row.Channel, language.Value, (now - row.SentAt).TotalMilliseconds);
        return complaint;
    }

    /// <summary>A social message has no subject: its first line, shortened, stands in for one on the board and in alerts.</summary>
    private static string SubjectOf(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 80 ? line : line[..77].TrimEnd() + "...";
    }

    private async Task<long?> QueueAcknowledgementAsync(SlaWatchDbContext db, SocialInboundMessage row, InboxOptions inbox, ISocialChannel channel, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = messagesOptions.Value;
        var refusal = await RefusalAsync(db, row, complaint, now, cancellationToken);
        if (refusal is not null)
        {
            AddEvent(db, complaint.Id, now, ComplaintEventTypes.AcknowledgementSuppressed, "slawatch", refusal);
            LogAckSuppressed(logger, complaint.Reference, refusal);
            return null;
        }

        var statusUrl = statusLinks.Create(complaint.Reference, now);
        var rendered = templates.RenderAcknowledgement(
            LanguageCode.Parse(complaint.Language),
            new AcknowledgementModel(
                complaint.Reference,
                complaint.CustomerName,
                string.Empty,
                SlaOptions.FirstResponseFor(inbox, slaOptions.Value),
                options.TeamName,
                StatusUrl: statusUrl,
                IsEmail: false));
        // Cut to the platform's limit, the reference and the status link survive: the page carries the rest.
        var text = PlatformText.Fit(rendered.Body, channel.MaxReplyLength, complaint.Reference, statusUrl, channel.ReplyPrefix(complaint.CustomerAddress, row.ReplyContext));
        var outbox = new OutboxMessage
        {
            Kind = OutboxKinds.Acknowledgement,
            DedupeKey = $"ack:{complaint.Id}",
            ComplaintId = complaint.Id,
            Inbox = inbox.Name,
            Channel = channel.Channel,
            FromAddress = inbox.Name,
            FromName = inbox.DisplayName ?? options.TeamName,
            Recipient = complaint.CustomerAddress,
            Subject = rendered.Subject,
            Body = text,
            Language = complaint.Language,
            // The idempotency key the platform sees: one per complaint, the same on every retry.
            MessageId = $"slawatch-ack-{complaint.Id}-{row.Inbox}-{row.PlatformId}",
            InReplyTo = row.PlatformId,
            AutoSubmitted = "auto-replied",
            CreatedAt = now,
            ExpiresAt = complaint.ReceivedAt + options.MaxAckAge,
            EnqueuedAt = now,
        };
        db.Outbox.Add(outbox);
        await db.SaveChangesAsync(cancellationToken);
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.AcknowledgementQueued, "slawatch", $"in {complaint.Language} on {channel.Channel}");
        return outbox.Id;
    }

    private async Task<string?> RefusalAsync(SlaWatchDbContext db, SocialInboundMessage row, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = messagesOptions.Value;
        // A backlog after an outage is recorded but not answered: late is worse than never.
        if (now - row.SentAt > options.MaxAckAge)
        {
            return "arrived longer ago than SlaWatch:Messages:MaxAckAge";
        }

        var since = now - TimeSpan.FromDays(1);
        var prior = await db.Outbox
            .Where(o => o.Kind == OutboxKinds.Acknowledgement && o.Inbox == row.Inbox && o.Recipient == complaint.CustomerAddress && o.CreatedAt > since
                        && o.Status != OutboxStatus.Dropped && o.Status != OutboxStatus.Failed)
            .Select(o => o.CreatedAt)
            .ToListAsync(cancellationToken);
        if (prior.Count(at => now - at < TimeSpan.FromHours(1)) >= options.MaxAcksPerSenderPerHour)
        {
            return "rate:hour";
        }

        return prior.Count >= options.MaxAcksPerSenderPerDay ? "rate:day" : null;
    }

    private async Task<List<long>> EscalateByContentAsync(SlaWatchDbContext db, Complaint complaint, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var flags = contentRules.Detect(text);
        if (flags.Count == 0)
        {
            return [];
        }

        var reason = string.Join(", ", flags.Select(Describe));
        complaint.CallCustomer = true;
        complaint.ContentFlags = string.Join(' ', flags.Select(f => f.ToString()).Order());
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.EscalatedByContent, "slawatch", reason + " — call the customer");
        await db.SaveChangesAsync(cancellationToken);
        return await raiser.RaiseContentAsync(db, complaint, reason, now, cancellationToken);
    }

    private static string Describe(ContentFlag flag) => flag switch
    {
        ContentFlag.ManagerRequest => "asks for a manager",
        ContentFlag.Abuse => "abusive language",
        ContentFlag.LegalThreat => "mentions legal action",
        _ => flag.ToString(),
    };

    private static async Task AddThreadIdAsync(SlaWatchDbContext db, string inbox, string messageId, long complaintId, string direction, CancellationToken cancellationToken, bool replace = false)
    {
        var existing = await db.ThreadMessageIds.SingleOrDefaultAsync(t => t.Inbox == inbox && t.MessageId == messageId, cancellationToken);
        if (existing is null)
        {
            db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = inbox, MessageId = messageId, ComplaintId = complaintId, Direction = direction });
        }
        else if (replace)
        {
            // A conversation that outlived its complaint's reopen window now belongs to the new one.
            existing.ComplaintId = complaintId;
        }
    }

    private static void AddEvent(SlaWatchDbContext db, long complaintId, DateTimeOffset at, string type, string actor, string? detail) =>
        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaintId, At = at, Type = type, Actor = actor, Detail = detail });

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Complaint {Reference} opened from social inbox {Inbox} ({Channel}) in {Language}, {DelayMs:F0} ms after it was posted")]
    private static partial void LogComplaintOpened(ILogger logger, string reference, string inbox, string channel, string language, double delayMs);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Follow-up in social inbox {Inbox} (message {PlatformId}) attached to complaint {Reference}; no new acknowledgement")]
    private static partial void LogFollowUp(ILogger logger, string inbox, string platformId, string reference);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "No acknowledgement for complaint {Reference}: {Reason}")]
    private static partial void LogAckSuppressed(ILogger logger, string reference, string reason);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Complaint {Reference}: first response by {Staff} on {Channel}, {Seconds:F0} s after it arrived; the first-response clock stopped")]
    private static partial void LogStaffReply(ILogger logger, string reference, string staff, string channel, double seconds);
}
