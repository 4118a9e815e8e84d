using System.Globalization;
using System.Text.Json;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// Reads a Messenger (<c>object = page</c>) or Instagram (<c>object = instagram</c>) webhook delivery: the events of
/// <c>entry[].messaging[]</c>, and of <c>entry[].standby[]</c> when another app owns the thread (handover protocol).
/// A customer's message is authored by its sender (PSID / IGSID); an echo (<c>is_echo</c>) is the account's own
/// message to the customer, written by staff in Meta Business Suite or sent by SlaWatch (the recorder tells those
/// apart by the <c>mid</c> SlaWatch's send returned). Events without a <c>message</c> (delivery, read, reaction,
/// postback) are ignored. The conversation is the account and the customer; the reply context is the account id
/// replies are sent from.
/// </summary>
public static class MessengerPayload
{
    // 9999-12-31T23:59:59.999Z: beyond it DateTimeOffset cannot hold the time.
    private const long MaxMilliseconds = 253_402_300_799_999;

    public static IReadOnlyList<SocialMessage> Parse(byte[] body, WebhookPlatform platform)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var expected = WebhookPlatforms.ObjectOf(platform);
        var given = Text(root, "object");
        if (given != expected)
        {
            throw new FormatException($"a delivery with object '{given}' on a {platform} inbox, which reads object '{expected}': check the inbox's Platform and the callback URL set in the Meta app");
        }

        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("not a webhook delivery: no entry array");
        }

        var prefix = platform == WebhookPlatform.Instagram ? "ig:" : "fb:";
        var echoAuthor = platform == WebhookPlatform.Instagram ? "Instagram account" : "Facebook Page";
        var messages = new List<SocialMessage>();
        foreach (var entry in entries.EnumerateArray())
        {
            foreach (var item in EventsOf(entry))
            {
                if (!item.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
                    || Flag(message, "is_deleted"))
                {
                    continue;
                }

                var sender = Id(item, "sender");
                var recipient = Id(item, "recipient");
                var echo = Flag(message, "is_echo");
                var (account, customer) = echo ? (sender, recipient) : (recipient, sender);
                messages.Add(new SocialMessage(
                    Text(message, "mid") ?? throw new FormatException("a message without 'mid'"),
                    prefix + account + ":" + customer,
                    message.TryGetProperty("reply_to", out var replyTo) ? Text(replyTo, "mid") : null,
                    customer,
                    echo ? echoAuthor : null,
                    echo ? SocialAuthorRole.Staff : SocialAuthorRole.Customer,
                    TextOf(message),
                    Timestamp(item),
                    account));
            }
        }

        return messages;
    }

    private static List<JsonElement> EventsOf(JsonElement entry)
    {
        var events = new List<JsonElement>();
        foreach (var name in (string[])["messaging", "standby"])
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                events.AddRange(list.EnumerateArray());
            }
        }

        return events;
    }

    private static string TextOf(JsonElement message)
    {
        if (Text(message, "text") is { Length: > 0 } text)
        {
            return text;
        }

        var type = message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array && attachments.GetArrayLength() > 0
            ? Text(attachments[0], "type")
            : null;
        return $"[{type ?? "attachment"} message]";
    }

    /// <summary>Milliseconds since the epoch; the SLA clock starts here, not when the delivery arrived.</summary>
    private static DateTimeOffset Timestamp(JsonElement item)
    {
        if (item.TryGetProperty("timestamp", out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number is > 0 and <= MaxMilliseconds)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(number);
            }

            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and <= MaxMilliseconds)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(parsed);
            }
        }

        throw new FormatException("a message without a valid timestamp");
    }

    private static string Id(JsonElement item, string name) =>
        (item.TryGetProperty(name, out var party) ? Text(party, "id") : null) ?? throw new FormatException($"a message without '{name}.id'");

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
