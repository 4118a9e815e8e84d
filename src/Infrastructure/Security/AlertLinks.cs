using System.Globalization;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Security;

/// <summary>
/// The signed, expiring link in an alert that lets a supervisor acknowledge it without a key:
/// <c>{PublicBaseUrl}/alerts/ack/{token}</c>. The page behind it asks before it acts (a GET never changes state:
/// mail scanners prefetch links).
/// </summary>
/// <remarks>
/// <see cref="SlaWatchOptions.PublicBaseUrl"/> defaults to the first listen URL; the host fills it in (see the
/// Worker's <c>AddSlaWatchApi</c>). Set it explicitly wherever supervisors reach SlaWatch through a proxy.
/// </remarks>
public sealed class AlertLinks(IOptions<SlaWatchOptions> options, SignedTokens tokens)
{
    public const string PathPrefix = "/alerts/ack/";

    /// <summary>The absolute acknowledge link of alert <paramref name="alertId"/>, valid until <paramref name="expiresAt"/>.</summary>
    public Uri Create(long alertId, DateTimeOffset expiresAt)
    {
        var baseUrl = options.Value.PublicBaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            throw new InvalidOperationException("SlaWatch:PublicBaseUrl is not set and there is no listen URL to fall back on; alert links cannot be built.");
        }

        var token = tokens.Create(SignedTokens.AlertAcknowledge, alertId.ToString(CultureInfo.InvariantCulture), expiresAt);
        return new Uri(baseUrl.TrimEnd('/') + PathPrefix + token, UriKind.Absolute);
    }
}
