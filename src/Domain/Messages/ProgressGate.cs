using SlaWatch.Domain.Mail;

namespace SlaWatch.Domain.Messages;

/// <summary>The gate's answer for one update to a customer.</summary>
/// <param name="Allowed">True when the update may be queued.</param>
/// <param name="Reason">Why not; null when allowed.</param>
public sealed record UpdateDecision(bool Allowed, string? Reason)
{
    public static UpdateDecision Allow { get; } = new(true, null);

    public static UpdateDecision Deny(string reason) => new(false, reason);
}

/// <summary>
/// Whether SlaWatch may write an update (progress, a moved promise, the thanks at the end) to a complaint's customer: the
/// acknowledgement's per-sender rules where they make sense for a message nobody's mail triggered. Never to a customer a
/// bounce showed unreachable; never to an address that is not one valid mailbox (EMAIL.md A16); never when the mail that
/// opened the complaint asked not to be answered automatically (a null return path, <c>X-Auto-Response-Suppress</c>:
/// EMAIL.md A2, A7); and at most so many updates to one recipient in any 24 hours, so nothing can bury a customer.
/// Pure: the caller passes what it knows and <c>now</c>.
/// </summary>
public static class ProgressGate
{
    /// <param name="recipient">The customer's address.</param>
    /// <param name="customerUnreachable">A bounce showed the customer cannot be reached by email.</param>
    /// <param name="notAutomaticReasons">Why the customer's mail may not be answered automatically (the classifier's
    /// reasons on a human message), or null when it may.</param>
    /// <param name="priorUpdatesToRecipient">When earlier updates to this recipient were queued (older ones are ignored).</param>
    /// <param name="perDay">At most this many updates to one recipient in any rolling 24 hours.</param>
    /// <param name="now">The current time.</param>
    /// <param name="recipientIsMailAddress">False on a social channel, where the customer is a chat id or a handle.</param>
    public static UpdateDecision Decide(
        string recipient,
        bool customerUnreachable,
        string? notAutomaticReasons,
        IReadOnlyList<DateTimeOffset> priorUpdatesToRecipient,
        int perDay,
        DateTimeOffset now,
        bool recipientIsMailAddress = true)
    {
        ArgumentNullException.ThrowIfNull(priorUpdatesToRecipient);
        if (customerUnreachable)
        {
            return UpdateDecision.Deny("customer:unreachable");
        }

        // A social customer is a chat id or a handle, not a mail address.
        if (recipientIsMailAddress && !MailAddressSyntax.IsValid(recipient))
        {
            return UpdateDecision.Deny("recipient:invalid");
        }

        if (!string.IsNullOrWhiteSpace(notAutomaticReasons))
        {
            return UpdateDecision.Deny("not-automatic:" + notAutomaticReasons.Trim());
        }

        // A prior stamped after "now" (clock skew between instances) counts as recent.
        var lastDay = priorUpdatesToRecipient.Count(at => now - at < AcknowledgementGate.Day);
        return lastDay >= perDay ? UpdateDecision.Deny("rate:day") : UpdateDecision.Allow;
    }
}
