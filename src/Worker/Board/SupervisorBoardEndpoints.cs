using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SlaWatch.Infrastructure.Complaints;
using SlaWatch.Worker.Api;

namespace SlaWatch.Worker.Board;

/// <summary>
/// <c>GET /board</c>: the supervisor board, a server-rendered page of what is at risk and breached now. It authenticates
/// itself rather than through the API's challenge so that a browser is offered HTTP Basic and asks for the key (any user
/// name, the key as password); it then applies the <see cref="ApiPolicies.Supervisor"/> policy.
/// </summary>
public static class SupervisorBoardEndpoints
{
    public const string Path = "/board";

    internal static IEndpointRouteBuilder MapSupervisorBoard(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowAsync).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task ShowAsync(
        HttpContext http,
        [FromServices] IAuthorizationService authorization,
        [FromServices] ComplaintQueries queries,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        AddPageHeaders(http.Response, nonce);
        var authenticated = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (!authenticated.Succeeded)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = new(["Basic realm=\"SlaWatch board\", charset=\"UTF-8\"", ApiKeyAuthenticationHandler.BearerChallenge]);
            await WriteAsync(http.Response, BoardPage.Refused("The board needs a supervisor's API key: your browser asks for it (any user name, the key as password).", nonce), cancellationToken);
            return;
        }

        var allowed = await authorization.AuthorizeAsync(authenticated.Principal, ApiPolicies.Supervisor);
        if (!allowed.Succeeded)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await WriteAsync(http.Response, BoardPage.Refused($"The key '{authenticated.Principal.Identity?.Name}' may not open the board: it needs the supervisor role.", nonce), cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var rows = await queries.BoardAsync(now, cancellationToken);
        var html = http.Request.Query.ContainsKey("fragment")
            ? BoardPage.Fragment(rows, now)
            : BoardPage.Render(rows, now, authenticated.Principal.Identity?.Name ?? string.Empty, nonce);
        await WriteAsync(http.Response, html, cancellationToken);
    }

    /// <summary>A strict policy: nothing loads but this page's own nonce'd script and style, and fetches to itself.</summary>
    private static void AddPageHeaders(HttpResponse response, string nonce)
    {
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static Task WriteAsync(HttpResponse response, string html, CancellationToken cancellationToken)
    {
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(html, cancellationToken);
    }
}
