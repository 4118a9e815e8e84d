using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Worker.Configuration;

/// <summary>
/// <c>SlaWatch:Sla</c> and <c>SlaWatch:Escalation</c>, globally and per inbox: the same code that builds the policies at
/// run time builds them here, so what passes the start cannot fail later.
/// </summary>
public sealed class SlaConfigurationValidator(IOptions<SlaOptions> sla, IOptions<EscalationOptions> escalation) : IValidateOptions<SlaWatchOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaWatchOptions options)
    {
        var errors = new List<string>();
        CheckSla("SlaWatch:Sla", sla.Value, errors);
        CheckLevels("SlaWatch:Escalation:Levels", escalation.Value.Levels, errors);
        for (var i = 0; i < options.Inboxes.Count; i++)
        {
            var inbox = options.Inboxes[i];
            var key = $"SlaWatch:Inboxes:{i}";
            if (inbox.Sla is not null)
            {
                CheckSla($"{key}:Sla", inbox.Sla, errors);
            }

            CheckLevels($"{key}:Escalation:Levels", inbox.Escalation?.Levels, errors);
            try
            {
                SlaPolicies.Build(inbox, key, sla.Value, escalation.Value);
            }
            catch (FormatException ex)
            {
                errors.Add(ex.Message);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Distinct());
    }

    private static void CheckSla(string key, SlaOptions options, List<string> errors)
    {
        if (options.FirstResponse is { } firstResponse && firstResponse <= TimeSpan.Zero)
        {
            errors.Add($"{key}:FirstResponse must be positive (e.g. 01:00:00).");
        }

        foreach (var (point, index) in (options.AtRisk ?? []).Select((p, i) => (p, i)))
        {
            if (point <= TimeSpan.Zero || (options.FirstResponse is { } window && point >= window))
            {
                errors.Add($"{key}:AtRisk:{index}: {point} must be after arrival and before the first-response deadline.");
            }
        }

        if (options.PromiseAtRiskLead is { } lead && lead <= TimeSpan.Zero)
        {
            errors.Add($"{key}:PromiseAtRiskLead must be positive (e.g. 1.00:00:00).");
        }
    }

    private static void CheckLevels(string key, List<EscalationLevelOptions>? levels, List<string> errors)
    {
        for (var i = 0; i < (levels?.Count ?? 0); i++)
        {
            var level = levels![i];
            if (string.IsNullOrWhiteSpace(level.Name))
            {
                errors.Add($"{key}:{i}:Name is required.");
            }

            if (level.Notify.Count == 0 && level.Webhooks.Count == 0)
            {
                errors.Add($"{key}:{i}: a level needs at least one address in Notify or one URL in Webhooks.");
            }

            for (var j = 0; j < level.Notify.Count; j++)
            {
                if (!SlaWatchOptionsValidator.IsAddress(level.Notify[j]))
                {
                    errors.Add($"{key}:{i}:Notify:{j}: '{level.Notify[j]}' is not an email address.");
                }
            }

            for (var j = 0; j < level.Webhooks.Count; j++)
            {
                if (!Uri.TryCreate(level.Webhooks[j], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    errors.Add($"{key}:{i}:Webhooks:{j}: '{level.Webhooks[j]}' is not an http(s) URL.");
                }
            }
        }
    }
}
