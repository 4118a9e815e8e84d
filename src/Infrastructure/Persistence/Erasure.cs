namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// The record that one customer's personal data was erased on request: who asked, when, how many rows were touched.
/// The address itself is not kept — only a keyed hash of it, so "was this address erased?" can be answered later
/// by someone who holds the signing key, and by nobody who only reads the table.
/// </summary>
public sealed class Erasure
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The API key's name that asked for it.</summary>
    public required string Actor { get; set; }

    /// <summary>HMAC-SHA256 (hex) of the lower-cased address with the signing key.</summary>
    public required string SubjectHash { get; set; }

    public int Complaints { get; set; }

    public int InboundMessages { get; set; }

    public int OutboxMessages { get; set; }

    public int ThreadIds { get; set; }

    public int Events { get; set; }
}
