namespace SlaWatch.Infrastructure.Configuration;

/// <summary>
/// <c>SlaWatch:Api</c>: who may call the HTTP API. Only the hash of each key is configured; the key itself is shown
/// once by the <c>apikey</c> command and kept by its holder.
/// </summary>
public sealed class ApiOptions
{
    public const string SectionName = "SlaWatch:Api";

    /// <summary><c>SlaWatch:Api:Keys:N:Name</c>, <c>Role</c>, <c>Hash</c>.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];
}

/// <summary>One API key: who holds it (recorded as the actor of what they do), their role, and the key's hash.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>A unique name, e.g. <c>alice</c> or <c>crm-integration</c>; it is the actor in the complaint's log.</summary>
    public string? Name { get; set; }

    /// <summary><c>agent</c>, <c>supervisor</c> or <c>ops</c>.</summary>
    public string? Role { get; set; }

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the key, as the <c>apikey</c> command prints it.</summary>
    public string? Hash { get; set; }
}
