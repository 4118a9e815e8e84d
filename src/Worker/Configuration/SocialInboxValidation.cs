using System.Text.RegularExpressions;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Channels;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Social.Webhook;

namespace SlaWatch.Worker.Configuration;

/// <summary>The keys a social inbox (<c>Channel</c> = <c>Telegram</c>, <c>Mastodon</c> or <c>Webhook</c>) needs; every message names the key.</summary>
internal static partial class SocialInboxValidation
{
    public static void Validate(string key, InboxOptions inbox, List<string> errors)
    {
        var telegram = string.Equals(inbox.Channel, "Telegram", StringComparison.OrdinalIgnoreCase);
        if (telegram)
        {
            RequireSecret(key, "BotToken", inbox.BotToken, inbox.BotTokenFile, errors);
            // Only the value is checked here: a file is read when the poller starts.
            if (!string.IsNullOrEmpty(inbox.BotToken) && !BotToken().IsMatch(inbox.BotToken))
            {
                errors.Add($"{key}:BotToken does not look like a bot token (digits:secret, as @BotFather gives it).");
            }
        }
        else if (SocialChannels.IsWebhook(inbox))
        {
            // AccessToken is optional here: without it complaints are recorded and clocked but no apology is sent.
            RequireSecret(key, "AppSecret", inbox.AppSecret, inbox.AppSecretFile, errors);
            if (WebhookPlatforms.Parse(inbox.Platform) is null)
            {
                errors.Add($"{key}:Platform: '{inbox.Platform}' is not one of WhatsApp, Messenger, Instagram (the Meta product whose deliveries this inbox reads).");
            }
        }
        else
        {
            RequireSecret(key, "AccessToken", inbox.AccessToken, inbox.AccessTokenFile, errors);
            if (string.IsNullOrWhiteSpace(inbox.BaseUrl))
            {
                errors.Add($"{key}:BaseUrl is required: the Mastodon instance, e.g. https://mastodon.social.");
            }
        }

        if (!string.IsNullOrWhiteSpace(inbox.BaseUrl))
        {
            if (!Uri.TryCreate(inbox.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                errors.Add($"{key}:BaseUrl: '{inbox.BaseUrl}' is not an http(s) URL.");
            }
            else if (url.Scheme == "http" && !MailConnections.IsLoopback(url.Host))
            {
                errors.Add($"{key}:BaseUrl: '{inbox.BaseUrl}' would send the token in clear text; use https (plain http only on loopback, for a local stand-in).");
            }
        }

        if (!string.IsNullOrWhiteSpace(inbox.Address) && !SlaWatchOptionsValidator.IsAddress(inbox.Address))
        {
            errors.Add($"{key}:Address: '{inbox.Address}' is not an email address; alerts about this inbox's complaints are emailed from it.");
        }

        if (!LanguageCode.TryParse(inbox.DefaultLanguage, out _))
        {
            errors.Add($"{key}:DefaultLanguage: '{inbox.DefaultLanguage}' is not one of en, ru, nl, tl, zh, lt.");
        }

        if (inbox.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{key}:PollInterval must be positive (e.g. 00:00:30).");
        }
    }

    private static void RequireSecret(string key, string name, string? value, string? file, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) && string.IsNullOrWhiteSpace(file))
        {
            errors.Add($"{key}:{name} or {key}:{name}File is required.");
        }
        else if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
        {
            errors.Add($"{key}:{name}File: the file '{file}' does not exist.");
        }
    }

    [GeneratedRegex(@"^\d+:[A-Za-z0-9_-]+$")]
    private static partial Regex BotToken();
}
