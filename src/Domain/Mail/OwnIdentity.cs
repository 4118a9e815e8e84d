namespace SlaWatch.Domain.Mail;

/// <summary>Who "we" are, so our own mail coming back is never answered (EMAIL.md A9, A10).</summary>
/// <param name="Addresses">Our own addresses, lower-cased: every inbox address, the bounce address, staff addresses.</param>
/// <param name="MessageIdDomain">The domain in the right-hand side of the Message-IDs we generate.</param>
public sealed record OwnIdentity(IReadOnlySet<string> Addresses, string MessageIdDomain);
