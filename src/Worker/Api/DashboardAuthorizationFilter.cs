using System.Net;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Worker.Api;

/// <summary>
/// Who may open the Hangfire dashboard (<c>/hangfire</c>): with API keys configured, a key of the ops role and nobody
/// else, loopback included; with none configured, local requests only, as Hangfire's own default. Hangfire answers
/// 401 when the request carries no valid key and 403 when the key's role is not ops.
/// </summary>
/// <remarks>
/// The challenge offers HTTP Basic so a browser asks for the key (as the password) and resends it with every request
/// of the dashboard; the dashboard's own POSTs are protected by the antiforgery token Hangfire checks.
/// </remarks>
public sealed class DashboardAuthorizationFilter(IOptionsMonitor<ApiOptions> api) : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (api.CurrentValue.Keys.Count == 0)
        {
            return http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
        }

        var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (result.Succeeded)
        {
            // Hangfire tells 401 from 403 by whether the user is authenticated.
            http.User = result.Principal;
            return result.Principal.IsInRole(ApiRoles.Ops);
        }

        http.Response.Headers.WWWAuthenticate = new([ApiKeyAuthenticationHandler.BearerChallenge, "Basic realm=\"SlaWatch\", charset=\"UTF-8\""]);
        return false;
    }
}
