using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Messages;

/// <summary>
/// The signed, expiring link to a complaint's status page that every message to the customer carries:
/// <c>{PublicBaseUrl}/status/{token}</c>. The token carries only the reference and its own purpose, so it opens this one
/// page and nothing else (an alert-acknowledge token cannot open it, nor it acknowledge an alert).
/// </summary>
public sealed class StatusLinks(IOptions<SlaWatchOptions> options, IOptions<MessagesOptions> messages, SignedTokens tokens)
{
    /// <summary>The token purpose of the status page.</summary>
    public const string Purpose = "status";

    public const string PathPrefix = "/status/";

    /// <summary>
    /// The absolute link to the status page of <paramref name="reference"/>, valid for <c>SlaWatch:Messages:StatusLinkLifetime</c>
    /// from <paramref name="now"/>; null when there is no base URL to build it on (the message then goes without it).
    /// </summary>
    public string? Create(string reference, DateTimeOffset now)
    {
        var baseUrl = options.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return null;
        }

        var token = tokens.Create(Purpose, reference, now + messages.Value.StatusLinkLifetime);
        return baseUrl.TrimEnd('/') + PathPrefix + token;
    }

    /// <summary>The reference a status token carries when it is genuine, made for the status page and not expired.</summary>
    public TokenValidation Validate(string? token, DateTimeOffset now) => tokens.Validate(Purpose, token, now);
}
