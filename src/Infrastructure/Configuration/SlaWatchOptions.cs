namespace SlaWatch.Infrastructure.Configuration;

/// <summary>Configuration section <c>SlaWatch</c>: what every part shares.</summary>
public sealed class SlaWatchOptions
{
    public const string SectionName = "SlaWatch";

    /// <summary>Base of the links SlaWatch puts in messages; defaults to the listen URL.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Secret for signed Message-IDs, links and webhook signatures; the same on every instance.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding the signing key (e.g. a container secret); wins over <see cref="SigningKey"/>.</summary>
    public string? SigningKeyFile { get; set; }

    public List<InboxOptions> Inboxes { get; set; } = [];
}
