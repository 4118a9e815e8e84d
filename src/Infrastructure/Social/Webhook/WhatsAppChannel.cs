using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
    public const string DefaultBaseUrl = "https://graph.facebook.com/v21.0";

    private readonly Uri _base = new((string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl).TrimEnd('/') + "/");

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

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, Uri.EscapeDataString(reply.ReplyContext) + "/messages")) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return new SocialSendResult(false, code is >= 400 and < 500 and not 408 and not 429, $"WhatsApp {code} {response.ReasonPhrase}", null, response.Headers.RetryAfter?.Delta);
            }

            var result = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var id = result?["messages"]?[0]?["id"]?.GetValue<string>();
            return new SocialSendResult(true, false, $"message {id}", id);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SocialSendResult(false, false, $"WhatsApp not reachable: {ex.Message}", null);
        }
    }
}
