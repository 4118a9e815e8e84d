namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Retention</c>: how long raw mail and personal data are kept, and how often the purge runs.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "SlaWatch:Retention";

    /// <summary>The raw bytes of fetched mail are blanked this long after they were fetched (the row and its facts stay).</summary>
    public TimeSpan RawMail { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A resolved complaint's personal data is anonymised this long after its resolution.</summary>
    public TimeSpan PersonalData { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// When the purge runs: an interval (<c>01:00:00</c>) or a Quartz cron expression in UTC (<c>0 30 3 * * ?</c>).
    /// </summary>
    public string Schedule { get; set; } = "01:00:00";

    /// <summary>Rows changed per statement: each batch is its own short transaction, so ingestion is never held long.</summary>
    public int BatchSize { get; set; } = 500;
}
