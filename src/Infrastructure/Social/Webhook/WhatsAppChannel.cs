using System.Text.Json.Nodes;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// A WhatsApp Business number fed by the signed webhook endpoint: replies through the Cloud API's
/// <c>POST /{phone-number-id}/messages</c> as an answer to the customer's message. Free-form text is accepted only
/// within 24 h of the customer's last message.
/// </summary>
public sealed class WhatsAppChannel(HttpClient http, string inboxName, string? baseUrl, string? accessToken)
    : GraphChannel(http, inboxName, baseUrl, accessToken)
{
    public override string Channel => OutboxChannels.WhatsApp;

    public override int MaxReplyLength => 4096;

    protected override string MissingSender => "business phone number id";

    protected override JsonObject Body(SocialReply reply)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = reply.Recipient,
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = reply.Text },
        };
        if (reply.InReplyTo is not null)
        {
            body["context"] = new JsonObject { ["message_id"] = reply.InReplyTo };
        }

        return body;
    }

    protected override string? SentId(JsonObject? answer) => answer?["messages"]?[0]?["id"]?.GetValue<string>();
}
