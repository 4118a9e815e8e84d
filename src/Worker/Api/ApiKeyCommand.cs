using System.Globalization;
using System.Text.Json;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Worker.Configuration;

namespace SlaWatch.Worker.Api;

/// <summary>
/// <c>apikey --name alice --role supervisor</c>: makes a new key, prints it once, and prints the configuration lines
/// that let SlaWatch accept it (only the hash). Needs no database and no inbox: it reads the configuration only to
/// pick the next free index and to refuse a name already taken.
/// </summary>
public static class ApiKeyCommand
{
    public const string Usage = "Usage: apikey --name <holder> --role <agent|supervisor|ops>";

    /// <summary>Returns the exit code: 0 printed, 2 bad arguments.</summary>
    public static int Run(IReadOnlyList<string> arguments, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var name = Option(arguments, "name");
        var role = Option(arguments, "role");
        var existing = configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>()?.Keys ?? [];
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(role))
        {
            error.WriteLine(Usage);
            return 2;
        }

        if (!ApiRoles.TryParse(role, out var canonicalRole))
        {
            error.WriteLine($"'{role}' is not a role; use {string.Join(", ", ApiRoles.All)}.");
            error.WriteLine(Usage);
            return 2;
        }

        var key = ApiKeys.Generate();
        var entry = new ApiKeyOptions { Name = name, Role = canonicalRole, Hash = ApiKeys.Hash(key) };
        var index = existing.Count;
        // The same rules the worker applies at start, so what is printed here is accepted there.
        var ours = $"SlaWatch:Api:Keys:{index}:";
        var problems = new ApiOptionsValidator().Validate(null, new ApiOptions { Keys = [.. existing, entry] });
        var refused = problems.Failed ? problems.Failures.Where(f => f.StartsWith(ours, StringComparison.Ordinal)).ToList() : [];
        if (refused.Count > 0)
        {
            foreach (var failure in refused)
            {
                error.WriteLine(failure.Replace(ours + "Name", "--name", StringComparison.Ordinal));
            }

            return 2;
        }

        var n = index.ToString(CultureInfo.InvariantCulture);
        var json = JsonSerializer.Serialize(new { entry.Name, entry.Role, entry.Hash });
        output.WriteLine($"New API key for '{name}' (role {canonicalRole}). It is shown this once; SlaWatch keeps only its hash. Hand it to its holder now:");
        output.WriteLine();
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine($"Add to SlaWatch's configuration on every instance ({(index == 0 ? "the first key" : $"{index} key(s) already configured here")}; use the next free index N):");
        output.WriteLine();
        output.WriteLine($"  SlaWatch__Api__Keys__{n}__Name={name}");
        output.WriteLine($"  SlaWatch__Api__Keys__{n}__Role={canonicalRole}");
        output.WriteLine($"  SlaWatch__Api__Keys__{n}__Hash={entry.Hash}");
        output.WriteLine();
        output.WriteLine("or, in appsettings.json, an element of \"SlaWatch\": { \"Api\": { \"Keys\": [ … ] } }:");
        output.WriteLine();
        output.WriteLine($"  {json}");
        output.WriteLine();
        output.WriteLine("The holder sends it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. To revoke it, remove these lines and restart.");
        return 0;
    }

    /// <summary><c>--name value</c> or <c>--name=value</c>.</summary>
    private static string? Option(IReadOnlyList<string> arguments, string name)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == $"--{name}" && i + 1 < arguments.Count)
            {
                return arguments[i + 1];
            }

            if (argument.StartsWith($"--{name}=", StringComparison.Ordinal))
            {
                return argument[(name.Length + 3)..];
            }
        }

        return null;
    }
}
