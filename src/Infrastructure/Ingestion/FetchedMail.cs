namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>One message as it came off the IMAP server.</summary>
public sealed record FetchedMail(long Uid, DateTimeOffset InternalDate, long Size, byte[] Raw, byte[] Sha256, bool Truncated);
