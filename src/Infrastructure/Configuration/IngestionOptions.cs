using System.ComponentModel.DataAnnotations;

namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Ingestion</c>: limits of the IMAP ingestion.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "SlaWatch:Ingestion";

    /// <summary>Messages fetched and committed together during a sweep.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Larger messages are stored truncated to this many bytes (headers and the start of the body).</summary>
    [Range(64 * 1024, int.MaxValue)]
    public int MaxStoredMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Processing attempts before a message is quarantined.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long IDLE runs before it is re-issued (RFC 2177: under 29 minutes; Gmail wants ~9).</summary>
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>Timeout for connecting and authenticating (MailKit #1186: a connect can otherwise hang).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
