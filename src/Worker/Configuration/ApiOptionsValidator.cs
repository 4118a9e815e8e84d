using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Worker.Configuration;

/// <summary><c>SlaWatch:Api:Keys</c>: each key named, unique, with a known role and a well-formed hash; every message names the key.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    /// <summary>The actor recorded for an acknowledgement through a signed link; no key may pass for it.</summary>
    public const string LinkActor = "link";

    private const int MaxNameLength = 100;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hashes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = $"SlaWatch:Api:Keys:{i}";
            var apiKey = options.Keys[i];
            if (string.IsNullOrWhiteSpace(apiKey.Name))
            {
                errors.Add($"{key}:Name is required: it names the holder of the key and is recorded as the actor of what they do.");
            }
            else if (apiKey.Name.Length > MaxNameLength || apiKey.Name.Any(char.IsControl) || apiKey.Name != apiKey.Name.Trim())
            {
                errors.Add($"{key}:Name: '{apiKey.Name}' must be at most {MaxNameLength} characters, without control characters or surrounding spaces.");
            }
            else if (string.Equals(apiKey.Name, LinkActor, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Name: '{apiKey.Name}' is reserved for acknowledgements through a signed link; choose another name.");
            }
            else if (!names.Add(apiKey.Name))
            {
                errors.Add($"{key}:Name: '{apiKey.Name}' is used by another key; names must be unique.");
            }

            if (!ApiRoles.TryParse(apiKey.Role, out _))
            {
                errors.Add($"{key}:Role: '{apiKey.Role}' is not a role; use {string.Join(", ", ApiRoles.All)}.");
            }

            if (string.IsNullOrWhiteSpace(apiKey.Hash))
            {
                errors.Add($"{key}:Hash is required: the line the apikey command prints (sha256:…); the key itself is never configured.");
            }
            else if (!ApiKeys.IsWellFormedHash(apiKey.Hash))
            {
                var hint = apiKey.Hash.StartsWith(ApiKeys.KeyPrefix, StringComparison.Ordinal)
                    ? " It looks like the key itself: configure its hash, never the key."
                    : string.Empty;
                errors.Add($"{key}:Hash is not of the form sha256:<64 hex digits>, as the apikey command prints it.{hint}");
            }
            else if (hashes.TryGetValue(apiKey.Hash, out var other))
            {
                errors.Add($"{key}:Hash is the same as {other}:Hash; each holder needs a key of their own.");
            }
            else
            {
                hashes[apiKey.Hash] = key;
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
