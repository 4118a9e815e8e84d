using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>A local stand-in of the WhatsApp Cloud API's send endpoint (<c>POST /{phone-number-id}/messages</c>).</summary>
public sealed class FakeWhatsApp : IAsyncDisposable
{
    public const string AccessToken = "fake-whatsapp-token";

    private readonly WebApplication _app;
    private int _next;

    private FakeWhatsApp(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<(string PhoneNumberId, JsonObject Body)> Sent { get; } = new();

    public static async Task<FakeWhatsApp> StartAsync()
    {
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWhatsApp(app, url);
        app.MapPost("/{phoneNumberId}/messages", fake.SendAsync);
        await app.StartAsync();
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
