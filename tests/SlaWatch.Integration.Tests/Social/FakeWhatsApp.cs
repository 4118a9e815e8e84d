using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>A local stand-in of the WhatsApp Cloud API's send endpoint (<c>POST /{phone-number-id}/messages</c>).</summary>
public sealed class FakeWhatsApp : LocalHttpStandIn
{
    public const string AccessToken = "fake-whatsapp-token";

    private int _next;

    public ConcurrentQueue<(string PhoneNumberId, JsonObject Body)> Sent { get; } = new();

    public static async Task<FakeWhatsApp> StartAsync()
    {
        var fake = new FakeWhatsApp();
        await fake.ServeAsync(app => app.MapPost("/{phoneNumberId}/messages", fake.SendAsync));
        return fake;
    }

    private async Task<IResult> SendAsync(string phoneNumberId, HttpRequest request)
    {
        if (request.Headers.Authorization != "Bearer " + AccessToken)
        {
            return Results.Json(new { error = new { message = "Invalid OAuth access token.", code = 190 } }, statusCode: 401);
        }

        var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
        Sent.Enqueue((phoneNumberId, body));
        var id = $"wamid.SENT{Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)}";
        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = body["to"]!.DeepClone(), ["wa_id"] = body["to"]!.DeepClone() }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = id }),
        });
    }
}
