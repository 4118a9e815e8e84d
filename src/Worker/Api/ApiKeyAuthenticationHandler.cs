using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Worker.Api;

/// <summary>
/// Scheme <c>ApiKey</c>: a key from <c>SlaWatch:Api:Keys</c> in <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>. A browser may also send it as the password of HTTP Basic (any user name), which is
/// how a person opens the job dashboard or, later, the supervisor board without a plug-in. The principal carries the
/// key's name (the actor) and role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> api,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>WWW-Authenticate</c> challenge of the API (RFC 6750 §3).</summary>
    public const string BearerChallenge = "Bearer realm=\"SlaWatch\"";

    private const string NoKeyDetail = "This endpoint needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Ops create keys with the apikey command.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request, out var problem);
        if (problem is not null)
        {
            return Task.FromResult(AuthenticateResult.Fail(problem));
        }

        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var keys = api.CurrentValue.Keys;
        if (keys.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("No API keys are configured on this SlaWatch (SlaWatch:Api:Keys), so no key is valid."));
        }

        var key = ApiKeys.Find(keys, presented);
        if (key is null || !ApiRoles.TryParse(key.Role, out var role))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name!), new Claim(ClaimTypes.Role, role)],
            SchemeName,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = result.Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3.1: a presented but unusable key is "invalid_token"; a missing one gets the bare challenge.
        Response.Headers.WWWAuthenticate = failure is null
            ? BearerChallenge
            : $"{BearerChallenge}, error=\"invalid_token\", error_description=\"{failure.Replace("\"", "'", StringComparison.Ordinal)}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure ?? NoKeyDetail,
            },
        });
    }

    /// <summary>The key the request carries, or null; <paramref name="problem"/> when the headers are unusable.</summary>
    private static string? ReadKey(HttpRequest request, out string? problem)
    {
        problem = null;
        string? fromHeader = null;
        if (request.Headers.TryGetValue(HeaderName, out var apiKeyValues))
        {
            if (apiKeyValues.Count != 1 || string.IsNullOrWhiteSpace(apiKeyValues[0]))
            {
                problem = $"{HeaderName} must carry exactly one key.";
                return null;
            }

            fromHeader = apiKeyValues[0]!.Trim();
        }

        string? fromAuthorization = null;
        if (request.Headers.Authorization is { Count: > 0 } authorization)
        {
            if (authorization.Count != 1 || !AuthenticationHeaderValue.TryParse(authorization[0], out var parsed) || string.IsNullOrWhiteSpace(parsed.Parameter))
            {
                problem = "The Authorization header is not of the form 'Bearer <key>'.";
                return null;
            }

            if (parsed.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                fromAuthorization = parsed.Parameter.Trim();
            }
            else if (parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && TryReadBasicPassword(parsed.Parameter, out var password))
            {
                fromAuthorization = password;
            }
            else
            {
                problem = $"The Authorization scheme '{parsed.Scheme}' is not accepted; send 'Bearer <key>'.";
                return null;
            }
        }

        if (fromHeader is not null && fromAuthorization is not null && !string.Equals(fromHeader, fromAuthorization, StringComparison.Ordinal))
        {
            problem = $"The Authorization and {HeaderName} headers carry different keys; send one.";
            return null;
        }

        return fromAuthorization ?? fromHeader;
    }

    private static bool TryReadBasicPassword(string parameter, out string password)
    {
        password = string.Empty;
        if (parameter.Length > 1024)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var written))
        {
            return false;
        }

        var credentials = Encoding.UTF8.GetString(bytes[..written]);
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon == credentials.Length - 1)
        {
            return false;
        }

        password = credentials[(colon + 1)..];
        return true;
    }
}
