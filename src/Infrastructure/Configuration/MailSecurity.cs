namespace SlaWatch.Infrastructure.Configuration;

/// <summary>How a mail connection is protected. Certificates are always checked.</summary>
public enum MailSecurity
{
    SslOnConnect,
    StartTls,

    /// <summary>Plain text: only toward a loopback host unless <c>AllowInsecure=true</c>.</summary>
    None,
}
