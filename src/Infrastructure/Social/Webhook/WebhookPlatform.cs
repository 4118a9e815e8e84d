namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>Which Meta product a <c>Webhook</c> inbox receives (<c>SlaWatch:Inboxes:N:Platform</c>).</summary>
public enum WebhookPlatform
{
    /// <summary>WhatsApp Cloud API, <c>object = whatsapp_business_account</c>.</summary>
    WhatsApp,

    /// <summary>Messenger on a Facebook Page, <c>object = page</c>.</summary>
    Messenger,

    /// <summary>Instagram direct messages, <c>object = instagram</c>.</summary>
    Instagram,
}

public static class WebhookPlatforms
{
    /// <summary>Case-insensitive; null for anything but the three names (a number is not a platform).</summary>
    public static WebhookPlatform? Parse(string? value) =>
        value?.Trim() is { Length: > 0 } name && !char.IsAsciiDigit(name[0]) && Enum.TryParse<WebhookPlatform>(name, ignoreCase: true, out var platform)
        && Enum.IsDefined(platform)
            ? platform
            : null;

    /// <summary>The <c>object</c> field of the platform's deliveries.</summary>
    public static string ObjectOf(WebhookPlatform platform) => platform switch
    {
        WebhookPlatform.Messenger => "page",
        WebhookPlatform.Instagram => "instagram",
        _ => "whatsapp_business_account",
    };
}
