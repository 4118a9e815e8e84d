namespace SlaWatch.Domain.Mail;

/// <summary>What an inbound email is, as far as answering it goes (docs: ../shared EMAIL.md checklist A).</summary>
public enum MailKind
{
    /// <summary>Written by a person: may open a complaint and get an acknowledgement.</summary>
    Human,

    /// <summary>Auto-reply, vacation notice or other machine-generated mail (A1, A8, A15).</summary>
    AutoReply,

    /// <summary>Bounce or delivery status notification (A3, A4).</summary>
    Bounce,

    /// <summary>Read receipt or feedback report (A3).</summary>
    Report,

    /// <summary>Mailing list or bulk mail (A5, A6).</summary>
    Bulk,

    /// <summary>From one of our own addresses, or our own message coming back (A9, A10).</summary>
    OwnMail,

    /// <summary>From a role or no-reply address (A11).</summary>
    RoleSender,

    /// <summary>Flagged as spam, or carries an executable attachment (A12).</summary>
    Spam,
}
