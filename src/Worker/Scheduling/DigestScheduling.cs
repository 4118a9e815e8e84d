using Microsoft.Extensions.Options;
using Quartz;
using SlaWatch.Infrastructure.Digest;

namespace SlaWatch.Worker.Scheduling;

/// <summary>
/// The daily digest on a Quartz cron in the team's time zone (<c>SlaWatch:Digest</c>). A bad cron or time zone stops
/// the start naming the key (exit code 2).
/// </summary>
public static class DigestScheduling
{
    public static IServiceCollection AddSlaWatchDigest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName);
        services.AddScoped<DailyDigestService>();
        var options = configuration.GetSection(DigestOptions.SectionName).Get<DigestOptions>() ?? new DigestOptions();
        if (!options.Enabled)
        {
            return services;
        }

        var cron = string.IsNullOrWhiteSpace(options.Cron) ? DigestOptions.DefaultCron : options.Cron.Trim();
        if (!CronExpression.TryParse(cron, out _))
        {
            throw Invalid($"SlaWatch:Digest:Cron: \"{cron}\" is not a Quartz cron expression (seconds first, e.g. \"0 0 8 * * ?\" for 08:00 every day).");
        }

        var zoneId = DigestOptions.ZoneId(options.TimeZone, configuration["SlaWatch:Sla:Calendar:TimeZone"]);
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            var key = string.IsNullOrWhiteSpace(options.TimeZone) ? "SlaWatch:Sla:Calendar:TimeZone" : "SlaWatch:Digest:TimeZone";
            throw Invalid($"{key}: \"{zoneId}\" is not a time zone this machine knows (use an IANA id such as \"Europe/Vilnius\").");
        }

        foreach (var (url, index) in options.Webhooks.Select((u, i) => (u, i)))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Invalid($"SlaWatch:Digest:Webhooks:{index}: \"{url}\" is not an http(s) URL.");
            }
        }

        var job = new JobKey("daily-digest");
        services.AddSingleton(new DigestSchedule(cron, zone));
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<DigestJob>(j => j.WithIdentity(job));
            quartz.AddTrigger(t => t
                .ForJob(job)
                .WithIdentity("daily-digest-cron")
                // Quartz keeps no memory across restarts; a firing missed while no worker ran is made up once at start
                // (the trigger below), so Quartz's own misfire handling is not needed.
                .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
            quartz.AddTrigger(t => t
                .ForJob(job)
                .WithIdentity("daily-digest-make-up")
                .UsingJobData(DigestJob.MakeUpKey, true)
                .StartNow());
        });
        return services;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(DigestOptions.SectionName, typeof(DigestOptions), [message]);
}

/// <summary>The digest's cron in the team's zone, and the last time it was due.</summary>
public sealed class DigestSchedule(string cron, TimeZoneInfo zone)
{
    /// <summary>How far back a missed firing is still made up: the digest is about one day.</summary>
    public static readonly TimeSpan MakeUpWindow = TimeSpan.FromHours(24);

    /// <summary>The last moment the schedule was due at or before <paramref name="now"/>, within <see cref="MakeUpWindow"/>; null when none.</summary>
    public DateTimeOffset? LastFiring(DateTimeOffset now)
    {
        var expression = new CronExpression(cron, zone);
        DateTimeOffset? last = null;
        for (var next = expression.GetNextValidTimeAfter(now - MakeUpWindow); next is { } at && at <= now; next = expression.GetNextValidTimeAfter(at))
        {
            last = at;
        }

        return last;
    }
}

/// <summary>
/// Runs <see cref="DailyDigestService"/>; idempotent (outbox dedupe keys), so every instance may fire it. At start it
/// also makes up the last firing when no worker ran then (the day's digest is still unsent and one was sent before).
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DigestJob(IServiceScopeFactory scopes, DigestSchedule schedule, TimeProvider time, ILogger<DigestJob> logger) : IJob
{
    /// <summary>Job data of the start trigger: make up a missed firing instead of making today's digest.</summary>
    public const string MakeUpKey = "make-up";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var digest = scope.ServiceProvider.GetRequiredService<DailyDigestService>();
            if (!context.MergedJobDataMap.ContainsKey(MakeUpKey))
            {
                await digest.RunAsync(context.ScheduledFireTimeUtc ?? time.GetUtcNow(), cancellationToken);
                return;
            }

            if (schedule.LastFiring(time.GetUtcNow()) is not { } missed)
            {
                return;
            }

            if (!await digest.HasSentBeforeAsync(cancellationToken))
            {
                // A first start: nothing was running yesterday, so there is no digest to make up.
                LogNothingToMakeUp(logger, missed);
                return;
            }

            if (await digest.RunAsync(missed, cancellationToken) > 0)
            {
                LogMadeUp(logger, missed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next firing tries again; nothing was half-sent (rows are inserted one by one, each once).
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 6403, Level = LogLevel.Error, Message = "The daily digest could not be made; the next firing tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Warning, Message = "Daily digest: the firing due at {Firing:o} went by while no worker ran; made up now")]
    private static partial void LogMadeUp(ILogger logger, DateTimeOffset firing);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Information, Message = "Daily digest: none was ever sent, so the firing due at {Firing:o} is not made up")]
    private static partial void LogNothingToMakeUp(ILogger logger, DateTimeOffset firing);
}
