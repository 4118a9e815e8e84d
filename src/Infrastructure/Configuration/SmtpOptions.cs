namespace SlaWatch.Infrastructure.Configuration;

/// <summary>The relay, <c>SlaWatch:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "SlaWatch:Smtp";

    public string Host { get; set; } = string.Empty;

    /// <summary>0: the default for <see cref="Security"/> (465 or 587).</summary>
    public int Port { get; set; }

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public bool AllowInsecure { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>Envelope sender for automatic mail so bounces come back; unset: the null sender.</summary>
    public string? BounceAddress { get; set; }

    /// <summary>A connection unused this long is closed.</summary>
    public TimeSpan IdleDisconnect { get; set; } = TimeSpan.FromMinutes(1);
}
