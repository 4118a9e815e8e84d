using Quartz;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Messages;

namespace SlaWatch.Worker.Scheduling;

/// <summary>
/// Fires the "still on it" check every <c>SlaWatch:Messages:QuietCheckInterval</c> (and once at start). The work is in
/// <see cref="QuietComplaints"/>, in a scope of its own per run; it is safe on several instances at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class QuietComplaintsJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("quiet-complaints", "slawatch");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<QuietComplaints>().RunAsync(cancellationToken);
    }
}

public static class QuietComplaintsScheduling
{
    /// <summary>Registers <see cref="QuietComplaintsJob"/> with a simple trigger at the configured interval.</summary>
    public static IServiceCollection AddQuietComplaintsJob(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<QuietComplaints>();
        // Quartz takes its triggers at registration, before options are validated: read the interval here, and leave a
        // bad value to the start-up validation (MessagesOptionsValidator), which stops the start naming the key.
        var interval = configuration.GetSection(MessagesOptions.SectionName).GetValue<TimeSpan?>(nameof(MessagesOptions.QuietCheckInterval))
            ?? new MessagesOptions().QuietCheckInterval;
        if (interval < TimeSpan.FromSeconds(1))
        {
            interval = new MessagesOptions().QuietCheckInterval;
        }

        services.AddQuartz(quartz =>
        {
            quartz.AddJob<QuietComplaintsJob>(job => job.WithIdentity(QuietComplaintsJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(QuietComplaintsJob.Key)
                .WithIdentity("quiet-complaints", "slawatch")
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()));
        });
        return services;
    }
}
