using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SlaWatch.Infrastructure.Social;

/// <summary>Runs a <see cref="SocialInboxPoller"/> for every configured social inbox (Telegram, Mastodon).</summary>
public sealed class SocialInboxesService(IServiceProvider services, SocialChannels channels) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pollers = channels.Inboxes
            .Select(inbox => ActivatorUtilities.CreateInstance<SocialInboxPoller>(services, inbox, channels.For(inbox)))
            .Select(poller => Task.Run(() => poller.RunAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(pollers);
    }
}
