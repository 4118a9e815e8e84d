using System.Text.Json.Nodes;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// What the channels of Meta's push-only platforms share: nothing to poll (the signed endpoint stores the messages; the
/// poller only records them), no prefix on a reply, and one Graph API <c>POST /{sender-id}/messages</c> per reply sent
/// as the account the customer wrote to (the message's reply context).
/// </summary>
public abstract class GraphChannel(HttpClient http, string inboxName, string? baseUrl, string? accessToken) : ISocialChannel
{
    private readonly Uri _base = GraphSend.BaseUri(baseUrl);

    public abstract string Channel { get; }

    public abstract int MaxReplyLength { get; }

    public TimeSpan? Retention => null;

    public string LeaseKey => "webhook/" + inboxName;

    public bool LongPolls => false;

    /// <summary>What a reply without a reply context lacks, for the record.</summary>
    protected abstract string MissingSender { get; }

    public Task<SocialPollResult> PollAsync(string? cursor, CancellationToken cancellationToken) =>
        Task.FromResult(new SocialPollResult([], cursor, More: false));

    public string ReplyPrefix(string customer, string? replyContext) => string.Empty;

    public async Task<SocialSendResult> SendAsync(SocialReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(reply.ReplyContext))
        {
            return new SocialSendResult(false, true, string.IsNullOrEmpty(accessToken) ? "no AccessToken configured: replies are not sent" : $"no {MissingSender} to reply from", null);
        }

        return await GraphSend.PostAsync(http, _base, reply.ReplyContext, accessToken, Body(reply), Channel, SentId, cancellationToken);
    }

    /// <summary>The platform's request body for <paramref name="reply"/>.</summary>
    protected abstract JsonObject Body(SocialReply reply);

    /// <summary>The sent message's id in the platform's answer.</summary>
    protected abstract string? SentId(JsonObject? answer);
}
