using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Diagnostics;

namespace SlaWatch.Worker.Health;

/// <summary>
/// Probes the relay, and when alerts cannot be sent or an inbox has been unreachable too long, says so once with a
/// Critical line (and once more, as Information, when it recovers) and stops pinging the heartbeat URL, so an outside
/// monitor that expects the ping notices even when nobody reads the logs. Readiness fails on the same conditions
/// (<see cref="ServiceCondition"/>).
/// </summary>
public sealed partial class Watchdog(
    SmtpReachability smtp,
    ServiceCondition condition,
    IHttpClientFactory httpClients,
    IOptionsMonitor<WatchdogOptions> options,
    TimeProvider time,
    ILogger<Watchdog> logger) : BackgroundService
{
    public const string HeartbeatClient = "slawatch-heartbeat";

    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(5);

    private DateTimeOffset _nextProbe = DateTimeOffset.MinValue;
    private DateTimeOffset _nextHeartbeat = DateTimeOffset.MinValue;
    private string? _episode;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogTickFailed(logger, ex);
            }

            var settings = options.CurrentValue;
            var tick = new[] { MaxTick, settings.SmtpProbeInterval, settings.HeartbeatInterval }.Min();
            try
            {
                await Task.Delay(tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One look: probe when due, judge, log a change of state, ping when all is well and a ping is due.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        if (now >= _nextProbe)
        {
            await smtp.ProbeAsync(settings.SmtpProbeTimeout, cancellationToken);
            _nextProbe = time.GetUtcNow() + settings.SmtpProbeInterval;
        }

        var problems = new List<string>();
        if (condition.SendingProblem() is { } sending)
        {
            problems.Add("alerts cannot be sent: " + sending);
        }

        if (condition.UnreachableInboxes() is { Count: > 0 } inboxes)
        {
            problems.Add($"inboxes unreachable for longer than {settings.InboxStaleAfter}: " + string.Join("; ", inboxes));
        }

        if (problems.Count > 0)
        {
            if (_episode is null)
            {
                _episode = string.Join(" | ", problems);
                LogCritical(logger, _episode, settings.HeartbeatUrl is null ? "none configured" : "stopped");
            }

            return;
        }

        if (_episode is not null)
        {
            LogRecovered(logger, _episode);
            _episode = null;
            _nextHeartbeat = DateTimeOffset.MinValue;
        }

        if (!string.IsNullOrWhiteSpace(settings.HeartbeatUrl) && now >= _nextHeartbeat)
        {
            _nextHeartbeat = now + settings.HeartbeatInterval;
            await PingAsync(settings.HeartbeatUrl, cancellationToken);
        }
    }

    private async Task PingAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClients.CreateClient(HeartbeatClient).GetAsync(new Uri(url), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogHeartbeatRefused(logger, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The monitor will notice the missing ping; that is what it is for.
            LogHeartbeatFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 8030, Level = LogLevel.Critical, Message = "Watchdog: SlaWatch cannot do its job: {Problems}. Readiness fails; heartbeat {Heartbeat} until it recovers")]
    private static partial void LogCritical(ILogger logger, string problems, string heartbeat);

    [LoggerMessage(EventId = 8031, Level = LogLevel.Information, Message = "Watchdog: recovered from: {Problems}. Heartbeat resumed")]
    private static partial void LogRecovered(ILogger logger, string problems);

    [LoggerMessage(EventId = 8032, Level = LogLevel.Warning, Message = "Watchdog: the heartbeat URL answered {Status}")]
    private static partial void LogHeartbeatRefused(ILogger logger, int status);

    [LoggerMessage(EventId = 8033, Level = LogLevel.Warning, Message = "Watchdog: the heartbeat URL could not be reached: {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 8034, Level = LogLevel.Error, Message = "Watchdog: a check failed; trying again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
