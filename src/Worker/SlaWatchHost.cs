using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting.Compact;
using SlaWatch.Infrastructure;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Worker.Api;
using SlaWatch.Worker.Configuration;
using SlaWatch.Worker.Health;
using SlaWatch.Worker.Ops;
using SlaWatch.Worker.Scheduling;
using SlaWatch.Worker.Status;

namespace SlaWatch.Worker;

/// <summary>The composition root: configuration and its validation, logging, hosted services, jobs, HTTP endpoints.</summary>
public static class SlaWatchHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        builder.Services.AddSerilog((services, logging) =>
        {
            logging.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
            if (builder.Configuration.GetValue<bool>("SlaWatch:Logging:Json"))
            {
                logging.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logging.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });

        var connectionString = builder.Configuration.GetConnectionString("SlaWatch");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException("ConnectionStrings:SlaWatch", typeof(string), ["ConnectionStrings:SlaWatch is required: the PostgreSQL database SlaWatch keeps its state in."]);
        }

        AddOptions(builder.Services);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
            // Graceful shutdown: let in-flight sends finish.
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddSlaWatchInfrastructure(connectionString);
        builder.Services.AddHangfire((provider, configuration) =>
        {
            var delivery = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(
                    storage => storage.UseNpgsqlConnection(connectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = "hangfire",
                        PrepareSchemaIfNecessary = true,
                        // Its default of 15 s would hold a job enqueued by another instance that long.
                        QueuePollInterval = delivery.QueuePollInterval,
                        // The default (30 min, not sliding) would hold a job whose worker crashed for half the SLA window.
                        InvisibilityTimeout = TimeSpan.FromMinutes(5),
                        UseSlidingInvisibilityTimeout = true,
                        DistributedLockTimeout = TimeSpan.FromMinutes(1),
                    });
        });
        builder.Services.AddHangfireServer((provider, server) =>
        {
            var delivery = provider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            server.WorkerCount = delivery.Workers;
            // Retries are scheduled jobs; the default poll of 15 s would add up to 15 s to each.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            // Graceful shutdown: a send in flight keeps its cancellation token for 20 s after the stop signal (Hangfire's
            // default cancels it at once) and the server waits 25 s, within the host's 30 s; no new job starts meanwhile.
            server.StopTimeout = TimeSpan.FromSeconds(20);
            server.ShutdownTimeout = TimeSpan.FromSeconds(25);
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        builder.Services.AddSlaWatchScheduling();
        builder.Services.AddSlaWatchRetention();
        builder.Services.AddSlaWatchDigest(builder.Configuration);
        builder.Services.AddQuietComplaintsJob(builder.Configuration);
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<InboxesHealthCheck>("inboxes", tags: ["ready"])
            .AddCheck<DeliveryHealthCheck>("delivery", tags: ["ready"]);
        builder.AddSlaWatchApi();
        builder.AddSlaWatchOps();

        var app = builder.Build();
        app.MapSlaWatchApi();
        app.MapSlaWatchOps();
        app.MapStatusPage();
        app.MapSocialWebhooks();
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = OpsRegistration.WriteHealthAsync });
        return app;
    }

    private static void AddOptions(IServiceCollection services)
    {
        services.AddOptions<SlaWatchOptions>().BindConfiguration(SlaWatchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlaWatchOptions>, SlaWatchOptionsValidator>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddOptions<MessagesOptions>().BindConfiguration(MessagesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessagesOptions>, MessagesOptionsValidator>();
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName);
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName);
        services.AddSingleton<IValidateOptions<SlaWatchOptions>, SlaConfigurationValidator>();
        services.AddOptions<DiagnosticsOptions>().BindConfiguration(DiagnosticsOptions.SectionName);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
    }
}
