using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>
/// One <c>POST /{sender-id}/messages</c> to Meta's Graph API, as WhatsApp, Messenger and Instagram replies all go: the
/// bearer token, and the answer classified the same way for all three (4xx but 408/429 permanent; 408, 429, 5xx and
/// transport failures transient, with <c>Retry-After</c> honoured).
/// </summary>
internal static class GraphSend
{
    public const string DefaultBaseUrl = "https://graph.facebook.com/v21.0";

    public static Uri BaseUri(string? baseUrl) => new((string.IsNullOrWhiteSpace(baseUrl) ? DefaultBaseUrl : baseUrl).TrimEnd('/') + "/");

    /// <summary>Posts <paramref name="body"/> as <paramref name="senderId"/>; <paramref name="idOf"/> reads the sent message's id from the answer, <paramref name="platform"/> names it in the record.</summary>
    public static async Task<SocialSendResult> PostAsync(
        HttpClient http, Uri baseUri, string senderId, string accessToken, JsonObject body, string platform, Func<JsonObject?, string?> idOf, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, Uri.EscapeDataString(senderId) + "/messages")) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return new SocialSendResult(false, code is >= 400 and < 500 and not 408 and not 429, $"{platform} {code} {response.ReasonPhrase}", null, response.Headers.RetryAfter?.Delta);
            }

            var id = idOf(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken));
            return new SocialSendResult(true, false, $"message {id}", id);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SocialSendResult(false, false, $"{platform} not reachable: {ex.Message}", null);
        }
    }
}
