using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Ingestion;

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
/// Each inbox's last successful sweep must be recent. An inbox watched by another instance is not this instance's
/// concern; one that has never been swept here and has errors is.
/// </summary>
public sealed class InboxesHealthCheck(InboxHealth health, IOptions<SlaWatchOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var snapshot = health.Snapshot();
        var problems = new List<string>();
        foreach (var inbox in options.Value.Inboxes)
        {
            if (!snapshot.TryGetValue(inbox.Name, out var status))
            {
                continue;
            }

            var staleAfter = (inbox.PollInterval * 3) + TimeSpan.FromMinutes(1);
            var failingSinceSweep = status.LastErrorAt is { } errorAt && (status.LastSweepAt is null || status.LastSweepAt < errorAt);
            if (failingSinceSweep && (status.LastSweepAt is null || now - status.LastSweepAt > staleAfter))
            {
                problems.Add($"{inbox.Name}: {status.LastError}");
            }
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Inboxes not swept recently: " + string.Join("; ", problems)));
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
