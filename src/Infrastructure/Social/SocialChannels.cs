using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Infrastructure.Social.Mastodon;
using SlaWatch.Infrastructure.Social.Telegram;
using SlaWatch.Infrastructure.Social.Webhook;

namespace SlaWatch.Infrastructure.Social;

/// <summary>The social inboxes of <c>SlaWatch:Inboxes</c> and one channel client each, made on first use.</summary>
public sealed class SocialChannels(IOptions<SlaWatchOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "social";

    private readonly ConcurrentDictionary<string, ISocialChannel> _channels = new(StringComparer.Ordinal);

    public static bool IsSocial(InboxOptions inbox) =>
        string.Equals(inbox.Channel, "Telegram", StringComparison.OrdinalIgnoreCase)
        || string.Equals(inbox.Channel, "Mastodon", StringComparison.OrdinalIgnoreCase)
        || IsWebhook(inbox);

    public static bool IsWebhook(InboxOptions inbox) => string.Equals(inbox.Channel, "Webhook", StringComparison.OrdinalIgnoreCase);

    /// <summary>A webhook inbox's platform; the start-up validation has refused anything but the three names.</summary>
    public static WebhookPlatform PlatformOf(InboxOptions inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return WebhookPlatforms.Parse(inbox.Platform) ?? throw new InvalidOperationException($"Inbox {inbox.Name}: Platform '{inbox.Platform}' is not WhatsApp, Messenger or Instagram");
    }

    public IReadOnlyList<InboxOptions> Inboxes => options.Value.Inboxes.Where(IsSocial).ToList();

    public InboxOptions? Inbox(string name) => options.Value.Inboxes.FirstOrDefault(i => i.Name == name && IsSocial(i));

    public ISocialChannel For(InboxOptions inbox) => _channels.GetOrAdd(inbox.Name, _ => Create(inbox));

    private ISocialChannel Create(InboxOptions inbox)
    {
        var http = httpClients.CreateClient(HttpClientName);
        if (string.Equals(inbox.Channel, "Telegram", StringComparison.OrdinalIgnoreCase))
        {
            var token = SecretReader.Read(inbox.BotToken, inbox.BotTokenFile) ?? throw new InvalidOperationException($"Inbox {inbox.Name}: no bot token");
            // The long poll must end before the HTTP client's own timeout.
            http.Timeout = TimeSpan.FromSeconds(100);
            return new TelegramChannel(token, inbox.BaseUrl, http, inbox.PollInterval);
        }

        if (IsWebhook(inbox))
        {
            http.Timeout = TimeSpan.FromSeconds(30);
            var token = SecretReader.Read(inbox.AccessToken, inbox.AccessTokenFile);
            return PlatformOf(inbox) switch
            {
                WebhookPlatform.WhatsApp => new WhatsAppChannel(http, inbox.Name, inbox.BaseUrl, token),
                var platform => new MessengerChannel(http, inbox.Name, platform, inbox.BaseUrl, token),
            };
        }

        var accessToken = SecretReader.Read(inbox.AccessToken, inbox.AccessTokenFile) ?? throw new InvalidOperationException($"Inbox {inbox.Name}: no access token");
        http.Timeout = TimeSpan.FromSeconds(30);
        return new MastodonChannel(http, inbox.BaseUrl!, accessToken);
    }
}
