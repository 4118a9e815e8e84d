namespace SlaWatch.Infrastructure.Configuration;

/// <summary>
/// <c>SlaWatch:Sla</c> and the per-inbox override <c>SlaWatch:Inboxes:N:Sla</c>. Only the first-response window is used
/// so far: the acknowledgement tells the customer when a person answers.
/// </summary>
public sealed class SlaOptions
{
    public const string SectionName = "SlaWatch:Sla";

    /// <summary>How long after <c>received_at</c> a person must have answered.</summary>
    public TimeSpan? FirstResponse { get; set; }

    public static readonly TimeSpan DefaultFirstResponse = TimeSpan.FromHours(1);

    /// <summary>The inbox's window: its own override, else the global setting, else one hour.</summary>
    public static TimeSpan FirstResponseFor(InboxOptions inbox, SlaOptions global) =>
        inbox.Sla?.FirstResponse ?? global.FirstResponse ?? DefaultFirstResponse;
}
