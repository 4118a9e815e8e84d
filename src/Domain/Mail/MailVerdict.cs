namespace SlaWatch.Domain.Mail;

/// <summary>
/// The classifier's answer: what the message is, whether an acknowledgement may be sent at all, and why not.
/// </summary>
/// <param name="Kind">What the message is.</param>
/// <param name="MayAcknowledge">False when any rule forbids an automatic answer (a human message can still be unanswerable, e.g. a null return path or X-Auto-Response-Suppress).</param>
/// <param name="Reasons">Short machine-readable reasons, e.g. <c>auto-submitted:auto-replied</c>, <c>return-path:null</c>.</param>
public sealed record MailVerdict(MailKind Kind, bool MayAcknowledge, IReadOnlyList<string> Reasons)
{
    /// <summary>Only human mail opens complaints and moves clocks; machine mail is recorded and nothing more.</summary>
    public bool IsHuman => Kind == MailKind.Human;
}
