using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Infrastructure.Diagnostics;

/// <summary>
/// Open, at-risk and breached complaints per inbox, for the gauges. Read from PostgreSQL at most every
/// <see cref="MetricsOptions.GaugeRefresh"/> (a scrape between two reads gets the cached figures), computed with the
/// same deadline rules as the watcher: breached when a deadline's due time has passed, at risk when one of its at-risk
/// points has and none is breached. Only unresolved complaints are read, with the few columns the rules need.
/// </summary>
public sealed partial class ComplaintGauges(
    IServiceScopeFactory scopes,
    ComplaintClock clock,
    IOptions<SlaWatchOptions> slaWatch,
    IOptionsMonitor<MetricsOptions> options,
    TimeProvider time,
    ILogger<ComplaintGauges> logger)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<InboxComplaintCounts> _cached = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public IEnumerable<Measurement<long>> Measure(Func<InboxComplaintCounts, long> figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return Current().Select(c => new Measurement<long>(figure(c), new KeyValuePair<string, object?>("inbox", c.Inbox))).ToList();
    }

    public IReadOnlyList<InboxComplaintCounts> Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _readAt < options.CurrentValue.GaugeRefresh)
            {
                return _cached;
            }

            try
            {
                _cached = Read(now);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
            {
                // The database is down: keep the last figures; readiness says what is wrong.
                LogReadFailed(logger, ex.Message);
            }

            _readAt = now;
            return _cached;
        }
    }

    private List<InboxComplaintCounts> Read(DateTimeOffset now)
    {
        // Metric callbacks are synchronous; this runs at most once per refresh period, on the scrape's thread.
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var open = db.Complaints
            .AsNoTracking()
            .Where(c => c.Status != ComplaintStatus.Resolved)
            .Select(c => new { c.Inbox, c.Status, c.ReceivedAt, c.RespondedAt, c.PromiseDueAt, c.PromisedAt, c.PromiseVersion })
            .ToList();
        var counts = new Dictionary<string, (long Open, long AtRisk, long Breached)>(StringComparer.Ordinal);
        foreach (var row in open)
        {
            var complaint = new Complaint
            {
                Reference = string.Empty,
                Channel = string.Empty,
                Inbox = row.Inbox,
                CustomerAddress = string.Empty,
                Subject = string.Empty,
                Language = string.Empty,
                Status = row.Status,
                ReceivedAt = row.ReceivedAt,
                RespondedAt = row.RespondedAt,
                PromiseDueAt = row.PromiseDueAt,
                PromisedAt = row.PromisedAt,
                PromiseVersion = row.PromiseVersion,
            };
            var deadlines = clock.OpenDeadlines(complaint);
            var breached = deadlines.Any(d => d.DueAt <= now);
            var atRisk = !breached && deadlines.Any(d => d.AtRiskAt.Any(point => point <= now));
            counts.TryGetValue(row.Inbox, out var current);
            counts[row.Inbox] = (current.Open + 1, current.AtRisk + (atRisk ? 1 : 0), current.Breached + (breached ? 1 : 0));
        }

        // Every configured inbox reports, with zeros, so a series does not vanish when its last complaint is resolved.
        foreach (var inbox in slaWatch.Value.Inboxes)
        {
            counts.TryAdd(inbox.Name, (0, 0, 0));
        }

        return counts.Select(kv => new InboxComplaintCounts(kv.Key, kv.Value.Open, kv.Value.AtRisk, kv.Value.Breached)).ToList();
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Warning, Message = "Complaint gauges: could not read PostgreSQL ({Error}); the last figures stay")]
    private static partial void LogReadFailed(ILogger logger, string error);
}

public sealed record InboxComplaintCounts(string Inbox, long Open, long AtRisk, long Breached);
