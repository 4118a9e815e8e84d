using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A local stand-in of the Telegram Bot API (the worker's <c>BaseUrl</c> points here): getUpdates with offset, limit and
/// a short long-poll, sendMessage recorded, and faults to inject. Payloads follow the Bot API's documented shapes.
/// </summary>
public sealed class FakeTelegram : LocalHttpStandIn
{
    public const string Token = "123456789:AAEfakeTokenForTests_only";

    private readonly List<JsonObject> _updates = [];
    private readonly Lock _gate = new();
    private int _nextUpdateId = 815112001;
    private int _nextSentId = 9000;
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Forced answers to the next getUpdates calls: (HTTP status, error_code, description, retry_after).</summary>
    public ConcurrentQueue<(int Status, string Description, int? RetryAfter)> GetUpdatesFaults { get; } = new();

    public ConcurrentQueue<(int Status, string Description, int? RetryAfter)> SendFaults { get; } = new();

    /// <summary>When set, the next getUpdates ignores its offset once: already-confirmed updates are delivered again.</summary>
    public bool RedeliverOnce { get; set; }

    public ConcurrentQueue<DateTimeOffset> GetUpdatesCalls { get; } = new();

    /// <summary>The most getUpdates requests that were open at the same time (the real API answers a second one with 409).</summary>
    public int MaxConcurrentGetUpdates => _maxInFlight;

    public ConcurrentQueue<JsonObject> Sent { get; } = new();

    private readonly TaskCompletionSource _sendHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _holdSends;

    /// <summary>Completes when a sendMessage has arrived and is being held (see <see cref="HoldSends"/>).</summary>
    public Task SendHeld => _sendHeld.Task;

    /// <summary>
    /// Keeps every sendMessage open, unanswered, until <see cref="ReleaseSends"/>: the worker's send is then in flight
    /// (its outbox row Sending) for as long as a test needs, without timing.
    /// </summary>
    public void HoldSends() => _holdSends = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held sendMessage calls (and later ones) through.</summary>
    public void ReleaseSends() => _holdSends?.TrySetResult();

    public static async Task<FakeTelegram> StartAsync()
    {
        var fake = new FakeTelegram();
        await fake.ServeAsync(app =>
        {
            app.MapPost($"/bot{Token}/getUpdates", fake.GetUpdatesAsync);
            app.MapPost($"/bot{Token}/sendMessage", fake.SendMessageAsync);
        });
        return fake;
    }

    /// <summary>A private message from a customer (<c>message</c>), or in a business chat (<c>business_message</c>).</summary>
    public JsonObject AddMessage(long chatId, string text, string firstName = "Ana", string? languageCode = null, int? replyTo = null, string kind = "message", long? fromId = null, string? businessConnection = null, bool sentByBot = false)
    {
        lock (_gate)
        {
            var messageId = _updates.Count + 70;
            var message = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = new JsonObject { ["id"] = fromId ?? chatId, ["is_bot"] = false, ["first_name"] = firstName, ["username"] = firstName.ToLowerInvariant() + "_s", ["language_code"] = languageCode },
                ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "Customer" },
                ["date"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
                ["text"] = text,
            };
            if (replyTo is { } replied)
            {
                message["reply_to_message"] = new JsonObject { ["message_id"] = replied, ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" }, ["date"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() };
            }

            if (businessConnection is not null)
            {
                message["business_connection_id"] = businessConnection;
            }

            if (sentByBot)
            {
                message["sender_business_bot"] = new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "SlaWatch" };
            }

            _updates.Add(new JsonObject { ["update_id"] = _nextUpdateId++, [kind] = message });
            return message;
        }
    }

    private async Task<IResult> GetUpdatesAsync(HttpRequest request)
    {
        var open = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, open);
        try
        {
            return await AnswerGetUpdatesAsync(request);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private async Task<IResult> AnswerGetUpdatesAsync(HttpRequest request)
    {
        GetUpdatesCalls.Enqueue(TimeProvider.System.GetUtcNow());
        var body = await ReadBodyAsync(request);
        if (GetUpdatesFaults.TryDequeue(out var fault))
        {
            return Error(fault);
        }

        var offset = body["offset"]?.GetValue<int>() ?? 0;
        var limit = body["limit"]?.GetValue<int>() ?? 100;
        var timeout = Math.Min(body["timeout"]?.GetValue<int>() ?? 0, 2);
        var until = TimeProvider.System.GetUtcNow().AddSeconds(timeout);
        while (true)
        {
            JsonArray page;
            lock (_gate)
            {
                var from = RedeliverOnce ? 0 : offset;
                RedeliverOnce = false;
                page = new JsonArray(_updates.Where(u => u["update_id"]!.GetValue<int>() >= from).Take(limit).Select(u => (JsonNode)u.DeepClone()).ToArray());
            }

            if (page.Count > 0 || TimeProvider.System.GetUtcNow() >= until)
            {
                return Results.Json(new JsonObject { ["ok"] = true, ["result"] = page });
            }

            await Task.Delay(100);
        }
    }

    private async Task<IResult> SendMessageAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request);
        if (_holdSends is { } hold)
        {
            _sendHeld.TrySetResult();
            await hold.Task.WaitAsync(request.HttpContext.RequestAborted);
        }

        if (SendFaults.TryDequeue(out var fault))
        {
            return Error(fault);
        }

        Sent.Enqueue(body);
        var chatId = body["chat_id"]!.GetValue<long>();
        var result = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextSentId),
            ["from"] = new JsonObject { ["id"] = 123456789, ["is_bot"] = true, ["first_name"] = "SlaWatch" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
            ["date"] = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
            ["text"] = body["text"]?.GetValue<string>(),
        };
        return Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });
    }

    private static IResult Error((int Status, string Description, int? RetryAfter) fault)
    {
        var error = new JsonObject { ["ok"] = false, ["error_code"] = fault.Status, ["description"] = fault.Description };
        if (fault.RetryAfter is { } seconds)
        {
            error["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        return Results.Json(error, statusCode: fault.Status);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            var node = new JsonObject();
            foreach (var (key, value) in form)
            {
                var text = value.ToString();
                node[key] = long.TryParse(text, out var number) ? JsonValue.Create(number) : text.StartsWith('{') || text.StartsWith('[') ? JsonNode.Parse(text) : JsonValue.Create(text);
            }

            return node;
        }

        if (request.ContentLength is 0)
        {
            return [];
        }

        return await JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
    }
}
