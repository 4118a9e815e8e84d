namespace SlaWatch.Infrastructure.Security;

/// <summary>Reads a secret from its file (container secrets, systemd credentials) or its value.</summary>
public static class SecretReader
{
    /// <summary>The file's content (trimmed) when <paramref name="file"/> is set, else <paramref name="value"/>.</summary>
    public static string? Read(string? value, string? file)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            return File.ReadAllText(file).Trim();
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }
}
