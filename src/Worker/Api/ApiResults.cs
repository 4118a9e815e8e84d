using System.Security.Claims;

namespace SlaWatch.Worker.Api;

/// <summary>What every API endpoint shares: who acts, and problem details with a clear <c>detail</c>.</summary>
internal static class ApiResults
{
    /// <summary>The name of the key that called: the actor recorded in the complaint's log.</summary>
    public static string Actor(ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("An API endpoint ran without an authenticated key.");

    public static IResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}
