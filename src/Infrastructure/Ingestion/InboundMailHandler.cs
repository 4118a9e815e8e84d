using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Mail;
using SlaWatch.Domain.Outbox;
using SlaWatch.Domain.Escalation;
using SlaWatch.Infrastructure.Complaints;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>
/// Turns one stored inbound message into what it means: a new complaint with its acknowledgement intent, a follow-up
/// on an existing complaint, a bounce of one of our messages, or recorded machine mail. Runs inside the caller's
/// transaction; the caller commits. Every message is recorded; only a new human complaint may be answered.
/// </summary>
public sealed partial class InboundMailHandler(
    MailPreparer preparer,
    IMessageTemplates templates,
    MessageSigner signer,
    StatusLinks statusLinks,
    IOptions<MessagesOptions> messagesOptions,
    IOptions<SlaOptions> slaOptions,
    ComplaintClock clock,
    AlertRaiser raiser,
    SlaWatchMetrics metrics,
    ILogger<InboundMailHandler> logger)
{
    private const int MaxSubjectLength = 998;

    // What a batch mostly consists of, written with COPY and one UPDATE (BulkChangeWriter); complaints first, since the
    // others refer to them. Everything else (acknowledgements, alerts, a reopened complaint) goes through EF.
    private static readonly Type[] BulkInserted = [typeof(Complaint), typeof(ComplaintEvent), typeof(ThreadMessageId)];
    private static readonly Type[] BulkUpdated = [typeof(InboundMessage)];

    // Per batch (the handler is scoped to one batch transaction): what the database held when the batch began, loaded with
    // one query each, plus what this batch has added since. The batch is written with one SaveChanges at its end, so the
    // lookups below answer from these sets instead of asking the database per message.
    private readonly Dictionary<(string Inbox, string MessageId), long> _threadIds = [];
    private readonly HashSet<(string Inbox, string MessageId)> _threadIdsLooked = [];
    private readonly HashSet<string> _knownSha256 = new(StringComparer.Ordinal);
    private readonly HashSet<(string MessageId, string? From)> _knownMessageIds = [];
    private readonly Dictionary<long, Complaint> _opened = [];
    private readonly Queue<(long Number, long Id)> _reserved = new();
    private int _mayOpenLeft;

    /// <summary>
    /// Handles a batch of stored messages (status <see cref="InboundStatus.Fetched"/>) inside the caller's transaction:
    /// parses, classifies and detects languages for the whole batch in parallel, loads what the duplicate and thread
    /// checks need with one query each, handles the messages one after another in UID order and writes the result with
    /// one SaveChanges. A duplicate within the batch, or a follow-up to a complaint opened earlier in it, is recognised
    /// from what the batch itself added. The caller commits.
    /// </summary>
    /// <param name="db">The batch transaction's context.</param>
    /// <param name="rows">The stored messages, in UID order.</param>
    /// <param name="inbox">Their inbox.</param>
    /// <param name="role">Their folder's role.</param>
    /// <param name="now">The batch's detection time.</param>
    /// <param name="preparedEarlier">Messages the watcher already prepared (<see cref="MailPreparer"/>) right after
    /// fetching them, by UID with the SHA-256 of the bytes they were prepared from; the others are prepared here.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    public async Task<List<HandlingOutcome>> HandleBatchAsync(
        SlaWatchDbContext db,
        IReadOnlyList<InboundMessage> rows,
        InboxOptions inbox,
        FolderRole role,
        DateTimeOffset now,
        IReadOnlyDictionary<long, PreparedEntry>? preparedEarlier,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var started = Stopwatch.GetTimestamp();
        var prepared = new PreparedMail[rows.Count];
        var missing = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (preparedEarlier is not null && preparedEarlier.TryGetValue(rows[i].Uid, out var entry) && entry.Sha256.AsSpan().SequenceEqual(rows[i].Sha256))
            {
                prepared[i] = entry.Mail;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var late = preparer.PrepareAll(missing.Select(i => rows[i].Raw).ToList(), inbox, role);
            for (var j = 0; j < missing.Count; j++)
            {
                prepared[missing[j]] = late[j];
            }
        }

        var preparedAt = Stopwatch.GetTimestamp();
        await LoadLookupsAsync(db, rows, prepared, inbox, cancellationToken);
        var lookedUpAt = Stopwatch.GetTimestamp();
        _mayOpenLeft = prepared.Count(p => p.MayOpenComplaint);
        var outcomes = new List<HandlingOutcome>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            outcomes.Add(await HandleAsync(db, row, prepared[i], inbox, role, now, cancellationToken));
            if (prepared[i].MayOpenComplaint)
            {
                _mayOpenLeft--;
            }

            // What the duplicate check of a later message in this batch must see (IsDuplicate).
            _knownSha256.Add(Convert.ToHexString(row.Sha256));
            if (row.MessageId is not null && row.Status is InboundStatus.Processed or InboundStatus.Duplicate)
            {
                _knownMessageIds.Add((row.MessageId, row.FromAddress));
            }
        }

        var handledAt = Stopwatch.GetTimestamp();
        await BulkChangeWriter.SaveAsync(db, BulkInserted, BulkUpdated, cancellationToken);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var prepareMs = Stopwatch.GetElapsedTime(started, preparedAt).TotalMilliseconds;
            var lookupMs = Stopwatch.GetElapsedTime(preparedAt, lookedUpAt).TotalMilliseconds;
            var handleMs = Stopwatch.GetElapsedTime(lookedUpAt, handledAt).TotalMilliseconds;
            var saveMs = Stopwatch.GetElapsedTime(handledAt).TotalMilliseconds;
            LogBatchTimings(logger, inbox.Name, rows.Count, missing.Count, prepareMs, lookupMs, handleMs, saveMs);
        }

        return outcomes;
    }

    /// <summary>The batch's duplicate and thread lookups: one query each, over every message of the batch.</summary>
    private async Task LoadLookupsAsync(SlaWatchDbContext db, IReadOnlyList<InboundMessage> rows, PreparedMail[] prepared, InboxOptions inbox, CancellationToken cancellationToken)
    {
        // Each lookup probes the index once per value (LATERAL … OFFSET 0 keeps the planner from joining another way).
        // A mailbox read for the first time fills inbound_messages faster than autovacuum analyses it; without
        // statistics the planner had matched the batch by reading the whole inbox, more of it each batch (benchmark B1).
        var shas = rows.Select(r => r.Sha256).ToArray();
        var known = await db.Database.SqlQuery<byte[]>(
                $"""
                SELECT h.sha256 AS "Value" FROM unnest({shas}) AS h(sha256)
                CROSS JOIN LATERAL (SELECT 1 FROM inbound_messages AS i
                                    WHERE i.inbox = {inbox.Name} AND i.sha256 = h.sha256 AND i.status <> 'Fetched' OFFSET 0) AS i
                """)
            .ToListAsync(cancellationToken);
        _knownSha256.UnionWith(known.Select(Convert.ToHexString));

        var messageIds = prepared.Select(p => p.Facts?.MessageId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (messageIds.Length > 0)
        {
            var seen = await db.Database.SqlQuery<SeenMessage>(
                    $"""
                    SELECT i.message_id, i.from_address FROM unnest({messageIds}) AS h(message_id)
                    CROSS JOIN LATERAL (SELECT i.message_id, i.from_address FROM inbound_messages AS i
                                        WHERE i.inbox = {inbox.Name} AND i.message_id = h.message_id
                                              AND i.status IN ('Processed', 'Duplicate') OFFSET 0) AS i
                    """)
                .ToListAsync(cancellationToken);
            _knownMessageIds.UnionWith(seen.Select(m => (m.MessageId, m.FromAddress)));
        }

        var threadIds = prepared
            .Where(p => p.Facts is not null)
            .SelectMany(p => p.Facts!.References.Append(p.Facts.InReplyTo).Append(p.Facts.MessageId))
            .OfType<string>()
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (threadIds.Count > 0)
        {
            var existing = await db.Database.SqlQuery<KnownThreadId>(
                    $"""
                    SELECT t.message_id, t.complaint_id FROM unnest({threadIds.ToArray()}) AS h(message_id)
                    CROSS JOIN LATERAL (SELECT t.message_id, t.complaint_id FROM thread_message_ids AS t
                                        WHERE t.inbox = {inbox.Name} AND t.message_id = h.message_id OFFSET 0) AS t
                    """)
                .ToListAsync(cancellationToken);
            foreach (var thread in existing)
            {
                _threadIds[(inbox.Name, thread.MessageId)] = thread.ComplaintId;
            }

            _threadIdsLooked.UnionWith(threadIds.Select(id => (inbox.Name, id)));
        }
    }

    private async Task<HandlingOutcome> HandleAsync(SlaWatchDbContext db, InboundMessage row, PreparedMail prepared, InboxOptions inbox, FolderRole role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (prepared.Facts is null)
        {
            row.Status = InboundStatus.Quarantined;
            row.LastError = Truncate(prepared.Error ?? "unparseable", 2000);
            row.ProcessedAt = now;
            LogQuarantined(logger, inbox.Name, row.Uid, row.LastError);
            return HandlingOutcome.Quarantine(row.Uid);
        }

        var facts = prepared.Facts;
        if (role == FolderRole.Sent || prepared.Verdict is null)
        {
            return await HandleSentAsync(db, row, inbox, facts, now, cancellationToken);
        }

        var verdict = prepared.Verdict;
        row.MessageId = facts.MessageId;
        row.FromAddress = facts.From;
        row.Subject = facts.Subject is null ? null : Truncate(StripNul(facts.Subject), MaxSubjectLength);
        row.Classification = verdict.Kind.ToString();
        row.Reasons = verdict.Reasons.Count == 0 ? null : Truncate(string.Join(' ', verdict.Reasons), 1000);
        row.ProcessedAt = now;
        row.Status = InboundStatus.Processed;

        if (verdict.Kind == MailKind.Bounce)
        {
            await RecordBounceAsync(db, row, facts, now, cancellationToken);
            LogMachineMail(logger, inbox.Name, row.Uid, verdict.Kind, row.Reasons);
            return HandlingOutcome.Recorded(row.Uid);
        }

        if (IsDuplicate(row))
        {
            row.Status = InboundStatus.Duplicate;
            LogDuplicate(logger, inbox.Name, row.Uid, row.MessageId);
            return HandlingOutcome.Recorded(row.Uid);
        }

        var thread = await FindThreadAsync(db, inbox, facts, cancellationToken);
        if (verdict.Kind == MailKind.OwnMail && thread is not null && IsStaff(inbox, facts.From))
        {
            // A colleague answered from a staff address and the copy reached the support inbox: that is a response.
            row.ComplaintId = thread.Id;
            return await RecordStaffReplyAsync(db, row, thread, facts.From!, now, cancellationToken);
        }

        if (!verdict.IsHuman)
        {
            if (thread is not null)
            {
                row.ComplaintId = thread.Id;
                AddEvent(db, thread.Id, now, ComplaintEventTypes.AutomaticReplyReceived, "customer", row.Classification);
            }

            LogMachineMail(logger, inbox.Name, row.Uid, verdict.Kind, row.Reasons);
            return HandlingOutcome.Recorded(row.Uid);
        }

        if (thread is not null && !IsPastReopenWindow(thread, now))
        {
            await RecordFollowUpAsync(db, row, inbox, facts, thread, now, cancellationToken);
            var escalation = await EscalateByContentAsync(db, thread, prepared.Flags, now, cancellationToken);
            return new HandlingOutcome(row.Uid, false, escalation, NewDeadline: thread.Status == ComplaintStatus.Open);
        }

        if (facts.From is null)
        {
            row.Status = InboundStatus.Quarantined;
            row.LastError = "no usable From address: cannot open a complaint";
            LogQuarantined(logger, inbox.Name, row.Uid, row.LastError);
            return HandlingOutcome.Quarantine(row.Uid);
        }

        var complaint = await OpenComplaintAsync(db, row, inbox, facts, prepared.Language ?? preparer.DetectLanguage(inbox, facts), now, cancellationToken);
        var outbox = new List<long>();
        if (await QueueAcknowledgementAsync(db, row, inbox, facts, verdict, complaint, now, cancellationToken) is { } ackId)
        {
            outbox.Add(ackId);
        }

        clock.Refresh(complaint, []);
        outbox.AddRange(await EscalateByContentAsync(db, complaint, prepared.Flags, now, cancellationToken));
        return new HandlingOutcome(row.Uid, false, outbox, NewDeadline: true);
    }

    /// <summary>
    /// Mail in the Sent folder: a person's reply threaded to a complaint stops its first-response clock. SlaWatch's own
    /// messages (acknowledgements, alerts, updates) never count.
    /// </summary>
    private async Task<HandlingOutcome> HandleSentAsync(SlaWatchDbContext db, InboundMessage row, InboxOptions inbox, InboundMailFacts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row.MessageId = facts.MessageId;
        row.FromAddress = facts.From;
        row.Subject = facts.Subject is null ? null : Truncate(StripNul(facts.Subject), MaxSubjectLength);
        row.ProcessedAt = now;
        row.Status = InboundStatus.Processed;
        var ours = facts.MessageId is not null && await db.Outbox.AnyAsync(o => o.MessageId == facts.MessageId, cancellationToken);
        var automatic = facts.Headers.TryGetValue("auto-submitted", out var values) && values.Any(v => !v.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase));
        if (ours || automatic)
        {
            row.Classification = MailKind.OwnMail.ToString();
            row.Reasons = ours ? "sent-by-slawatch" : "auto-submitted";
            return HandlingOutcome.Recorded(row.Uid);
        }

        row.Classification = "StaffReply";
        var thread = await FindThreadAsync(db, inbox, facts, cancellationToken, fromStaffTo: facts.To.Concat(facts.Cc).ToList());
        if (thread is null)
        {
            row.Reasons = "not threaded to a complaint";
            return HandlingOutcome.Recorded(row.Uid);
        }

        row.ComplaintId = thread.Id;
        // The Sent copy's INTERNALDATE is when the reply was saved, i.e. sent.
        return await RecordStaffReplyAsync(db, row, thread, facts.From ?? inbox.Address, row.InternalDate, cancellationToken);
    }

    private async Task<HandlingOutcome> RecordStaffReplyAsync(SlaWatchDbContext db, InboundMessage row, Complaint complaint, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!await AddThreadIdAsync(db, complaint.Inbox, row.MessageId, complaint.Id, "out", cancellationToken))
        {
            // Already recorded from another copy of the same reply (the Sent folder and a copy to the support inbox).
            row.Reasons = "this reply was already recorded";
            return HandlingOutcome.Recorded(row.Uid);
        }

        var alerts = await db.Alerts.Where(a => a.ComplaintId == complaint.Id).ToListAsync(cancellationToken);
        if (ComplaintCommands.RecordStaffMessage(db, clock, complaint, alerts, at, staff, "by email", metrics))
        {
            LogStaffReply(logger, complaint.Reference, staff, (at - complaint.ReceivedAt).TotalSeconds);
        }

        return HandlingOutcome.Recorded(row.Uid);
    }

    private static bool IsStaff(InboxOptions inbox, string? address) =>
        address is not null && inbox.StaffAddresses.Any(s => string.Equals(s.Trim(), address, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A request for the boss, abuse or a legal threat escalates at once, whatever the clock, and flags the complaint
    /// "call the customer" (the seeds: honour a request for the boss; bring in the boss when it turns abusive or risks
    /// a lawsuit; take heated conversations off email).
    /// </summary>
    private async Task<List<long>> EscalateByContentAsync(SlaWatchDbContext db, Complaint complaint, IReadOnlySet<ContentFlag> flags, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (flags.Count == 0)
        {
            return [];
        }

        var reason = string.Join(", ", flags.Select(Describe));
        complaint.CallCustomer = true;
        complaint.ContentFlags = string.Join(' ', flags.Select(f => f.ToString()).Order());
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.EscalatedByContent, "slawatch", reason + " — call the customer");
        await db.SaveChangesAsync(cancellationToken);
        LogEscalatedByContent(logger, complaint.Reference, reason);
        return await raiser.RaiseContentAsync(db, complaint, reason, now, cancellationToken);
    }

    private static string Describe(ContentFlag flag) => flag switch
    {
        ContentFlag.ManagerRequest => "asks for a manager",
        ContentFlag.Abuse => "abusive language",
        ContentFlag.LegalThreat => "mentions legal action",
        _ => flag.ToString(),
    };

    internal static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 && at < address.Length - 1 ? address[(at + 1)..].ToLowerInvariant() : "slawatch.invalid";
    }

    /// <summary>
    /// The same message seen again (delivered twice, or re-listed after a UIDVALIDITY change): the same bytes in any state
    /// but <see cref="InboundStatus.Fetched"/>, or the same Message-ID from the same sender, processed or a duplicate —
    /// in the database when the batch began (<see cref="LoadLookupsAsync"/>) or earlier in this batch.
    /// </summary>
    private bool IsDuplicate(InboundMessage row) =>
        _knownSha256.Contains(Convert.ToHexString(row.Sha256))
        // A Message-ID is only trusted together with its sender: anyone can reuse an id.
        || (row.MessageId is not null && _knownMessageIds.Contains((row.MessageId, row.FromAddress)));

    /// <summary>
    /// The complaint a message belongs to: by In-Reply-To/References, else by the reference in the subject — accepted
    /// only from the complaint's own customer, or, for staff replies (<paramref name="fromStaffTo"/>), only when sent to them.
    /// </summary>
    private async Task<Complaint?> FindThreadAsync(SlaWatchDbContext db, InboxOptions inbox, InboundMailFacts facts, CancellationToken cancellationToken, IReadOnlyList<string>? fromStaffTo = null)
    {
        var ids = new List<string>();
        if (facts.InReplyTo is not null)
        {
            ids.Add(facts.InReplyTo);
        }

        ids.AddRange(facts.References);
        if (ids.Count > 0)
        {
            // The newest complaint any of the ids belongs to, from the batch's lookup (ids outside it are asked for).
            long? complaintId = null;
            foreach (var id in ids)
            {
                if (_threadIds.TryGetValue((inbox.Name, id), out var known) && (complaintId is null || known > complaintId))
                {
                    complaintId = known;
                }
            }

            var unknown = ids.Where(id => !_threadIdsLooked.Contains((inbox.Name, id))).ToList();
            if (unknown.Count > 0)
            {
                var found = await db.ThreadMessageIds
                    .Where(t => t.Inbox == inbox.Name && unknown.Contains(t.MessageId))
                    .OrderByDescending(t => t.ComplaintId)
                    .Select(t => (long?)t.ComplaintId)
                    .FirstOrDefaultAsync(cancellationToken);
                if (found is not null && (complaintId is null || found > complaintId))
                {
                    complaintId = found;
                }
            }

            if (complaintId is { } threadId)
            {
                // Opened earlier in this batch: not written yet, but tracked.
                return _opened.TryGetValue(threadId, out var opened)
                    ? opened
                    : await db.Complaints.SingleAsync(c => c.Id == threadId, cancellationToken);
            }
        }

        // The reference in the subject is accepted only from the complaint's own customer (PRODUCT.md, flow step 2).
        var references = ComplaintReference.FindAll(facts.Subject);
        if (references.Count == 0)
        {
            return null;
        }

        // The complaint may have been opened earlier in this batch: write what the batch has so far before asking.
        await db.SaveChangesAsync(cancellationToken);

        if (fromStaffTo is not null)
        {
            return await db.Complaints
                .Where(c => c.Inbox == inbox.Name && references.Contains(c.Reference) && fromStaffTo.Contains(c.CustomerAddress))
                .OrderByDescending(c => c.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (facts.From is null)
        {
            return null;
        }

        return await db.Complaints
            .Where(c => c.Inbox == inbox.Name && references.Contains(c.Reference) && c.CustomerAddress == facts.From)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private bool IsPastReopenWindow(Complaint complaint, DateTimeOffset now) =>
        complaint.Status == ComplaintStatus.Resolved
        && complaint.ResolvedAt is { } resolvedAt
        && now - resolvedAt > messagesOptions.Value.ReopenWindow;

    private async Task RecordFollowUpAsync(SlaWatchDbContext db, InboundMessage row, InboxOptions inbox, InboundMailFacts facts, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row.ComplaintId = complaint.Id;
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.FollowUpReceived, "customer", null);
        if (complaint.Status == ComplaintStatus.Resolved)
        {
            complaint.Status = ComplaintStatus.Open;
            complaint.ResolvedAt = null;
            AddEvent(db, complaint.Id, now, ComplaintEventTypes.Reopened, "customer", "follow-up within the reopen window");
        }

        await AddThreadIdAsync(db, inbox.Name, facts.MessageId, complaint.Id, "in", cancellationToken);
        LogFollowUp(logger, inbox.Name, row.Uid, complaint.Reference);
    }

    private async Task<Complaint> OpenComplaintAsync(SlaWatchDbContext db, InboundMessage row, InboxOptions inbox, InboundMailFacts facts, LanguageCode language, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (number, id) = await ReserveAsync(db, cancellationToken);
        var complaint = new Complaint
        {
            // The id is taken from the table's own identity sequence, so the batch's rows can refer to the complaint
            // before it is written, and the whole batch goes out in one SaveChanges.
            Id = id,
            Reference = ComplaintReference.Format(row.InternalDate.UtcDateTime.Year, number),
            Channel = "Imap",
            Inbox = inbox.Name,
            CustomerAddress = facts.From!,
            CustomerName = facts.FromName is null ? null : Truncate(StripNul(facts.FromName), 200),
            Subject = Truncate(StripNul(facts.Subject ?? string.Empty), MaxSubjectLength),
            Language = language.Value,
            ReceivedAt = row.InternalDate,
            DetectedAt = now,
            ThreadMessageId = facts.MessageId,
        };
        db.Complaints.Add(complaint);
        _opened[complaint.Id] = complaint;

        row.ComplaintId = complaint.Id;
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.Received, "customer", $"via {inbox.Name}, language {language.Value}");
        await AddThreadIdAsync(db, inbox.Name, facts.MessageId, complaint.Id, "in", cancellationToken);
        metrics.ComplaintReceived(complaint);
        LogComplaintOpened(logger, complaint.Reference, inbox.Name, language.Value, (now - row.InternalDate).TotalMilliseconds);
        return complaint;
    }

    /// <summary>
    /// A reference number and a complaint id. Reserved for the rest of the batch at the first need, in one round trip:
    /// a message that then turns out to be a duplicate or a follow-up leaves a gap in the numbers, as a rolled-back
    /// transaction always could.
    /// </summary>
    private async Task<(long Number, long Id)> ReserveAsync(SlaWatchDbContext db, CancellationToken cancellationToken)
    {
        if (_reserved.Count == 0)
        {
            var count = Math.Max(1, _mayOpenLeft);
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "SELECT nextval('complaint_reference_seq'), nextval(pg_get_serial_sequence('complaints', 'id')) FROM generate_series(1, @count)";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "count";
            parameter.Value = count;
            command.Parameters.Add(parameter);
            var reserved = new List<(long Number, long Id)>(count);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    reserved.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }

            foreach (var pair in reserved.OrderBy(p => p.Number))
            {
                _reserved.Enqueue(pair);
            }
        }

        return _reserved.Dequeue();
    }

    private async Task<long?> QueueAcknowledgementAsync(SlaWatchDbContext db, InboundMessage row, InboxOptions inbox, InboundMailFacts facts, MailVerdict verdict, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = messagesOptions.Value;
        var refusal = await AcknowledgementRefusalAsync(db, row, facts, verdict, complaint, now, cancellationToken);
        if (refusal is not null)
        {
            AddEvent(db, complaint.Id, now, ComplaintEventTypes.AcknowledgementSuppressed, "slawatch", refusal);
            LogAckSuppressed(logger, complaint.Reference, refusal);
            return null;
        }

        var rendered = templates.RenderAcknowledgement(
            LanguageCode.Parse(complaint.Language),
            new AcknowledgementModel(
                complaint.Reference,
                complaint.CustomerName,
                complaint.Subject,
                SlaOptions.FirstResponseFor(inbox, slaOptions.Value),
                options.TeamName,
                StatusUrl: statusLinks.Create(complaint.Reference, now)));
        var messageId = signer.AcknowledgementMessageId(complaint.Id, DomainOf(inbox.Address));
        var references = facts.References.Concat(facts.MessageId is null ? [] : [facts.MessageId]).Distinct().TakeLast(20);
        var outbox = new OutboxMessage
        {
            Kind = OutboxKinds.Acknowledgement,
            DedupeKey = $"ack:{complaint.Id}",
            ComplaintId = complaint.Id,
            Inbox = inbox.Name,
            Channel = OutboxChannels.Email,
            FromAddress = inbox.Address,
            FromName = inbox.DisplayName ?? options.TeamName,
            Recipient = complaint.CustomerAddress,
            Subject = rendered.Subject,
            Body = rendered.Body,
            Language = complaint.Language,
            MessageId = messageId,
            InReplyTo = facts.MessageId,
            References = string.Join(' ', references),
            AutoSubmitted = "auto-replied",
            CreatedAt = now,
            ExpiresAt = complaint.ReceivedAt + options.MaxAckAge,
            // Enqueued by the caller right after commit; if the process dies first, the recovery sweep finds it.
            EnqueuedAt = now,
        };
        db.Outbox.Add(outbox);
        complaint.LastCustomerMessageAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await AddThreadIdAsync(db, inbox.Name, messageId, complaint.Id, "out", cancellationToken);
        AddEvent(db, complaint.Id, now, ComplaintEventTypes.AcknowledgementQueued, "slawatch", $"in {complaint.Language}");
        return outbox.Id;
    }

    private async Task<string?> AcknowledgementRefusalAsync(SlaWatchDbContext db, InboundMessage row, InboundMailFacts facts, MailVerdict verdict, Complaint complaint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!verdict.MayAcknowledge)
        {
            return "not to be answered automatically: " + string.Join(' ', verdict.Reasons);
        }

        // EMAIL.md A14: old mail (a backlog, an outage catch-up) is recorded but not answered; late is worse than never.
        if (now - row.InternalDate > messagesOptions.Value.MaxAckAge)
        {
            return "arrived longer ago than SlaWatch:Messages:MaxAckAge";
        }

        // EMAIL.md A16: exactly one syntactically valid recipient.
        if (!MimeKit.MailboxAddress.TryParse(complaint.CustomerAddress, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return "the sender's address is not valid";
        }

        var since = now - TimeSpan.FromDays(1);
        var prior = await db.Outbox
            .Where(o => o.Kind == OutboxKinds.Acknowledgement && o.Recipient == complaint.CustomerAddress && o.CreatedAt > since
                        && o.Status != OutboxStatus.Dropped && o.Status != OutboxStatus.Failed)
            .Select(o => new PriorAcknowledgement(o.CreatedAt, o.Subject))
            .ToListAsync(cancellationToken);
        var options = messagesOptions.Value;
        var decision = AcknowledgementGate.Decide(
            complaint.CustomerAddress,
            facts.Subject,
            prior,
            new AckLimits(options.MaxAcksPerSenderPerHour, options.MaxAcksPerSenderPerDay),
            now);
        return decision.Allowed ? null : decision.Reason;
    }

    private async Task RecordBounceAsync(SlaWatchDbContext db, InboundMessage row, InboundMailFacts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = facts.EmbeddedMessageIds
            .Concat(facts.References)
            .Concat(facts.InReplyTo is null ? [] : [facts.InReplyTo])
            .Distinct()
            .ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var bounced = await db.Outbox.Where(o => candidates.Contains(o.MessageId)).ToListAsync(cancellationToken);
        foreach (var message in bounced)
        {
            message.Status = OutboxStatus.Undeliverable;
            message.LastError = "bounced: " + (row.Subject ?? "delivery status notification");
            if (message.ComplaintId is { } complaintId)
            {
                row.ComplaintId = complaintId;
                var complaint = await db.Complaints.SingleAsync(c => c.Id == complaintId, cancellationToken);
                complaint.CustomerUnreachable = true;
                AddEvent(db, complaintId, now, ComplaintEventTypes.AcknowledgementUndeliverable, "slawatch", "the customer's mail server returned the acknowledgement");
            }

            LogBounceMatched(logger, message.Id, message.Recipient);
        }
    }

    /// <summary>Records a message id of the complaint's thread; false when it was recorded before (true for no id: nothing to tell).</summary>
    private async Task<bool> AddThreadIdAsync(SlaWatchDbContext db, string inbox, string? messageId, long complaintId, string direction, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(messageId))
        {
            return true;
        }

        // Known from the batch's lookup or added earlier in this batch (not in the database yet); only an id outside the
        // lookup (an acknowledgement's own Message-ID) is asked for.
        if (_threadIds.ContainsKey((inbox, messageId))
            || (!_threadIdsLooked.Contains((inbox, messageId))
                && await db.ThreadMessageIds.AnyAsync(t => t.Inbox == inbox && t.MessageId == messageId, cancellationToken)))
        {
            return false;
        }

        _threadIds[(inbox, messageId)] = complaintId;
        db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = inbox, MessageId = messageId, ComplaintId = complaintId, Direction = direction });
        return true;
    }

    private static void AddEvent(SlaWatchDbContext db, long complaintId, DateTimeOffset at, string type, string actor, string? detail) =>
        db.ComplaintEvents.Add(new ComplaintEvent { ComplaintId = complaintId, At = at, Type = type, Actor = actor, Detail = detail });

    private static string StripNul(string text) => text.Replace("\0", string.Empty, StringComparison.Ordinal);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(EventId = 1109, Level = LogLevel.Debug, Message = "Inbox {Inbox}: handled a batch of {Count}: parse, classify and detect {Prepared} of them {PrepareMs:F0} ms, lookups {LookupMs:F0} ms, handle {HandleMs:F0} ms, write {SaveMs:F0} ms")]
    private static partial void LogBatchTimings(ILogger logger, string inbox, int count, int prepared, double prepareMs, double lookupMs, double handleMs, double saveMs);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Complaint {Reference} opened from inbox {Inbox} in {Language}, {DelayMs:F0} ms after it arrived")]
    private static partial void LogComplaintOpened(ILogger logger, string reference, string inbox, string language, double delayMs);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Follow-up in inbox {Inbox} (UID {Uid}) attached to complaint {Reference}; no new acknowledgement")]
    private static partial void LogFollowUp(ILogger logger, string inbox, long uid, string reference);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Machine mail in inbox {Inbox} (UID {Uid}) recorded as {Kind} ({Reasons}); not answered")]
    private static partial void LogMachineMail(ILogger logger, string inbox, long uid, MailKind kind, string? reasons);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Message in inbox {Inbox} (UID {Uid}, Message-ID {MessageId}) is a copy of one already processed; recorded as duplicate")]
    private static partial void LogDuplicate(ILogger logger, string inbox, long uid, string? messageId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Message in inbox {Inbox} (UID {Uid}) quarantined for a person to look at: {Error}. Its raw bytes are kept.")]
    private static partial void LogQuarantined(ILogger logger, string inbox, long uid, string error);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "No acknowledgement for complaint {Reference}: {Reason}")]
    private static partial void LogAckSuppressed(ILogger logger, string reference, string reason);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "Complaint {Reference}: first response by {Staff}, {Seconds:F0} s after it arrived; the first-response clock stopped")]
    private static partial void LogStaffReply(ILogger logger, string reference, string staff, double seconds);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Complaint {Reference} escalated at once: {Reason}; flagged 'call the customer'")]
    private static partial void LogEscalatedByContent(ILogger logger, string reference, string reason);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Outbound message {OutboxId} to {Recipient} bounced; marked undeliverable")]
    private static partial void LogBounceMatched(ILogger logger, long outboxId, string recipient);

    /// <summary>A message already processed in this inbox, as the batch's duplicate lookup reads it.</summary>
    private sealed record SeenMessage(string MessageId, string? FromAddress);

    /// <summary>A thread Message-ID already known, and its complaint.</summary>
    private sealed record KnownThreadId(string MessageId, long ComplaintId);

}
