using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;
using SlaWatch.Domain.Sla;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Complaints;

/// <summary>Where a complaint stands against its clocks at one moment; see <see cref="ComplaintSituation.Of"/>.</summary>
public static class ComplaintStates
{
    public const string Closed = "closed";
    public const string OnTime = "on-time";
    public const string AtRisk = "at-risk";
    public const string Breached = "breached";
}

/// <summary>
/// A complaint's state at <c>now</c> and the deadline that decides it (the most urgent open one).
/// </summary>
/// <param name="State">A <see cref="ComplaintStates"/> value.</param>
/// <param name="Deadline"><c>FirstResponse</c> or <c>Promise</c>; null when no deadline is open.</param>
/// <param name="DueAt">When that deadline is (was) due.</param>
/// <param name="AtRiskAt">Its first at-risk point, when the policy has one.</param>
public sealed record ComplaintSituation(string State, string? Deadline, DateTimeOffset? DueAt, DateTimeOffset? AtRiskAt)
{
    /// <summary>
    /// The state of a complaint at <paramref name="now"/>. Open deadlines are the first response (until a person answers)
    /// and the current promise (until the complaint is resolved). <c>breached</c>: an open deadline's due time has passed.
    /// <c>at-risk</c>: not breached, and an open deadline has reached its first at-risk point — the point the inbox's
    /// SLA policy computes (<c>SlaWatch:Sla:AtRisk</c>, <c>PromiseAtRiskLead</c>, business hours included) — or an at-risk
    /// alert was already raised for it. <c>on-time</c>: an open deadline, neither. <c>closed</c>: resolved, or nothing open.
    /// </summary>
    public static ComplaintSituation Of(Complaint complaint, IReadOnlyList<Deadline> openDeadlines, IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        ArgumentNullException.ThrowIfNull(openDeadlines);
        ArgumentNullException.ThrowIfNull(alerts);
        if (complaint.Status == ComplaintStatus.Resolved || openDeadlines.Count == 0)
        {
            return new ComplaintSituation(ComplaintStates.Closed, null, null, null);
        }

        var alertList = alerts as IReadOnlyCollection<Alert> ?? alerts.ToList();
        var byDue = openDeadlines.OrderBy(d => d.DueAt).ToList();
        var breached = byDue.FirstOrDefault(d => d.DueAt <= now);
        if (breached is not null)
        {
            return Make(ComplaintStates.Breached, breached);
        }

        var atRisk = byDue.FirstOrDefault(d =>
            (d.AtRiskAt.Count > 0 && d.AtRiskAt[0] <= now)
            || alertList.Any(a => a.Stage == "AtRisk" && a.Deadline == ComplaintClock.DeadlineName(d.Kind) && a.DeadlineVersion == d.Version));
        return atRisk is not null ? Make(ComplaintStates.AtRisk, atRisk) : Make(ComplaintStates.OnTime, byDue[0]);
    }

    private static ComplaintSituation Make(string state, Deadline deadline) =>
        new(state, ComplaintClock.DeadlineName(deadline.Kind), deadline.DueAt, deadline.AtRiskAt.Count > 0 ? deadline.AtRiskAt[0] : null);
}

/// <summary>A position in the list order (received_at, id): the list goes on after it.</summary>
public sealed record ComplaintCursor(DateTimeOffset ReceivedAt, long Id)
{
    /// <summary>Opaque to clients: base64url of the UTC ticks and the id.</summary>
    public string Encode() =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{ReceivedAt.UtcTicks}:{Id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out ComplaintCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(bytes[..written]).Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new ComplaintCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}

/// <summary>The list filters, already checked by the caller (null: no filter).</summary>
/// <param name="Open">True: not resolved; false: resolved.</param>
/// <param name="State"><see cref="ComplaintStates.AtRisk"/> or <see cref="ComplaintStates.Breached"/>.</param>
/// <param name="Inbox">The inbox name.</param>
/// <param name="Language">The ISO 639-1 code, lower case.</param>
/// <param name="Limit">Page size, 1 to <see cref="ComplaintQueries.MaxLimit"/>.</param>
/// <param name="After">Where the previous page ended.</param>
public sealed record ComplaintListQuery(bool? Open, string? State, string? Inbox, string? Language, int Limit, ComplaintCursor? After);

public sealed record ComplaintListItem(Complaint Complaint, ComplaintSituation Situation);

public sealed record ComplaintPage(IReadOnlyList<ComplaintListItem> Items, ComplaintCursor? Next);

/// <summary>A complaint with its whole timeline: events in order, alerts, and the messages sent to the customer.</summary>
public sealed record ComplaintDetail(Complaint Complaint, ComplaintSituation Situation, IReadOnlyList<ComplaintEvent> Events, IReadOnlyList<Alert> Alerts, IReadOnlyList<OutboxMessage> CustomerMessages);

/// <summary>One line of the supervisor board: an open complaint at risk, breached, or flagged "call the customer".</summary>
public sealed record BoardRow(Complaint Complaint, ComplaintSituation Situation, IReadOnlyList<Alert> Alerts);

/// <summary>
/// The read side of the API and the board. Lists in a stable order — oldest received first, then by id — with a keyset
/// cursor, so new complaints never shift a page already read.
/// </summary>
public sealed class ComplaintQueries(SlaWatchDbContext db, ComplaintClock clock)
{
    public const int MaxLimit = 200;

    // A state filter is decided per complaint in memory (business hours cannot be expressed in SQL): read this many
    // candidates at a time until the page is full.
    private const int StateBatch = 500;

    public async Task<ComplaintPage> ListAsync(ComplaintListQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var filtered = Filter(query, now);
        var after = query.After;
        var found = new List<ComplaintListItem>(limit + 1);
        var batchSize = query.State is null ? limit + 1 : StateBatch;
        while (found.Count <= limit)
        {
            var batch = await After(filtered, after).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var alerts = await AlertsOfAsync(batch.Select(c => c.Id).ToList(), cancellationToken);
            foreach (var complaint in batch)
            {
                var situation = SituationOf(complaint, alerts[complaint.Id], now);
                if (query.State is null || situation.State == query.State)
                {
                    found.Add(new ComplaintListItem(complaint, situation));
                    if (found.Count > limit)
                    {
                        break;
                    }
                }
            }

            if (batch.Count < batchSize)
            {
                break;
            }

            after = new ComplaintCursor(batch[^1].ReceivedAt, batch[^1].Id);
        }

        if (found.Count <= limit)
        {
            return new ComplaintPage(found, null);
        }

        var page = found.Take(limit).ToList();
        return new ComplaintPage(page, new ComplaintCursor(page[^1].Complaint.ReceivedAt, page[^1].Complaint.Id));
    }

    public async Task<ComplaintDetail?> GetAsync(string reference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var complaint = await db.Complaints.AsNoTracking().SingleOrDefaultAsync(c => c.Reference == reference, cancellationToken);
        if (complaint is null)
        {
            return null;
        }

        var events = await db.ComplaintEvents.AsNoTracking().Where(e => e.ComplaintId == complaint.Id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.ComplaintId == complaint.Id).OrderBy(a => a.RecordedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        // What reached (or was meant to reach) the customer; alerts to supervisors are in the alerts.
        var messages = (await db.Outbox.AsNoTracking()
            .Where(o => o.ComplaintId == complaint.Id && o.Channel == OutboxChannels.Email)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken))
            .Where(o => string.Equals(o.Recipient, complaint.CustomerAddress, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return new ComplaintDetail(complaint, SituationOf(complaint, alerts, now), events, alerts, messages);
    }

    /// <summary>
    /// Open complaints that are breached, at risk, or flagged "call the customer": breached first, then at risk, then the
    /// rest; within each, the most urgent due time first.
    /// </summary>
    public async Task<IReadOnlyList<BoardRow>> BoardAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = await db.Complaints.AsNoTracking()
            .Where(c => c.Status != ComplaintStatus.Resolved && (c.RespondedAt == null || c.PromiseDueAt != null || c.CallCustomer))
            .OrderBy(c => c.ReceivedAt).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var alerts = await AlertsOfAsync(candidates.Select(c => c.Id).ToList(), cancellationToken);
        return candidates
            .Select(c => new BoardRow(c, SituationOf(c, alerts[c.Id], now), alerts[c.Id].OrderBy(a => a.RecordedAt).ThenBy(a => a.Id).ToList()))
            .Where(r => r.Situation.State is ComplaintStates.Breached or ComplaintStates.AtRisk || r.Complaint.CallCustomer)
            .OrderBy(r => Rank(r.Situation.State))
            .ThenBy(r => r.Situation.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(r => r.Complaint.Id)
            .ToList();
    }

    private ComplaintSituation SituationOf(Complaint complaint, IEnumerable<Alert> alerts, DateTimeOffset now) =>
        ComplaintSituation.Of(complaint, clock.OpenDeadlines(complaint), alerts, now);

    private static int Rank(string state) => state switch
    {
        ComplaintStates.Breached => 0,
        ComplaintStates.AtRisk => 1,
        _ => 2,
    };

    private IQueryable<Complaint> Filter(ComplaintListQuery query, DateTimeOffset now)
    {
        var complaints = db.Complaints.AsNoTracking();
        if (query.Open is { } open)
        {
            complaints = open ? complaints.Where(c => c.Status != ComplaintStatus.Resolved) : complaints.Where(c => c.Status == ComplaintStatus.Resolved);
        }

        if (query.Inbox is { } inbox)
        {
            complaints = complaints.Where(c => c.Inbox == inbox);
        }

        if (query.Language is { } language)
        {
            complaints = complaints.Where(c => c.Language == language);
        }

        if (query.State is not null)
        {
            // Only complaints with an open deadline can be at risk or breached.
            complaints = complaints.Where(c => c.Status != ComplaintStatus.Resolved && (c.RespondedAt == null || c.PromiseDueAt != null));
        }

        if (query.State == ComplaintStates.Breached)
        {
            // Exact in SQL: the stored due times are the ones the Domain computes.
            complaints = complaints.Where(c => (c.RespondedAt == null && c.FirstResponseDueAt <= now) || c.PromiseDueAt <= now);
        }

        return complaints.OrderBy(c => c.ReceivedAt).ThenBy(c => c.Id);
    }

    private static IQueryable<Complaint> After(IQueryable<Complaint> complaints, ComplaintCursor? cursor)
    {
        if (cursor is null)
        {
            return complaints;
        }

        var at = cursor.ReceivedAt;
        var id = cursor.Id;
        return complaints.Where(c => c.ReceivedAt > at || (c.ReceivedAt == at && c.Id > id));
    }

    private async Task<ILookup<long, Alert>> AlertsOfAsync(List<long> complaintIds, CancellationToken cancellationToken) =>
        complaintIds.Count == 0
            ? Array.Empty<Alert>().ToLookup(a => a.ComplaintId)
            : (await db.Alerts.AsNoTracking().Where(a => complaintIds.Contains(a.ComplaintId)).ToListAsync(cancellationToken)).ToLookup(a => a.ComplaintId);
}
