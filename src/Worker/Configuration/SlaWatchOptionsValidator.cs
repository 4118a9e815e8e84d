using System.Net.Mail;
using Microsoft.Extensions.Options;
using SlaWatch.Domain.Languages;
using SlaWatch.Infrastructure.Channels;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Worker.Configuration;

/// <summary>Cross-field rules of <c>SlaWatch</c> and <c>SlaWatch:Inboxes</c>; every message names the key.</summary>
public sealed class SlaWatchOptionsValidator(IHostEnvironment environment) : IValidateOptions<SlaWatchOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaWatchOptions options)
    {
        var errors = new List<string>();
        var hasKey = !string.IsNullOrWhiteSpace(options.SigningKey) || !string.IsNullOrWhiteSpace(options.SigningKeyFile);
        if (!hasKey && !environment.IsDevelopment())
        {
            errors.Add("SlaWatch:SigningKey (or SlaWatch:SigningKeyFile) is required outside Development: it signs Message-IDs and links, and must be the same on every instance.");
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile) && !File.Exists(options.SigningKeyFile))
        {
            errors.Add($"SlaWatch:SigningKeyFile: the file '{options.SigningKeyFile}' does not exist.");
        }

        if (options.SigningKey is { Length: > 0 and < 16 })
        {
            errors.Add("SlaWatch:SigningKey must be at least 16 characters long.");
        }

        if (options.PublicBaseUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"SlaWatch:PublicBaseUrl: '{url}' is not an absolute URL.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Inboxes.Count; i++)
        {
            ValidateInbox($"SlaWatch:Inboxes:{i}", options.Inboxes[i], names, errors);
        }

        if (options.Inboxes.Count > 0 && options.Inboxes.All(i => string.IsNullOrWhiteSpace(i.Address)))
        {
            errors.Add("SlaWatch:Inboxes:0:Address is required: alert emails leave from an inbox's address, and no inbox has one (set Address on a social inbox when there is no mailbox).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateInbox(string key, InboxOptions inbox, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(inbox.Name))
        {
            errors.Add($"{key}:Name is required.");
        }
        else if (!names.Add(inbox.Name))
        {
            errors.Add($"{key}:Name: '{inbox.Name}' is used by another inbox; names must be unique.");
        }

        if (SocialChannels.IsSocial(inbox))
        {
            SocialInboxValidation.Validate(key, inbox, errors);
            return;
        }

        if (!string.Equals(inbox.Channel, "Imap", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{key}:Channel: '{inbox.Channel}' is not supported; use Imap, Telegram, Mastodon or Webhook.");
            return;
        }

        if (string.IsNullOrWhiteSpace(inbox.Host))
        {
            errors.Add($"{key}:Host is required.");
        }

        if (inbox.Port is < 0 or > 65535)
        {
            errors.Add($"{key}:Port: {inbox.Port} is not a port number.");
        }

        if (inbox.Security == MailSecurity.None && !inbox.AllowInsecure && !string.IsNullOrWhiteSpace(inbox.Host) && !MailConnections.IsLoopback(inbox.Host))
        {
            errors.Add($"{key}:Security: None sends the password in clear text to '{inbox.Host}'; use SslOnConnect or StartTls, or set {key}:AllowInsecure=true.");
        }

        if (string.IsNullOrWhiteSpace(inbox.Username))
        {
            errors.Add($"{key}:Username is required.");
        }

        if (string.IsNullOrEmpty(inbox.Password) && string.IsNullOrWhiteSpace(inbox.PasswordFile))
        {
            errors.Add($"{key}:Password or {key}:PasswordFile is required.");
        }
        else if (!string.IsNullOrWhiteSpace(inbox.PasswordFile) && !File.Exists(inbox.PasswordFile))
        {
            errors.Add($"{key}:PasswordFile: the file '{inbox.PasswordFile}' does not exist.");
        }

        if (!IsAddress(inbox.Address))
        {
            errors.Add($"{key}:Address: '{inbox.Address}' is not an email address; it is the address SlaWatch answers from.");
        }

        for (var i = 0; i < inbox.StaffAddresses.Count; i++)
        {
            if (!IsAddress(inbox.StaffAddresses[i]))
            {
                errors.Add($"{key}:StaffAddresses:{i}: '{inbox.StaffAddresses[i]}' is not an email address.");
            }
        }

        if (!LanguageCode.TryParse(inbox.DefaultLanguage, out _))
        {
            errors.Add($"{key}:DefaultLanguage: '{inbox.DefaultLanguage}' is not one of en, ru, nl, tl, zh, lt.");
        }

        if (inbox.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{key}:PollInterval must be positive (e.g. 00:00:30).");
        }

        if (string.IsNullOrWhiteSpace(inbox.Folder))
        {
            errors.Add($"{key}:Folder is required.");
        }

        if (inbox.MarkProcessed == MarkProcessedMode.Keyword && (string.IsNullOrWhiteSpace(inbox.ProcessedKeyword) || inbox.ProcessedKeyword.StartsWith('\\')))
        {
            errors.Add($"{key}:ProcessedKeyword: '{inbox.ProcessedKeyword}' must be a private keyword such as $SlaWatchIngested, never a system flag like \\Seen.");
        }

        if (!string.IsNullOrWhiteSpace(inbox.FallbackCharset))
        {
            try
            {
                System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
                _ = System.Text.Encoding.GetEncoding(inbox.FallbackCharset);
            }
            catch (ArgumentException)
            {
                errors.Add($"{key}:FallbackCharset: '{inbox.FallbackCharset}' is not a known charset.");
            }
        }
    }

    internal static bool IsAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value) && MailAddress.TryCreate(value, out var address) && address.Address == value.Trim();
}
