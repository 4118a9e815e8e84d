using System.Globalization;
using System.Text.Json;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// Reads a WhatsApp Cloud API webhook delivery (<c>object = whatsapp_business_account</c>): customer messages
/// (<c>value.messages</c>) and, with WhatsApp Business app coexistence, what staff typed in the app
/// (<c>smb_message_echoes</c>). Delivery statuses are ignored. The conversation is the customer's number; the reply
/// context is the business phone number id the reply must be sent from.
/// </summary>
public static class WhatsAppPayload
{
    public static IReadOnlyList<SocialMessage> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("not a webhook delivery: no entry array");
        }

        if (root.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() is { } given && given != WebhookPlatforms.ObjectOf(WebhookPlatform.WhatsApp))
        {
            throw new FormatException($"a delivery with object '{given}' on a WhatsApp inbox, which reads object '{WebhookPlatforms.ObjectOf(WebhookPlatform.WhatsApp)}': check the inbox's Platform and the callback URL set in the Meta app");
        }

        var messages = new List<SocialMessage>();
        foreach (var change in entries.EnumerateArray().SelectMany(e => e.TryGetProperty("changes", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray() : Enumerable.Empty<JsonElement>()))
        {
            if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var phoneNumberId = value.TryGetProperty("metadata", out var metadata) ? Text(metadata, "phone_number_id") : null;
            var names = value.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array
                ? contacts.EnumerateArray()
                    .Where(c => Text(c, "wa_id") is not null)
                    .GroupBy(c => Text(c, "wa_id")!)
                    .ToDictionary(g => g.Key, g => g.First().TryGetProperty("profile", out var p) ? Text(p, "name") : null)
                : [];
            if (value.TryGetProperty("messages", out var inbound) && inbound.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in inbound.EnumerateArray())
                {
                    var from = Required(message, "from");
                    messages.Add(new SocialMessage(
                        Required(message, "id"),
                        "wa:" + from,
                        message.TryGetProperty("context", out var context) ? Text(context, "id") : null,
                        from,
                        names.GetValueOrDefault(from),
                        SocialAuthorRole.Customer,
                        TextOf(message),
                        Timestamp(message),
                        phoneNumberId));
                }
            }

            if (value.TryGetProperty("message_echoes", out var echoes) && echoes.ValueKind == JsonValueKind.Array)
            {
                foreach (var echo in echoes.EnumerateArray())
                {
                    var to = Required(echo, "to");
                    messages.Add(new SocialMessage(Required(echo, "id"), "wa:" + to, null, to, "WhatsApp Business app", SocialAuthorRole.Staff, TextOf(echo), Timestamp(echo), phoneNumberId));
                }
            }
        }

        return messages;
    }

    private static string TextOf(JsonElement message)
    {
        var type = Text(message, "type") ?? "unknown";
        return type == "text" && message.TryGetProperty("text", out var text) && Text(text, "body") is { } body
            ? body
            : $"[{type} message]";
    }

    private static DateTimeOffset Timestamp(JsonElement message) =>
        long.TryParse(Text(message, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException("a message without a valid timestamp");

    private static string Required(JsonElement element, string name) =>
        Text(element, name) ?? throw new FormatException($"a message without '{name}'");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
