using Microsoft.Extensions.Options;
using Quartz;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Retention;
using SlaWatch.Worker.Configuration;

namespace SlaWatch.Worker.Scheduling;

/// <summary>The retention purge on <c>SlaWatch:Retention:Schedule</c> (an interval, or a cron expression in UTC).</summary>
public static class RetentionScheduling
{
    public static IServiceCollection AddSlaWatchRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddQuartz(quartz => quartz.ScheduleJob<RetentionJob>(
            (provider, trigger) =>
            {
                // The schedule comes from the options, validated at start; an unparseable one never gets here.
                var schedule = RetentionSchedule.Parse(provider.GetRequiredService<IOptions<RetentionOptions>>().Value.Schedule);
                IScheduleBuilder builder = schedule?.Cron is { } cron
                    ? CronScheduleBuilder.Create(cron).InTimeZone(TimeZoneInfo.Utc)
                    : SimpleScheduleBuilder.Create().WithInterval(schedule?.Interval ?? TimeSpan.FromHours(1)).RepeatForever();
                trigger.WithIdentity("retention-purge-trigger").StartNow().WithSchedule(builder);
            },
            (_, job) => job.WithIdentity("retention-purge")));
        return services;
    }
}

/// <summary>One purge run; idempotent (rows are claimed with SKIP LOCKED and already-purged rows are skipped).</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RetentionPurger purger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await purger.PurgeAsync(cancellationToken);
}
