using System.Text.Json.Nodes;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// A Facebook Page's Messenger or an Instagram professional account, fed by the signed webhook endpoint: nothing to
/// poll, replies through the Send API's <c>POST /{page-or-ig-id}/messages</c> to the customer's PSID / IGSID as a
/// <c>RESPONSE</c> (only inside the 24 h messaging window). The answer's <c>message_id</c> is the <c>mid</c> of the
/// echo Meta sends back, which is how SlaWatch's own reply is told from a person's.
/// </summary>
public sealed class MessengerChannel(HttpClient http, string inboxName, WebhookPlatform platform, string? baseUrl, string? accessToken) : ISocialChannel
{
    private readonly Uri _base = GraphSend.BaseUri(baseUrl);

    public string Channel => platform == WebhookPlatform.Instagram ? OutboxChannels.Instagram : OutboxChannels.Messenger;

    /// <summary>The Send API's text limits: 2000 characters on Messenger, 1000 on Instagram.</summary>
    public int MaxReplyLength => platform == WebhookPlatform.Instagram ? 1000 : 2000;

    public TimeSpan? Retention => null;

    public string LeaseKey => "webhook/" + inboxName;

    public bool LongPolls => false;

    public Task<SocialPollResult> PollAsync(string? cursor, CancellationToken cancellationToken) =>
        Task.FromResult(new SocialPollResult([], cursor, More: false));

    public string ReplyPrefix(string customer, string? replyContext) => string.Empty;

    public async Task<SocialSendResult> SendAsync(SocialReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(reply.ReplyContext))
        {
            return new SocialSendResult(false, true, string.IsNullOrEmpty(accessToken) ? "no AccessToken configured: replies are not sent" : $"no {Channel} account id to reply from", null);
        }

        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = reply.Recipient },
            ["messaging_type"] = "RESPONSE",
            ["message"] = new JsonObject { ["text"] = reply.Text },
        };
        return await GraphSend.PostAsync(http, _base, reply.ReplyContext, accessToken, body, Channel, result => result?["message_id"]?.GetValue<string>(), cancellationToken);
    }
}
