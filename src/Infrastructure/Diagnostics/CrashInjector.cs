using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Diagnostics;

/// <summary>Kills the process at a configured point; the crash-safety tests use it (<see cref="DiagnosticsOptions"/>).</summary>
public sealed partial class CrashInjector(IOptions<DiagnosticsOptions> options, ILogger<CrashInjector> logger)
{
    public void At(CrashPoint point)
    {
        if (options.Value.CrashAt != point || point == CrashPoint.None)
        {
            return;
        }

        LogCrashing(logger, point);
        Environment.FailFast($"SlaWatch:Diagnostics:CrashAt={point}");
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Critical, Message = "Crash injected at {CrashPoint} (SlaWatch:Diagnostics:CrashAt)")]
    private static partial void LogCrashing(ILogger logger, CrashPoint crashPoint);
}
