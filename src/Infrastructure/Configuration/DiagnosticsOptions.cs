namespace SlaWatch.Infrastructure.Configuration;

/// <summary>
/// <c>SlaWatch:Diagnostics</c>. <see cref="CrashAt"/> kills the process at a named point so the crash-safety tests can
/// prove that nothing is lost and nothing is sent twice. Never set it in production.
/// </summary>
public sealed class DiagnosticsOptions
{
    public const string SectionName = "SlaWatch:Diagnostics";

    public CrashPoint CrashAt { get; set; } = CrashPoint.None;
}

public enum CrashPoint
{
    None,

    /// <summary>After the raw message is stored, before it becomes a complaint.</summary>
    AfterRawStored,

    /// <summary>After the complaint is committed, before the message is marked on the server.</summary>
    BeforeServerMark,

    /// <summary>After a send is claimed, before the SMTP transaction.</summary>
    BeforeSmtpSend,

    /// <summary>After the relay accepted and the Sent copy is stored, before the database records it.</summary>
    AfterSentCopy,
}
