namespace SlaWatch.Infrastructure.Security;

/// <summary>The roles of an API key (PRODUCT.md): agents answer complaints, supervisors are alerted, ops run the service.</summary>
public static class ApiRoles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Ops = "ops";

    public static IReadOnlyList<string> All { get; } = [Agent, Supervisor, Ops];

    /// <summary>The role's canonical (lower-case) spelling; configuration may write it in any case.</summary>
    public static bool TryParse(string? value, out string role)
    {
        role = All.FirstOrDefault(r => string.Equals(r, value?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        return role.Length > 0;
    }
}
