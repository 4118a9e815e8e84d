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
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<DigestJob>(j => j.WithIdentity(job));
            quartz.AddTrigger(t => t
                .ForJob(job)
                .WithIdentity("daily-digest-cron")
                // A firing missed while the worker was down is not made up: the next one covers its own previous day.
                .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        });
        return services;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(DigestOptions.SectionName, typeof(DigestOptions), [message]);
}

/// <summary>Runs <see cref="DailyDigestService"/>; idempotent (outbox dedupe keys), so every instance may fire it.</summary>
[DisallowConcurrentExecution]
public sealed partial class DigestJob(IServiceScopeFactory scopes, ILogger<DigestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DailyDigestService>().RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next firing tries again; nothing was half-sent (rows are inserted one by one, each once).
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 6403, Level = LogLevel.Error, Message = "The daily digest could not be made; the next firing tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
