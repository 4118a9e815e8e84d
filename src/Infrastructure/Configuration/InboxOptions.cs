namespace SlaWatch.Infrastructure.Configuration;

/// <summary>One watched inbox, <c>SlaWatch:Inboxes:N</c>.</summary>
public sealed class InboxOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary><c>Imap</c>, <c>Telegram</c>, <c>Mastodon</c> or <c>Webhook</c> (signed pushes from Meta: see <see cref="Platform"/>).</summary>
    public string Channel { get; set; } = "Imap";

    /// <summary>Webhook: <c>WhatsApp</c>, <c>Messenger</c> or <c>Instagram</c> (case-insensitive), the product whose deliveries this inbox reads.</summary>
    public string Platform { get; set; } = "WhatsApp";

    /// <summary>Social channels: the Mastodon instance, or the Bot API server (Telegram; default https://api.telegram.org).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Telegram: the bot token from @BotFather (<c>digits:secret</c>).</summary>
    public string? BotToken { get; set; }

    public string? BotTokenFile { get; set; }

    /// <summary>Mastodon: a user token with scopes read:notifications read:statuses write:statuses. Webhook: the system-user or Page token replies are sent with.</summary>
    public string? AccessToken { get; set; }

    public string? AccessTokenFile { get; set; }

    /// <summary>Webhook: the app secret deliveries are signed with (<c>X-Hub-Signature-256</c>).</summary>
    public string? AppSecret { get; set; }

    public string? AppSecretFile { get; set; }

    /// <summary>Webhook: the token the platform sends with its verification challenge (<c>hub.verify_token</c>).</summary>
    public string? VerifyToken { get; set; }

    public string Host { get; set; } = string.Empty;

    /// <summary>0: the protocol's default for <see cref="Security"/> (993 or 143).</summary>
    public int Port { get; set; }

    public MailSecurity Security { get; set; } = MailSecurity.SslOnConnect;

    public bool AllowInsecure { get; set; }

    public string Username { get; set; } = string.Empty;

    public string? Password { get; set; }

    public string? PasswordFile { get; set; }

    public string Folder { get; set; } = "INBOX";

    public string SentFolder { get; set; } = "Sent";

    public MarkProcessedMode MarkProcessed { get; set; } = MarkProcessedMode.Keyword;

    public string ProcessedFolder { get; set; } = "Processed";

    public string ProcessedKeyword { get; set; } = "$SlaWatchIngested";

    /// <summary>Where unparseable mail is moved when <see cref="MarkProcessed"/> is <c>Move</c>.</summary>
    public string QuarantineFolder { get; set; } = "Quarantine";

    /// <summary>Keyword put on quarantined mail when <see cref="MarkProcessed"/> is <c>Keyword</c>.</summary>
    public string QuarantineKeyword { get; set; } = "$SlaWatchQuarantined";

    /// <summary>The periodic UID sweep, also when IDLE is in use (IDLE alone is not reliable).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool UseIdle { get; set; } = true;

    /// <summary>The address we answer from.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>Display name on our messages.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Addresses whose mail counts as a staff reply.</summary>
    public List<string> StaffAddresses { get; set; } = [];

    public string DefaultLanguage { get; set; } = "en";

    /// <summary>
    /// Mail already in the inbox at first connection and older than this is left alone.
    /// Unset: the first connection minus <c>SlaWatch:Messages:MaxAckAge</c>.
    /// </summary>
    public DateTimeOffset? StartFrom { get; set; }

    /// <summary>Overrides of <c>SlaWatch:Sla</c> for this inbox.</summary>
    public SlaOptions? Sla { get; set; }

    /// <summary>Overrides of <c>SlaWatch:Escalation</c> for this inbox.</summary>
    public EscalationOptions? Escalation { get; set; }

    /// <summary>Charset for raw 8-bit headers that are not UTF-8 and carry no hint (e.g. windows-1251 for a Russian mailbox).</summary>
    public string? FallbackCharset { get; set; }
}

public enum MarkProcessedMode
{
    /// <summary>A private keyword (never \Seen, so people still see the mail as unread).</summary>
    Keyword,

    /// <summary>UID MOVE to <see cref="InboxOptions.ProcessedFolder"/>.</summary>
    Move,
}
