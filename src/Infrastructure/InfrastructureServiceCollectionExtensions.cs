using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SlaWatch.Infrastructure.Channels.Imap;
using SlaWatch.Infrastructure.Channels.Smtp;
using SlaWatch.Infrastructure.Complaints;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Sla;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Ingestion;
using SlaWatch.Infrastructure.Mail;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    /// <summary>PostgreSQL, mail channels, ingestion, the outbox and its jobs. Options are bound and validated by the host.</summary>
    public static IServiceCollection AddSlaWatchInfrastructure(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContext<SlaWatchDbContext>(options => PersistenceSetup.Configure(options, connectionString));

        services.AddSlaWatchMessages();
        services.AddSingleton<InboundMailParser>();
        services.AddSingleton<MessageSigner>();
        services.AddSingleton<CrashInjector>();
        services.AddSingleton<InboxHealth>();
        services.AddSingleton<DeliveryHealth>();
        services.AddSingleton<SmtpTransport>();
        services.AddSingleton<SentFolderArchive>();
        services.AddSingleton<IOutboxDispatcher, HangfireOutboxDispatcher>();
        services.AddSingleton<MailPreparer>();
        services.AddScoped<InboundMailHandler>();
        services.AddScoped<OutboxSendJob>();
        // A chat webhook's URL is its secret (Slack, Teams): the client's default request logging would print it.
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<SlaPolicies>();
        services.AddSingleton<ComplaintClock>();
        services.AddSingleton<DeadlineSignal>();
        services.AddSingleton<AlertComposer>();
        services.AddSingleton<AlertRaiser>();
        services.AddSingleton<ContentRulesLoader>();
        services.AddSingleton(provider => provider.GetRequiredService<ContentRulesLoader>().Load());
        services.AddScoped<IComplaintCommands, ComplaintCommands>();
        services.AddScoped<ComplaintQueries>();
        services.AddHostedService<DeadlineWatcher>();
        services.AddHostedService<ImapInboxesService>();
        services.AddHostedService<OutboxRecoveryService>();
        services.AddSlaWatchOpsServices();
        services.AddSlaWatchSocial();

        return services;
    }

    /// <summary>Applies pending EF Core migrations (the <c>migrate</c> command and the start-up both call it).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        // EF Core reads the history table before creating it and logs the failure of that read as an error on every
        // fresh database; creating it first (the same shape EF creates) keeps a first start free of false alarms.
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TABLE IF NOT EXISTS __ef_migrations_history (migration_id character varying(150) NOT NULL PRIMARY KEY, product_version character varying(32) NOT NULL)",
            cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
