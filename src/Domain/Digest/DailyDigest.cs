namespace SlaWatch.Domain.Digest;

/// <summary>The local day a digest covers and its bounds as UTC instants.</summary>
/// <param name="Day">The local date.</param>
/// <param name="Start">Local midnight at its start.</param>
/// <param name="End">Local midnight at its end (23 or 25 hours later on the days the clocks change).</param>
public sealed record DigestPeriod(DateOnly Day, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The local day before the one <paramref name="now"/> falls on, in <paramref name="zone"/>.</summary>
    public static DigestPeriod PreviousDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var day = today.AddDays(-1);
        return new DigestPeriod(day, StartOf(day, zone), StartOf(today, zone));
    }

    /// <summary>
    /// The first instant of a local date. Where midnight does not exist (a zone that springs forward at 00:00) it is the
    /// moment of the change.
    /// </summary>
    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous midnight (clocks going back at 00:00) counts from its first occurrence: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}

/// <summary>What the digest needs of one complaint (plain values, read by one query).</summary>
/// <param name="Reference">The human reference.</param>
/// <param name="Inbox">The inbox name.</param>
/// <param name="ReceivedAt">When the clock started.</param>
/// <param name="FirstResponseDueAt">When the first response was due.</param>
/// <param name="RespondedAt">When a person answered, if they did.</param>
/// <param name="Resolved">True once resolved.</param>
public sealed record DigestComplaint(string Reference, string Inbox, DateTimeOffset ReceivedAt, DateTimeOffset? FirstResponseDueAt, DateTimeOffset? RespondedAt, bool Resolved);

/// <summary>A promise outcome recorded (the <c>promise-kept</c> / <c>promise-missed</c> events).</summary>
/// <param name="Inbox">The complaint's inbox.</param>
/// <param name="At">When the outcome was recorded.</param>
/// <param name="Kept">Kept or missed.</param>
public sealed record DigestPromiseOutcome(string Inbox, DateTimeOffset At, bool Kept);

/// <summary>An open complaint in the "oldest open" list.</summary>
public sealed record OldestOpen(string Reference, DateTimeOffset ReceivedAt, TimeSpan Age);

/// <summary>
/// The figures of one inbox (or of all, for the totals) for the day.
/// </summary>
/// <param name="Inbox">The inbox name; <c>null</c> for the totals.</param>
/// <param name="Received">Complaints received during the day.</param>
/// <param name="AnsweredInTime">Of those, answered at or before the first-response due time.</param>
/// <param name="AnsweredLate">Of those, answered after it.</param>
/// <param name="Unanswered">Of those, not answered and past the due time when the digest was made.</param>
/// <param name="StillWithinWindow">Of those, not answered and not yet due (a business calendar can carry a window over).</param>
/// <param name="PromisesKept">Promise outcomes recorded during the day as kept.</param>
/// <param name="PromisesMissed">Promise outcomes recorded during the day as missed.</param>
/// <param name="OldestOpen">The five oldest complaints still open when the digest was made, oldest first.</param>
public sealed record InboxDigest(
    string? Inbox,
    int Received,
    int AnsweredInTime,
    int AnsweredLate,
    int Unanswered,
    int StillWithinWindow,
    int PromisesKept,
    int PromisesMissed,
    IReadOnlyList<OldestOpen> OldestOpen)
{
    /// <summary>First-response breaches among the day's complaints: answered late or not at all by the due time.</summary>
    public int FirstResponseBreaches => AnsweredLate + Unanswered;

    /// <summary>
    /// The share answered within the first-response window, of the day's complaints whose window is decided (answered,
    /// or due); <c>null</c> when there is none.
    /// </summary>
    public double? AnsweredInTimeShare => Received - StillWithinWindow is var decided and > 0 ? (double)AnsweredInTime / decided : null;
}

/// <summary>The digest of one day: per inbox, and the totals.</summary>
public sealed record DailyDigestReport(DigestPeriod Period, DateTimeOffset GeneratedAt, IReadOnlyList<InboxDigest> Inboxes, InboxDigest Totals);

/// <summary>Computes the daily digest: a pure function of the period, the moment it is made and plain records.</summary>
public static class DailyDigest
{
    public const int OldestOpenCount = 5;

    /// <summary>
    /// The figures for <paramref name="period"/>, as of <paramref name="now"/>, for each of <paramref name="inboxes"/> (the
    /// configured ones, in order) and any other inbox that appears in the records (sorted by name after them).
    /// </summary>
    /// <param name="period">The day.</param>
    /// <param name="now">When the digest is made: decides what is "still open" and how old it is.</param>
    /// <param name="inboxes">The configured inboxes: each gets a section, also on a quiet day.</param>
    /// <param name="complaints">Complaints received during the day and complaints still open (others are ignored).</param>
    /// <param name="outcomes">Promise outcomes (those outside the day are ignored).</param>
    public static DailyDigestReport Compute(DigestPeriod period, DateTimeOffset now, IReadOnlyList<string> inboxes, IReadOnlyList<DigestComplaint> complaints, IReadOnlyList<DigestPromiseOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(inboxes);
        ArgumentNullException.ThrowIfNull(complaints);
        ArgumentNullException.ThrowIfNull(outcomes);
        var names = inboxes.Distinct(StringComparer.Ordinal).ToList();
        names.AddRange(complaints.Select(c => c.Inbox).Concat(outcomes.Select(o => o.Inbox))
            .Distinct(StringComparer.Ordinal)
            .Where(n => !names.Contains(n, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal));
        var sections = names
            .Select(name => Figures(name, period, now, complaints.Where(c => c.Inbox == name).ToList(), outcomes.Where(o => o.Inbox == name).ToList()))
            .ToList();
        return new DailyDigestReport(period, now, sections, Figures(null, period, now, complaints, outcomes));
    }

    private static InboxDigest Figures(string? inbox, DigestPeriod period, DateTimeOffset now, IReadOnlyList<DigestComplaint> complaints, IReadOnlyList<DigestPromiseOutcome> outcomes)
    {
        int inTime = 0, late = 0, unanswered = 0, within = 0, received = 0;
        foreach (var complaint in complaints.Where(c => c.ReceivedAt >= period.Start && c.ReceivedAt < period.End))
        {
            received++;
            var due = complaint.FirstResponseDueAt;
            switch (complaint.RespondedAt)
            {
                case { } responded when due is null || responded <= due:
                    inTime++;
                    break;
                case not null:
                    late++;
                    break;
                case null when due is { } d && d <= now:
                    unanswered++;
                    break;
                default:
                    within++;
                    break;
            }
        }

        var day = outcomes.Where(o => o.At >= period.Start && o.At < period.End).ToList();
        var oldest = complaints
            .Where(c => !c.Resolved && c.ReceivedAt <= now)
            .OrderBy(c => c.ReceivedAt).ThenBy(c => c.Reference, StringComparer.Ordinal)
            .Take(OldestOpenCount)
            .Select(c => new OldestOpen(c.Reference, c.ReceivedAt, now - c.ReceivedAt))
            .ToList();
        return new InboxDigest(inbox, received, inTime, late, unanswered, within, day.Count(o => o.Kept), day.Count(o => !o.Kept), oldest);
    }
}
