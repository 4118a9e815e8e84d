using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A local stand-in of the Messenger Platform Send API (<c>POST /{page-or-ig-id}/messages</c>), which Messenger and
/// Instagram replies share: checks the bearer token, answers <c>{recipient_id, message_id}</c>.
/// </summary>
public sealed class FakeMessenger : LocalHttpStandIn
{
    public const string AccessToken = "fake-page-token";

    private int _next;

    /// <summary>What was sent, as whom, and the <c>message_id</c> it was given (the <c>mid</c> of its echo).</summary>
    public ConcurrentQueue<(string SenderId, JsonObject Body, string MessageId)> Sent { get; } = new();

    public static async Task<FakeMessenger> StartAsync()
    {
        var fake = new FakeMessenger();
        await fake.ServeAsync(app => app.MapPost("/{senderId}/messages", fake.SendAsync));
        return fake;
    }

    private async Task<IResult> SendAsync(string senderId, HttpRequest request)
    {
        if (request.Headers.Authorization != "Bearer " + AccessToken)
        {
            return Results.Json(new { error = new { message = "Invalid OAuth access token.", type = "OAuthException", code = 190 } }, statusCode: 401);
        }

        var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
        var id = $"m_SENT{Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)}";
        Sent.Enqueue((senderId, body, id));
        return Results.Json(new JsonObject { ["recipient_id"] = body["recipient"]?["id"]?.DeepClone(), ["message_id"] = id });
    }
}
