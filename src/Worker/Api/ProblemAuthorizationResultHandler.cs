using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SlaWatch.Worker.Api;

/// <summary>
/// A valid key with the wrong role gets 403 with problem details that say which role the endpoint needs; everything
/// else (401 challenges, success) goes the default way.
/// </summary>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var roles = authorizeResult.AuthorizationFailure?.FailedRequirements
            .OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles)
            .Distinct(StringComparer.Ordinal)
            .ToList() ?? [];
        var role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "none";
        var needs = roles.Count == 0 ? "another role" : $"the role {string.Join(" or ", roles)}";
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"The key '{context.User.Identity.Name}' has the role {role}; this needs {needs}.",
            },
        });
    }
}
