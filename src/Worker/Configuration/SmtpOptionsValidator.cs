using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Channels;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Worker.Configuration;

public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add("SlaWatch:Smtp:Host is required: acknowledgements leave through this relay.");
        }
        else if (options.Security == MailSecurity.None && !options.AllowInsecure && !MailConnections.IsLoopback(options.Host))
        {
            errors.Add($"SlaWatch:Smtp:Security: None toward '{options.Host}' is plain text; use SslOnConnect or StartTls, or set SlaWatch:Smtp:AllowInsecure=true.");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"SlaWatch:Smtp:Port: {options.Port} is not a port number.");
        }

        if (!string.IsNullOrWhiteSpace(options.BounceAddress) && !SlaWatchOptionsValidator.IsAddress(options.BounceAddress))
        {
            errors.Add($"SlaWatch:Smtp:BounceAddress: '{options.BounceAddress}' is not an email address.");
        }

        if (!string.IsNullOrWhiteSpace(options.PasswordFile) && !File.Exists(options.PasswordFile))
        {
            errors.Add($"SlaWatch:Smtp:PasswordFile: the file '{options.PasswordFile}' does not exist.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
