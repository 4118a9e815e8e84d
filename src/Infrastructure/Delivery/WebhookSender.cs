using System.Globalization;
using System.Net;
using System.Text;

using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Delivery;

/// <summary>
/// Posts a JSON alert to a webhook. The body is signed so a receiver can verify it came from us:
/// <c>X-SlaWatch-Signature: sha256=HMAC(key, timestamp + "." + body)</c> with <c>X-SlaWatch-Timestamp</c> (Unix seconds),
/// and <c>X-SlaWatch-Delivery</c> is the same on every retry so a receiver can drop duplicates.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, MessageSigner signer, TimeProvider time)
{
    public const string ClientName = "webhooks";

    public async Task<WebhookResult> PostAsync(string url, string json, string deliveryId, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-SlaWatch-Timestamp", timestamp);
        request.Headers.Add("X-SlaWatch-Signature", "sha256=" + signer.Sign($"{timestamp}.{json}", 64));
        request.Headers.Add("X-SlaWatch-Delivery", deliveryId);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new WebhookResult(true, false, $"{status} {response.ReasonPhrase}");
            }

            // 4xx says the request itself is wrong (bad URL, refused): retrying will not help — except timeouts and rate limits.
            var permanent = status is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            return new WebhookResult(false, permanent, $"webhook answered {status} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResult(false, false, "webhook unreachable: " + ex.Message);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResult(false, false, "webhook timed out: " + ex.Message);
        }
    }
}

public sealed record WebhookResult(bool Delivered, bool Permanent, string Response);
