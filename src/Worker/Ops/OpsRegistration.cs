using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Worker.Api;
using SlaWatch.Worker.Configuration;
using SlaWatch.Worker.Health;

namespace SlaWatch.Worker.Ops;

/// <summary>
/// The ops surface beyond the API: OpenTelemetry metrics with a Prometheus endpoint (ops key, or loopback without one),
/// the watchdog and its relay probe, the erasure endpoint.
/// </summary>
public static class OpsRegistration
{
    public const string MetricsPolicy = "Metrics";

    public static IHostApplicationBuilder AddSlaWatchOps(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddOptions<WatchdogOptions>().BindConfiguration(WatchdogOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WatchdogOptions>, WatchdogOptionsValidator>();

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("slawatch"))
            .WithMetrics(metrics => metrics
                .AddMeter(SlaWatchMetrics.MeterName)
                // ASP.NET Core's own meters (request durations, connections) and the runtime's (GC, thread pool).
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        services.AddAuthorization(options => options.AddPolicy(
            MetricsPolicy,
            new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).AddRequirements(new MetricsAccessRequirement()).Build()));
        services.AddSingleton<IAuthorizationHandler, MetricsAccessHandler>();

        services.AddSingleton<ServiceCondition>();
        // No request logging: a heartbeat URL usually carries the monitor's secret token, and it fires every minute.
        services.AddHttpClient(Watchdog.HeartbeatClient, client => client.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        services.AddHostedService<Watchdog>();
        services.AddHealthChecks().AddCheck<SmtpHealthCheck>("smtp", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapSlaWatchOps(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Created now rather than at the first complaint, so the gauges are in the very first scrape.
        app.Services.GetRequiredService<SlaWatchMetrics>();
        var path = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Path;
        app.MapPrometheusScrapingEndpoint(path).RequireAuthorization(MetricsPolicy);
        app.MapOpsEndpoints();
        return app;
    }

    /// <summary>The readiness answer: overall status and each check's, without their details (the watchdog logs those).</summary>
    public static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString(), StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

/// <summary>Who may scrape: an ops key; or anyone on this machine while <c>SlaWatch:Metrics:AllowAnonymousLoopback</c> is on.</summary>
public sealed class MetricsAccessRequirement : IAuthorizationRequirement;

public sealed class MetricsAccessHandler(IOptionsMonitor<MetricsOptions> options) : AuthorizationHandler<MetricsAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var local = context.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
        if (context.User.IsInRole(ApiRoles.Ops) || (local && options.CurrentValue.AllowAnonymousLoopback))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
