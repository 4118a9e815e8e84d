using Microsoft.Extensions.DependencyInjection;

namespace SlaWatch.Infrastructure.Social;

public static class SocialServiceCollectionExtensions
{
    /// <summary>Social inboxes: the channel clients, the recorder, the outbox's social sender and the pollers.</summary>
    public static IServiceCollection AddSlaWatchSocial(this IServiceCollection services)
    {
        // No request logging: a Telegram request URL carries the bot token.
        services.AddHttpClient(SocialChannels.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<SocialChannels>();
        services.AddScoped<SocialMessageRecorder>();
        services.AddScoped<SocialSender>();
        services.AddSingleton<SocialWakeups>();
        services.AddScoped<Webhook.WebhookIngestion>();
        services.AddHostedService<SocialInboxesService>();
        return services;
    }
}
