using System.ComponentModel.DataAnnotations;

namespace SlaWatch.Infrastructure.Configuration;

/// <summary><c>SlaWatch:Delivery</c>: how the outbox is worked off.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "SlaWatch:Delivery";

    /// <summary>Hangfire workers per instance.</summary>
    [Range(1, 100)]
    public int Workers { get; set; } = 4;

    /// <summary>How often Hangfire looks for jobs enqueued by another instance (its default of 15 s is far too slow).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often rows the jobs missed (a crash between commit and enqueue, an expired lease) are picked up again.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one send may hold a row before another instance may take it over.</summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
}
