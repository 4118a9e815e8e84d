using System.Globalization;
using System.Text;
using System.Text.Json;
using SlaWatch.Domain.Digest;

namespace SlaWatch.Infrastructure.Digest;

/// <summary>The digest as plain text (email) and as JSON (webhook); the same figures in both.</summary>
public static class DigestComposer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Subject(DailyDigestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = report.Totals;
        return string.Create(CultureInfo.InvariantCulture, $"[SlaWatch] Daily digest {report.Period.Day:yyyy-MM-dd}: {t.Received} received, {Share(t)} answered in time, {t.FirstResponseBreaches} first-response breaches");
    }

    public static string Text(DailyDigestReport report, string zoneId)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SlaWatch daily digest for {report.Period.Day:dddd yyyy-MM-dd} ({zoneId}: {Utc(report.Period.Start)} to {Utc(report.Period.End)}).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Made {Utc(report.GeneratedAt)}. Figures are of the complaints received that day; promises of the outcomes recorded that day; open complaints as of now.");
        Section(text, "All inboxes", report.Totals);
        foreach (var inbox in report.Inboxes)
        {
            Section(text, "Inbox " + inbox.Inbox, inbox);
        }

        text.AppendLine();
        text.AppendLine("This digest is sent automatically every day; SlaWatch:Digest in the configuration says when and to whom.");
        return text.ToString();
    }

    public static string JsonBody(DailyDigestReport report, string zoneId)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(
            new
            {
                kind = "digest",
                text = Subject(report),
                day = report.Period.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                timeZone = zoneId,
                from = report.Period.Start,
                to = report.Period.End,
                generatedAt = report.GeneratedAt,
                totals = Figures(report.Totals),
                inboxes = report.Inboxes.Select(Figures).ToList(),
            },
            Json);
    }

    private static object Figures(InboxDigest d) => new
    {
        inbox = d.Inbox,
        received = d.Received,
        answeredInTime = d.AnsweredInTime,
        answeredLate = d.AnsweredLate,
        unanswered = d.Unanswered,
        stillWithinWindow = d.StillWithinWindow,
        answeredInTimeShare = d.AnsweredInTimeShare,
        firstResponseBreaches = d.FirstResponseBreaches,
        promisesKept = d.PromisesKept,
        promisesMissed = d.PromisesMissed,
        oldestOpen = d.OldestOpen.Select(o => new { reference = o.Reference, receivedAt = o.ReceivedAt, ageSeconds = (long)o.Age.TotalSeconds }).ToList(),
    };

    private static void Section(StringBuilder text, string title, InboxDigest d)
    {
        var decided = d.Received - d.StillWithinWindow;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"== {title} ==");
        text.AppendLine(CultureInfo.InvariantCulture, $"Complaints received: {d.Received}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Answered within the first-response window: {d.AnsweredInTime} of {decided} ({Share(d)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"First-response breaches: {d.FirstResponseBreaches} ({d.AnsweredLate} answered late, {d.Unanswered} not answered yet)");
        if (d.StillWithinWindow > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Still within the window: {d.StillWithinWindow}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Promises kept: {d.PromisesKept}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Promises missed: {d.PromisesMissed}");
        if (d.OldestOpen.Count == 0)
        {
            text.AppendLine("Oldest open complaints: none open");
            return;
        }

        text.AppendLine("Oldest open complaints:");
        foreach (var open in d.OldestOpen)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {open.Reference}  open {Age(open.Age)} (received {Utc(open.ReceivedAt)})");
        }
    }

    private static string Share(InboxDigest d) =>
        d.AnsweredInTimeShare is { } share ? string.Create(CultureInfo.InvariantCulture, $"{share * 100:0.#} %") : "n/a";

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h")
        : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)age.TotalMinutes)} min");

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
