using Microsoft.Extensions.Options;
using Quartz;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Worker.Configuration;

/// <summary><c>SlaWatch:Metrics</c>: a path the endpoint can be mapped at, a positive gauge refresh.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path) || !options.Path.StartsWith('/') || options.Path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"SlaWatch:Metrics:Path: '{options.Path}' must start with '/' and lie outside /api (e.g. /metrics).");
        }

        if (options.GaugeRefresh <= TimeSpan.Zero)
        {
            errors.Add($"SlaWatch:Metrics:GaugeRefresh: {options.GaugeRefresh} must be positive (e.g. 00:00:15).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary><c>SlaWatch:Watchdog</c>: positive durations, an absolute http(s) heartbeat URL.</summary>
public sealed class WatchdogOptionsValidator : IValidateOptions<WatchdogOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Positive(errors, "InboxStaleAfter", options.InboxStaleAfter);
        Positive(errors, "SmtpProbeInterval", options.SmtpProbeInterval);
        Positive(errors, "SmtpProbeTimeout", options.SmtpProbeTimeout);
        Positive(errors, "HeartbeatInterval", options.HeartbeatInterval);
        if (!string.IsNullOrWhiteSpace(options.HeartbeatUrl)
            && !(Uri.TryCreate(options.HeartbeatUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add("SlaWatch:Watchdog:HeartbeatUrl must be an absolute http or https URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"SlaWatch:Watchdog:{key}: {value} must be positive.");
        }
    }
}

/// <summary><c>SlaWatch:Retention</c>: positive windows, a schedule that is an interval or a Quartz cron expression.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.RawMail <= TimeSpan.Zero)
        {
            errors.Add($"SlaWatch:Retention:RawMail: {options.RawMail} must be positive (e.g. 30.00:00:00).");
        }

        if (options.PersonalData <= TimeSpan.Zero)
        {
            errors.Add($"SlaWatch:Retention:PersonalData: {options.PersonalData} must be positive (e.g. 365.00:00:00).");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            errors.Add($"SlaWatch:Retention:BatchSize: {options.BatchSize} must be between 1 and 100000.");
        }

        if (RetentionSchedule.Parse(options.Schedule) is null)
        {
            errors.Add($"SlaWatch:Retention:Schedule: '{options.Schedule}' is neither a positive interval (01:00:00) nor a Quartz cron expression (0 30 3 * * ?).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The retention schedule: an interval or a cron expression.</summary>
public sealed record RetentionSchedule(TimeSpan? Interval, string? Cron)
{
    public static RetentionSchedule? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var interval))
        {
            return interval > TimeSpan.Zero ? new RetentionSchedule(interval, null) : null;
        }

        try
        {
            _ = new CronExpression(value);
            return new RetentionSchedule(null, value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
