using Quartz;

namespace SlaWatch.Worker.Scheduling;

/// <summary>
/// Quartz runs SlaWatch's periodic work (quiet-complaint updates, the daily digest, retention). It uses the in-memory
/// store: every job is idempotent by construction (its rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> or its
/// messages carry an outbox dedupe key), so two instances firing the same trigger do the work once, and nothing is lost
/// when an instance stops — the next firing picks it up.
/// </summary>
public static class SchedulingRegistration
{
    public static IServiceCollection AddSlaWatchScheduling(this IServiceCollection services)
    {
        services.AddQuartz();
        // Graceful shutdown: a running job finishes before the host stops.
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
