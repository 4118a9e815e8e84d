using System.Text.Json.Nodes;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// A WhatsApp Business number fed by the signed webhook endpoint: nothing to poll (the endpoint stores the messages;
/// the poller only records them), replies through the Cloud API's <c>POST /{phone-number-id}/messages</c> as an
/// answer to the customer's message. Free-form text is accepted only within 24 h of the customer's last message.
/// </summary>
public sealed class WhatsAppChannel(HttpClient http, string inboxName, string? baseUrl, string? accessToken) : ISocialChannel
{
    private readonly Uri _base = GraphSend.BaseUri(baseUrl);

    public string Channel => OutboxChannels.WhatsApp;

    public int MaxReplyLength => 4096;

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
            return new SocialSendResult(false, true, string.IsNullOrEmpty(accessToken) ? "no AccessToken configured: replies are not sent" : "no business phone number id to reply from", null);
        }

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

        return await GraphSend.PostAsync(http, _base, reply.ReplyContext, accessToken, body, Channel, result => result?["messages"]?[0]?["id"]?.GetValue<string>(), cancellationToken);
    }
}
