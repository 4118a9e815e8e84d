using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>What an update says beyond the complaint itself.</summary>
public sealed record UpdateContent(DateTimeOffset? PreviousPromiseDueAt = null, string? Note = null);

/// <summary>What became of an update: queued (with its outbox row), already queued before, or not sent and why.</summary>
public sealed record UpdateOutcome(long? OutboxId, bool AlreadyQueued, string? SuppressedBecause)
{
    public bool Queued => OutboxId is not null;
}

/// <summary>
/// Writes an update to the customer into the outbox, inside the caller's transaction and under its lock on the complaint
/// row, so the message exists exactly when the state change that calls for it does. The caller commits, then hands the
/// row to the sender (<see cref="Delivery.IOutboxDispatcher"/>).
/// </summary>
/// <remarks>
/// Like the acknowledgement (EMAIL.md C): in the customer's language, threaded to the customer's message (In-Reply-To, and
/// References with our acknowledgement), the reference in the subject, a deterministic signed Message-ID, and
/// <c>Auto-Submitted: auto-generated</c> (an update is not a reply to a message). The Message-ID is recorded as part of
/// the complaint's thread, so a reply to an update is a follow-up. Each occasion has its own dedupe key: a second run of
/// the same decision (another instance, a retried call) finds it and writes nothing.
/// </remarks>
public sealed partial class CustomerUpdates(
    IMessageTemplates templates,
    MessageSigner signer,
    StatusLinks statusLinks,
    SlaPolicies policies,
    IOptions<MessagesOptions> messagesOptions,
    IOptions<SlaWatchOptions> slaWatchOptions,
    SocialChannels socialChannels,
    ILogger<CustomerUpdates> logger)
{
    /// <param name="db">The caller's context, in its transaction, with <paramref name="complaint"/> locked.</param>
    /// <param name="complaint">The complaint, as it is after the change.</param>
    /// <param name="kind">One of <see cref="MessageKinds.Updates"/>.</param>
    /// <param name="occasion">What makes this update unique for the complaint (a promise version, a baseline instant).</param>
    /// <param name="content">The previous promise, the note.</param>
    /// <param name="now">The time of the change.</param>
    /// <param name="recordSuppression">False to leave a refusal out of the complaint's log (a periodic check that will ask again).</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public async Task<UpdateOutcome> QueueAsync(
        SlaWatchDbContext db,
        Complaint complaint,
        string kind,
        string occasion,
        UpdateContent content,
        DateTimeOffset now,
        bool recordSuppression,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(complaint);
        ArgumentNullException.ThrowIfNull(content);
        var dedupeKey = $"progress:{complaint.Id}:{kind}:{occasion}";
        if (await db.Outbox.AnyAsync(o => o.DedupeKey == dedupeKey, cancellationToken))
        {
            return new UpdateOutcome(null, AlreadyQueued: true, null);
        }

        var decision = await DecideAsync(db, complaint, now, cancellationToken);
        if (!decision.Allowed)
        {
            if (recordSuppression)
            {
                AddEvent(db, complaint.Id, now, ComplaintEventTypes.ProgressSuppressed, $"{kind}: {decision.Reason}");
            }

            LogSuppressed(logger, complaint.Reference, kind, decision.Reason!);
            return new UpdateOutcome(null, AlreadyQueued: false, decision.Reason);
        }

        var options = messagesOptions.Value;
        var inbox = slaWatchOptions.Value.Inboxes.FirstOrDefault(i => i.Name == complaint.Inbox);
        if (inbox is not null && SocialChannels.IsSocial(inbox))
        {
            return await QueueSocialAsync(db, complaint, inbox, kind, dedupeKey, content, now, cancellationToken);
        }

        var fromAddress = inbox?.Address ?? await LastFromAddressAsync(db, complaint, cancellationToken);
        if (fromAddress is null)
        {
            // An inbox removed from the configuration that never wrote to this customer: there is no address to write from.
            AddEvent(db, complaint.Id, now, ComplaintEventTypes.ProgressSuppressed, $"{kind}: the inbox {complaint.Inbox} is not configured");
            return new UpdateOutcome(null, AlreadyQueued: false, "inbox:unknown");
        }

        var rendered = Render(complaint, kind, content, statusLinks.Create(complaint.Reference, now), now, isEmail: true);
        var domain = DomainOf(fromAddress);
        var messageId = $"upd.{complaint.Id}.{signer.Sign("progress:" + dedupeKey)}@{domain}";
        var ackMessageId = await db.Outbox
            .Where(o => o.ComplaintId == complaint.Id && o.Kind == OutboxKinds.Acknowledgement)
            .Select(o => o.MessageId)
            .FirstOrDefaultAsync(cancellationToken);
        string[] references = [.. new[] { complaint.ThreadMessageId, ackMessageId }.OfType<string>()];
        var row = new OutboxMessage
        {
            Kind = OutboxKinds.Progress,
            DedupeKey = dedupeKey,
            ComplaintId = complaint.Id,
            Inbox = complaint.Inbox,
            Channel = OutboxChannels.Email,
            FromAddress = fromAddress,
            FromName = inbox?.DisplayName ?? options.TeamName,
            Recipient = complaint.CustomerAddress,
            Subject = rendered.Subject,
            Body = rendered.Body,
            Language = complaint.Language,
            MessageId = messageId,
            InReplyTo = complaint.ThreadMessageId,
            References = references.Length == 0 ? null : string.Join(' ', references),
            AutoSubmitted = "auto-generated",
            CreatedAt = now,
            // Enqueued by the caller right after commit; if the process dies first, the recovery sweep finds it.
            EnqueuedAt = now,
        };
        db.Outbox.Add(row);
        db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = complaint.Inbox, MessageId = messageId, ComplaintId = complaint.Id, Direction = "out" });
        complaint.LastCustomerMessageAt = now;
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.ProgressQueued, $"{kind} in {complaint.Language}");
        await db.SaveChangesAsync(cancellationToken);
        LogQueued(logger, complaint.Reference, kind, complaint.Language);
        return new UpdateOutcome(row.Id, AlreadyQueued: false, null);
    }

    /// <summary>
    /// An update on a social channel: a reply to the customer's first message on the platform (the sender finds its reply
    /// context: a Mastodon direct message stays direct), cut to the platform's limit with the reference and the status
    /// link kept, the row's Message-ID as the platform's idempotency key.
    /// </summary>
    private async Task<UpdateOutcome> QueueSocialAsync(SlaWatchDbContext db, Complaint complaint, InboxOptions inbox, string kind, string dedupeKey, UpdateContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channel = socialChannels.For(inbox);
        var replyTo = await db.Outbox
            .Where(o => o.ComplaintId == complaint.Id && o.Kind == OutboxKinds.Acknowledgement && o.InReplyTo != null)
            .Select(o => o.InReplyTo)
            .FirstOrDefaultAsync(cancellationToken)
            ?? await db.SocialMessages.Where(m => m.ComplaintId == complaint.Id).OrderBy(m => m.Id).Select(m => m.PlatformId).FirstOrDefaultAsync(cancellationToken);
        var context = replyTo is null
            ? null
            : await db.SocialMessages.Where(m => m.Inbox == inbox.Name && m.PlatformId == replyTo).Select(m => m.ReplyContext).FirstOrDefaultAsync(cancellationToken);
        var statusUrl = statusLinks.Create(complaint.Reference, now);
        var rendered = Render(complaint, kind, content, statusUrl, now, isEmail: false);
        var row = new OutboxMessage
        {
            Kind = OutboxKinds.Progress,
            DedupeKey = dedupeKey,
            ComplaintId = complaint.Id,
            Inbox = inbox.Name,
            Channel = channel.Channel,
            FromAddress = inbox.Name,
            FromName = inbox.DisplayName ?? messagesOptions.Value.TeamName,
            Recipient = complaint.CustomerAddress,
            Subject = rendered.Subject,
            Body = PlatformText.Fit(rendered.Body, channel.MaxReplyLength, complaint.Reference, statusUrl, channel.ReplyPrefix(complaint.CustomerAddress, context)),
            Language = complaint.Language,
            MessageId = $"slawatch-upd-{complaint.Id}-{signer.Sign("progress:" + dedupeKey)}",
            InReplyTo = replyTo,
            AutoSubmitted = "auto-generated",
            CreatedAt = now,
            EnqueuedAt = now,
        };
        db.Outbox.Add(row);
        complaint.LastCustomerMessageAt = now;
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.ProgressQueued, $"{kind} in {complaint.Language} on {channel.Channel}");
        await db.SaveChangesAsync(cancellationToken);
        LogQueued(logger, complaint.Reference, kind, complaint.Language);
        return new UpdateOutcome(row.Id, AlreadyQueued: false, null);
    }

    private RenderedMessage Render(Complaint complaint, string kind, UpdateContent content, string? statusUrl, DateTimeOffset now, bool isEmail)
    {
        var language = LanguageCode.TryParse(complaint.Language, out var code) ? code : LanguageCode.English;
        // A date already passed is not repeated as if it still held (the agent moves it, and the customer hears of that).
        var promiseDueAt = complaint.PromiseDueAt > now ? complaint.PromiseDueAt : null;
        return templates.RenderUpdate(
            language,
            kind,
            new UpdateModel(
                complaint.Reference,
                complaint.CustomerName,
                complaint.Subject,
                messagesOptions.Value.TeamName,
                statusUrl,
                now,
                policies.For(complaint.Inbox).Policy.Calendar.TimeZone,
                promiseDueAt,
                promiseDueAt is null ? null : complaint.PromiseEarliestAt,
                content.PreviousPromiseDueAt,
                content.Note,
                isEmail));
    }

    private async Task<UpdateDecision> DecideAsync(SlaWatchDbContext db, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The mail that opened the complaint: a human message the classifier gave reasons for may not be answered
        // automatically (a null return path, X-Auto-Response-Suppress); that holds for its updates too.
        string? notAutomatic = null;
        if (complaint.ThreadMessageId is { } opening)
        {
            notAutomatic = await db.InboundMessages
                .Where(m => m.Inbox == complaint.Inbox && m.MessageId == opening && m.ComplaintId == complaint.Id && m.Classification == "Human" && m.Reasons != null)
                .Select(m => m.Reasons)
                .FirstOrDefaultAsync(cancellationToken);
        }

        var since = now - TimeSpan.FromDays(1);
        var prior = await db.Outbox
            .Where(o => o.Kind == OutboxKinds.Progress && o.Recipient == complaint.CustomerAddress && o.CreatedAt > since)
            .Select(o => o.CreatedAt)
            .ToListAsync(cancellationToken);
        var social = slaWatchOptions.Value.Inboxes.FirstOrDefault(i => i.Name == complaint.Inbox) is { } inbox && SocialChannels.IsSocial(inbox);
        return ProgressGate.Decide(complaint.CustomerAddress, complaint.CustomerUnreachable, notAutomatic, prior, messagesOptions.Value.MaxUpdatesPerRecipientPerDay, now, recipientIsMailAddress: !social);
    }

    private static Task<string?> LastFromAddressAsync(SlaWatchDbContext db, Complaint complaint, CancellationToken cancellationToken) =>
        db.Outbox.Where(o => o.ComplaintId == complaint.Id && o.Channel == OutboxChannels.Email && o.Recipient == complaint.CustomerAddress)
            .OrderByDescending(o => o.Id)
            .Select(o => o.FromAddress)
            .FirstOrDefaultAsync(cancellationToken);

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 && at < address.Length - 1 ? address[(at + 1)..].ToLowerInvariant() : "slawatch.invalid";
    }

    private static void AddEvent(SlaWatchDbContext db, long complaintId, DateTimeOffset at, string type, string detail) =>
        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaintId, At = at, Type = type, Actor = "slawatch", Detail = detail });

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Complaint {Reference}: {Kind} update to the customer queued in {Language}")]
    private static partial void LogQueued(ILogger logger, string reference, string kind, string language);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Complaint {Reference}: no {Kind} update to the customer: {Reason}")]
    private static partial void LogSuppressed(ILogger logger, string reference, string kind, string reason);
}
