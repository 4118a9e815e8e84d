using Microsoft.Extensions.DependencyInjection;
using SlaWatch.Infrastructure.Retention;

namespace SlaWatch.Infrastructure.Diagnostics;

public static class OpsServiceCollectionExtensions
{
    /// <summary>Metrics, the relay probe, retention and erasure. The host provides <see cref="System.Diagnostics.Metrics.IMeterFactory"/>.</summary>
    public static IServiceCollection AddSlaWatchOpsServices(this IServiceCollection services)
    {
        services.AddSingleton<ComplaintGauges>();
        services.AddSingleton<SlaWatchMetrics>();
        services.AddSingleton<SmtpReachability>();
        services.AddSingleton<RetentionPurger>();
        services.AddScoped<CustomerErasure>();
        return services;
    }
}
