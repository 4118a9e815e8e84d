using System.Text.Json.Nodes;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// A Facebook Page's Messenger or an Instagram professional account, fed by the signed webhook endpoint: replies
/// through the Send API's <c>POST /{page-or-ig-id}/messages</c> to the customer's PSID / IGSID as a <c>RESPONSE</c>
/// (only inside the 24 h messaging window). The answer's <c>message_id</c> is the <c>mid</c> of the echo Meta sends
/// back, which is how SlaWatch's own reply is told from a person's.
/// </summary>
public sealed class MessengerChannel(HttpClient http, string inboxName, WebhookPlatform platform, string? baseUrl, string? accessToken)
    : GraphChannel(http, inboxName, baseUrl, accessToken)
{
    public override string Channel => platform == WebhookPlatform.Instagram ? OutboxChannels.Instagram : OutboxChannels.Messenger;

    /// <summary>The Send API's text limits: 2000 characters on Messenger, 1000 on Instagram.</summary>
    public override int MaxReplyLength => platform == WebhookPlatform.Instagram ? 1000 : 2000;

    protected override string MissingSender => $"{Channel} account id";

    protected override JsonObject Body(SocialReply reply) => new()
    {
        ["recipient"] = new JsonObject { ["id"] = reply.Recipient },
        ["messaging_type"] = "RESPONSE",
        ["message"] = new JsonObject { ["text"] = reply.Text },
    };

    protected override string? SentId(JsonObject? answer) => answer?["message_id"]?.GetValue<string>();
}
