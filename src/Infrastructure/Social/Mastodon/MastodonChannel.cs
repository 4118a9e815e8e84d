using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Mastodon;

/// <summary>
/// A Mastodon account, polled over the REST API. Complaints are mention notifications (public or direct), paged with
/// <c>min_id</c> (never <c>since_id</c>, which skips when more than a page arrived) and <c>include_filtered=true</c>
/// (notification policies may otherwise hide strangers). Staff replies are the account's own statuses that answer
/// something; the ones SlaWatch posted are recognised by their recorded id. The cursor holds the newest notification
/// and own-status ids seen.
/// </summary>
public sealed partial class MastodonChannel(HttpClient http, string baseUrl, string accessToken) : ISocialChannel
{
    private const int NotificationPage = 80;
    private const int StatusPage = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Uri _base = new(baseUrl.TrimEnd('/') + "/");

    public string Channel => OutboxChannels.Mastodon;

    public int MaxReplyLength => 500;

    public TimeSpan? Retention => null;

    /// <summary>Per account (the token), stable across instances.</summary>
    public string LeaseKey => "mastodon/" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_base.Host + "\n" + accessToken)))[..16];

    public bool LongPolls => false;

    public async Task<SocialPollResult> PollAsync(string? cursor, CancellationToken cancellationToken)
    {
        var state = cursor is null ? new MastodonCursor(null, null, null) : JsonSerializer.Deserialize<MastodonCursor>(cursor, Json) ?? new MastodonCursor(null, null, null);
        string? warning = null;
        var me = state.Me;
        if (me is null)
        {
            me = (await GetAsync<Account>("api/v1/accounts/verify_credentials", cancellationToken)).Value.Id;
            warning = await PolicyWarningAsync(cancellationToken);
        }

        var notificationsPath = "api/v1/notifications?types[]=mention&include_filtered=true&limit=" + NotificationPage.ToString(CultureInfo.InvariantCulture)
                                + (state.Notifications is null ? string.Empty : "&min_id=" + Uri.EscapeDataString(state.Notifications));
        var (notifications, notificationsPrev) = await GetAsync<List<Notification>>(notificationsPath, cancellationToken);
        var statusesPath = $"api/v1/accounts/{Uri.EscapeDataString(me)}/statuses?limit={StatusPage.ToString(CultureInfo.InvariantCulture)}"
                           + (state.Statuses is null ? string.Empty : "&min_id=" + Uri.EscapeDataString(state.Statuses));
        var (statuses, statusesPrev) = await GetAsync<List<Status>>(statusesPath, cancellationToken);

        var messages = new List<SocialMessage>();
        foreach (var notification in notifications.Where(n => n.Type == "mention" && n.Status is not null && n.Account.Id != me))
        {
            messages.Add(FromCustomer(notification.Status!));
        }

        foreach (var status in statuses.Where(s => s.InReplyToId is not null))
        {
            messages.Add(new SocialMessage(status.Id, status.Id, status.InReplyToId, status.Account.Acct, status.Account.Acct, SocialAuthorRole.Staff, PlainText(status.Content), status.CreatedAt, status.Visibility));
        }

        // The newest id on the page, or the Link header's rel="prev" min_id (preferred: ids are opaque to us).
        // An account with nothing yet starts from the beginning ("0"), so a burst before the next poll is paged, not cut to its newest page.
        var next = new MastodonCursor(
            me,
            notificationsPrev ?? Newest(notifications.Select(n => n.Id)) ?? state.Notifications ?? "0",
            statusesPrev ?? Newest(statuses.Select(s => s.Id)) ?? state.Statuses ?? "0");
        messages.Sort((a, b) => CompareIds(a.PlatformId, b.PlatformId));
        // min_id pages forward from the cursor: page on until both come back empty.
        return new SocialPollResult(messages, JsonSerializer.Serialize(next, Json), More: notifications.Count > 0 || statuses.Count > 0, warning);
    }

    /// <summary>Direct visibility reaches only the mentioned accounts, so every reply starts with the customer's @mention.</summary>
    public string ReplyPrefix(string customer, string? replyContext) => "@" + customer + " ";

    public async Task<SocialSendResult> SendAsync(SocialReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "api/v1/statuses"))
        {
            Content = JsonContent.Create(new PostStatus(reply.Text, reply.InReplyTo, VisibilityOfReply(reply.ReplyContext)), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        // Mastodon keeps the key for an hour: a retry after a timeout does not post twice.
        request.Headers.Add("Idempotency-Key", reply.IdempotencyKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new SocialSendResult(false, false, $"Mastodon not reachable: {ex.Message}", null);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new SocialSendResult(false, false, $"Mastodon timed out: {ex.Message}", null);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var status = await response.Content.ReadFromJsonAsync<Status>(Json, cancellationToken);
                return new SocialSendResult(true, false, $"status {status?.Id}", status?.Id);
            }

            var code = (int)response.StatusCode;
            var permanent = code is >= 400 and < 500 and not 408 and not 429;
            return new SocialSendResult(false, permanent, $"Mastodon {code} {response.ReasonPhrase}", null, RetryAfterOf(response));
        }
    }

    /// <summary>
    /// Mastodon 4.3+ notification policies can drop notifications from strangers or private mentions before they exist:
    /// such complaints never reach SlaWatch. Checked once per start; an older instance (404) has no policy.
    /// </summary>
    private async Task<string?> PolicyWarningAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (policy, _) = await GetAsync<Dictionary<string, JsonElement>>("api/v2/notifications/policy", cancellationToken);
            var dropped = policy.Where(p => p.Key.StartsWith("for_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "drop")
                .Select(p => p.Key)
                .Order(StringComparer.Ordinal)
                .ToList();
            return dropped.Count == 0
                ? null
                : $"the account's notification policy drops notifications ({string.Join(", ", dropped)}): complaints from those people never arrive; set them to filter or accept";
        }
        catch (SocialChannelException)
        {
            return null;
        }
    }

    /// <summary>Mastodon ids are opaque strings; for vanilla Mastodon, longer is newer, then ordinal order.</summary>
    public static int CompareIds(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    /// <summary>Sanitised HTML (p, br, span, a) to plain text.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return string.Empty;
        }

        var text = LineBreak().Replace(html, "\n");
        text = ParagraphBreak().Replace(text, "\n\n");
        text = Tag().Replace(text, string.Empty);
        return WebUtility.HtmlDecode(text).Trim();
    }

    private static SocialMessage FromCustomer(Status status) =>
        new(status.Id, status.Id, status.InReplyToId, status.Account.Acct, string.IsNullOrWhiteSpace(status.Account.DisplayName) ? "@" + status.Account.Acct : status.Account.DisplayName,
            SocialAuthorRole.Customer, PlainText(status.Content), status.CreatedAt, status.Visibility, status.Language);

    /// <summary>A direct or followers-only complaint is answered the same way; a public one unlisted (no timeline noise).</summary>
    private static string VisibilityOfReply(string? customerVisibility) => customerVisibility switch
    {
        "direct" => "direct",
        "private" => "private",
        _ => "unlisted",
    };

    private static string? Newest(IEnumerable<string> ids) =>
        ids.Aggregate((string?)null, (max, id) => max is null || CompareIds(id, max) > 0 ? id : max);

    private async Task<(T Value, string? PrevMinId)> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SocialChannelException($"Mastodon instance {_base.Host} not reachable: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocialChannelException($"Mastodon instance {_base.Host} timed out", null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var hint = code switch
                {
                    401 or 403 => ": the access token was refused (AccessToken / AccessTokenFile; scopes read:notifications read:statuses write:statuses)",
                    429 => ": rate limited",
                    _ => string.Empty,
                };
                throw new SocialChannelException($"Mastodon {code} on {request.RequestUri!.AbsolutePath}{hint}", RetryAfterOf(response));
            }

            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                        ?? throw new SocialChannelException($"Mastodon returned an empty body on {request.RequestUri!.AbsolutePath}");
            return (value, PrevMinId(response));
        }
    }

    /// <summary>From <c>X-RateLimit-Reset</c> (an ISO timestamp) or <c>Retry-After</c>.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && DateTimeOffset.TryParse(values.First(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset)
            && response.Headers.Date is { } serverNow)
        {
            return reset - serverNow > TimeSpan.Zero ? reset - serverNow : TimeSpan.Zero;
        }

        return response.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromMinutes(1) : null;
    }

    private static string? PrevMinId(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        var match = PrevLink().Match(string.Join(',', links));
        return match.Success ? Uri.UnescapeDataString(match.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"<[^>]*[?&]min_id=([^&>]+)[^>]*>\s*;\s*rel=""prev""")]
    private static partial Regex PrevLink();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"</p>\s*<p>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    private sealed record MastodonCursor(string? Me, string? Notifications, string? Statuses);

    private sealed record Account(string Id, string Acct, string? DisplayName);

    private sealed record Status(string Id, DateTimeOffset CreatedAt, string? InReplyToId, string? Visibility, string? Content, string? Language, Account Account);

    private sealed record Notification(string Id, string Type, Account Account, Status? Status);

    private sealed record PostStatus(
        [property: JsonPropertyName("status")] string Text,
        string? InReplyToId,
        string Visibility);
}
