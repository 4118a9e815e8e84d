using Microsoft.AspNetCore.Authorization;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Worker.Api;

/// <summary>The authorization policies of the API, by who may act: supervisors can do what agents do; ops only run the service.</summary>
public static class ApiPolicies
{
    /// <summary>Work on complaints: agents and supervisors.</summary>
    public const string Agent = "Agent";

    /// <summary>Acknowledge alerts (and, later, the board): supervisors.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>The job dashboard, metrics and, later, erasure: ops.</summary>
    public const string Ops = "Ops";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Agent, Require(ApiRoles.Agent, ApiRoles.Supervisor));
        options.AddPolicy(Supervisor, Require(ApiRoles.Supervisor));
        options.AddPolicy(Ops, Require(ApiRoles.Ops));
        // What an endpoint with RequireAuthorization() and no policy gets: any valid key.
        options.DefaultPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build();
    }

    private static AuthorizationPolicy Require(params string[] roles) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole(roles).Build();
}
