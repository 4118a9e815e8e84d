using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A local stand-in of a Mastodon instance with one brand account (id 1, <c>support</c>): mention notifications and
/// the account's statuses paged as Mastodon pages them (<c>min_id</c> gives the page just above the id, newest first,
/// with a Link header), posting statuses with Idempotency-Key, and faults to inject. Shapes from the API documentation.
/// </summary>
public sealed class FakeMastodon : LocalHttpStandIn
{
    public const string AccessToken = "fake-mastodon-token";

    private static readonly JsonObject Me = new() { ["id"] = "1", ["username"] = "support", ["acct"] = "support", ["display_name"] = "Example Support" };

    private readonly List<JsonObject> _notifications = [];
    private readonly List<JsonObject> _ownStatuses = [];
    private readonly Dictionary<string, JsonObject> _byIdempotencyKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _nextNotificationId = 34975861;
    private long _nextStatusId = 103186126728896492;

    /// <summary>Forced HTTP statuses for the next notification polls (429 comes with the rate-limit headers).</summary>
    public ConcurrentQueue<HttpStatusCode> NotificationFaults { get; } = new();

    public ConcurrentQueue<HttpStatusCode> PostFaults { get; } = new();

    /// <summary>The account's notification policy (Mastodon 4.3+); null answers 404 as an older instance does.</summary>
    public JsonObject? Policy { get; set; }

    /// <summary>When set, the next notification poll ignores its min_id once: everything is delivered again.</summary>
    public bool RedeliverOnce { get; set; }

    public ConcurrentQueue<(DateTimeOffset At, string Query)> NotificationCalls { get; } = new();

    /// <summary>Every POST /api/v1/statuses, failed ones too: its Idempotency-Key and body.</summary>
    public ConcurrentQueue<(string? IdempotencyKey, JsonObject Body)> PostAttempts { get; } = new();

    /// <summary>The statuses actually created (one per idempotency key).</summary>
    public IReadOnlyList<JsonObject> Posted
    {
        get
        {
            lock (_gate)
            {
                return _byIdempotencyKey.Values.ToList();
            }
        }
    }

    public static async Task<FakeMastodon> StartAsync()
    {
        var fake = new FakeMastodon();
        await fake.ServeAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.Headers.Authorization != "Bearer " + AccessToken)
                {
                    context.Response.StatusCode = 401;
                    await context.Response.WriteAsJsonAsync(new { error = "The access token is invalid" });
                    return;
                }

                await next(context);
            });
            app.MapGet("/api/v1/accounts/verify_credentials", () => Results.Json(Me));
            app.MapGet("/api/v2/notifications/policy", () => fake.Policy is null ? Results.NotFound() : Results.Json(fake.Policy));
            app.MapGet("/api/v1/notifications", fake.Notifications);
            app.MapGet("/api/v1/accounts/1/statuses", fake.OwnStatuses);
            app.MapPost("/api/v1/statuses", fake.PostStatusAsync);
        });
        return fake;
    }

    /// <summary>A customer mentions the account (a public mention, or a private one with visibility direct).</summary>
    public JsonObject AddMention(string acct, string text, string visibility = "public", string? inReplyTo = null, string? language = null)
    {
        lock (_gate)
        {
            var account = new JsonObject { ["id"] = "97" + acct.Length.ToString(CultureInfo.InvariantCulture), ["username"] = acct.Split('@')[0], ["acct"] = acct, ["display_name"] = acct.Split('@')[0] };
            var status = Status(_nextStatusId++, account, $"<p><span class=\"h-card\"><a href=\"{BaseUrl}/@support\" class=\"u-url mention\">@<span>support</span></a></span> {WebUtility.HtmlEncode(text)}</p>", visibility, inReplyTo, language);
            status["mentions"] = new JsonArray(Me.DeepClone());
            _notifications.Add(new JsonObject
            {
                ["id"] = (_nextNotificationId++).ToString(CultureInfo.InvariantCulture),
                ["type"] = "mention",
                ["created_at"] = status["created_at"]!.DeepClone(),
                ["account"] = account.DeepClone(),
                ["status"] = status,
            });
            return status;
        }
    }

    /// <summary>Staff answer from the brand account in any Mastodon app.</summary>
    public JsonObject AddStaffReply(string inReplyTo, string text, string visibility = "direct")
    {
        lock (_gate)
        {
            var status = Status(_nextStatusId++, Me, $"<p>{WebUtility.HtmlEncode(text)}</p>", visibility, inReplyTo, "en");
            _ownStatuses.Add(status);
            return status;
        }
    }

    private static JsonObject Status(long id, JsonObject account, string html, string visibility, string? inReplyTo, string? language) => new()
    {
        ["id"] = id.ToString(CultureInfo.InvariantCulture),
        ["created_at"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["in_reply_to_id"] = inReplyTo,
        ["in_reply_to_account_id"] = inReplyTo is null ? null : "1",
        ["visibility"] = visibility,
        ["language"] = language,
        ["content"] = html,
        ["account"] = account.DeepClone(),
    };

    private IResult Notifications(HttpRequest request)
    {
        NotificationCalls.Enqueue((TimeProvider.System.GetUtcNow(), request.QueryString.Value ?? string.Empty));
        if (NotificationFaults.TryDequeue(out var fault))
        {
            return Fault(request, fault);
        }

        lock (_gate)
        {
            var minId = RedeliverOnce ? "0" : request.Query["min_id"].ToString();
            RedeliverOnce = false;
            return Page(request, "/api/v1/notifications", _notifications, minId, 40, 80);
        }
    }

    private IResult OwnStatuses(HttpRequest request)
    {
        lock (_gate)
        {
            return Page(request, "/api/v1/accounts/1/statuses", _ownStatuses, request.Query["min_id"].ToString(), 20, 40);
        }
    }

    /// <summary>Mastodon's paging: with min_id, the items just above it; without, the newest. Newest first either way.</summary>
    private IResult Page(HttpRequest request, string path, List<JsonObject> items, string minId, int defaultLimit, int maxLimit)
    {
        var limit = int.TryParse(request.Query["limit"], CultureInfo.InvariantCulture, out var asked) ? Math.Min(asked, maxLimit) : defaultLimit;
        var ordered = items.OrderBy(i => long.Parse(i["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        var page = string.IsNullOrEmpty(minId)
            ? ordered.TakeLast(limit).ToList()
            : ordered.Where(i => long.Parse(i["id"]!.GetValue<string>(), CultureInfo.InvariantCulture) > long.Parse(minId, CultureInfo.InvariantCulture)).Take(limit).ToList();
        page.Reverse();
        if (page.Count > 0)
        {
            request.HttpContext.Response.Headers.Append("Link", $"<{BaseUrl}{path}?max_id={page[^1]["id"]}>; rel=\"next\", <{BaseUrl}{path}?min_id={page[0]["id"]}>; rel=\"prev\"");
        }

        return Results.Json(new JsonArray(page.Select(p => (JsonNode)p.DeepClone()).ToArray()));
    }

    private async Task<IResult> PostStatusAsync(HttpRequest request)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        PostAttempts.Enqueue((key, body));
        if (PostFaults.TryDequeue(out var fault))
        {
            return Fault(request, fault);
        }

        lock (_gate)
        {
            if (key is not null && _byIdempotencyKey.TryGetValue(key, out var earlier))
            {
                return Results.Json(earlier);
            }

            var status = Status(_nextStatusId++, Me, $"<p>{WebUtility.HtmlEncode(body["status"]!.GetValue<string>())}</p>", body["visibility"]?.GetValue<string>() ?? "public", body["in_reply_to_id"]?.GetValue<string>(), null);
            _ownStatuses.Add(status);
            _byIdempotencyKey[key ?? Guid.NewGuid().ToString()] = status;
            return Results.Json(status);
        }
    }

    private static IResult Fault(HttpRequest request, HttpStatusCode status)
    {
        var headers = request.HttpContext.Response.Headers;
        if (status == HttpStatusCode.TooManyRequests)
        {
            var now = TimeProvider.System.GetUtcNow();
            headers["X-RateLimit-Limit"] = "300";
            headers["X-RateLimit-Remaining"] = "0";
            headers["X-RateLimit-Reset"] = now.AddSeconds(2).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            headers.Date = now.ToString("R", CultureInfo.InvariantCulture);
        }

        return Results.Json(new { error = status.ToString() }, statusCode: (int)status);
    }
}
