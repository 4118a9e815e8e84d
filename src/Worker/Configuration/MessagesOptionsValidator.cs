using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Worker.Configuration;

public sealed class MessagesOptionsValidator : IValidateOptions<MessagesOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagesOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Languages.Length; i++)
        {
            if (!LanguageCode.TryParse(options.Languages[i], out _))
            {
                errors.Add($"SlaWatch:Messages:Languages:{i}: '{options.Languages[i]}' is not one of en, ru, nl, tl, zh, lt.");
            }
        }

        if (!LanguageCode.TryParse(options.FallbackLanguage, out var fallback))
        {
            errors.Add($"SlaWatch:Messages:FallbackLanguage: '{options.FallbackLanguage}' is not one of en, ru, nl, tl, zh, lt.");
        }
        else if (!options.EffectiveLanguages.Any(l => LanguageCode.TryParse(l, out var code) && code == fallback))
        {
            errors.Add($"SlaWatch:Messages:FallbackLanguage: '{options.FallbackLanguage}' must be one of SlaWatch:Messages:Languages.");
        }

        if (options.MaxAckAge <= TimeSpan.Zero)
        {
            errors.Add("SlaWatch:Messages:MaxAckAge must be positive (e.g. 00:30:00).");
        }

        if (options.ReopenWindow < TimeSpan.Zero)
        {
            errors.Add("SlaWatch:Messages:ReopenWindow must not be negative.");
        }

        if (options.QuietPeriod <= TimeSpan.Zero)
        {
            errors.Add("SlaWatch:Messages:QuietPeriod must be positive (e.g. 2.00:00:00).");
        }

        if (options.QuietCheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("SlaWatch:Messages:QuietCheckInterval must be at least one second (e.g. 00:05:00).");
        }

        if (options.StatusLinkLifetime <= TimeSpan.Zero)
        {
            errors.Add("SlaWatch:Messages:StatusLinkLifetime must be positive (e.g. 90.00:00:00).");
        }

        if (options.MaxAcksPerSenderPerDay < options.MaxAcksPerSenderPerHour)
        {
            errors.Add("SlaWatch:Messages:MaxAcksPerSenderPerDay must not be lower than MaxAcksPerSenderPerHour.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
