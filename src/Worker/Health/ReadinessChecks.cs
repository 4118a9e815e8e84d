using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Diagnostics;

namespace SlaWatch.Worker.Health;

public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + ex.Message);
        }
    }
}

/// <summary>
/// Each inbox this instance watches has swept successfully within <c>SlaWatch:Watchdog:InboxStaleAfter</c>, or has
/// not failed since (see <see cref="ServiceCondition.UnreachableInboxes"/>). An inbox watched by another instance is
/// not this instance's concern.
/// </summary>
public sealed class InboxesHealthCheck(ServiceCondition condition) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = condition.UnreachableInboxes();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Inboxes not swept recently: " + string.Join("; ", problems)));
    }
}

/// <summary>The relay answered the watchdog's last probe (healthy until the first probe, a few seconds after start).</summary>
public sealed class SmtpHealthCheck(SmtpReachability smtp) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = smtp.Last;
        return Task.FromResult(probe is { Reachable: false }
            ? HealthCheckResult.Unhealthy($"The SMTP relay did not answer the probe at {probe.At:HH:mm:ss} UTC: {probe.Error}. Alerts cannot be sent.")
            : HealthCheckResult.Healthy());
    }
}

public sealed class DeliveryHealthCheck(DeliveryHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (failing, error) = health.Current();
        return Task.FromResult(failing
            ? HealthCheckResult.Unhealthy("Nothing is leaving: the last send failed (" + error + "). Alerts and acknowledgements wait in the outbox and are retried.")
            : HealthCheckResult.Healthy());
    }
}
