using System.Text.Json;
using Microsoft.Extensions.Logging;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Social.Webhook;

/// <summary>What the endpoint answers.</summary>
public enum WebhookOutcome
{
    /// <summary>Stored (parsed or not): 200.</summary>
    Stored,

    /// <summary>No webhook inbox of that name: 404.</summary>
    UnknownInbox,

    /// <summary>Missing or wrong signature: 401, nothing stored.</summary>
    BadSignature,
}

/// <summary>
/// The signed webhook endpoint's work: check <c>X-Hub-Signature-256</c> against the app secret over the raw bytes,
/// store the delivery and the messages it carries in one transaction, then wake the inbox's poller to record them.
/// The platform gets its 200 only once the delivery is durable; a malformed one is kept and logged, not refused (a
/// refusal would only make the platform retry the same bytes).
/// </summary>
public sealed partial class WebhookIngestion(SocialChannels channels, SlaWatchDbContext db, SocialWakeups wakeups, TimeProvider time, ILogger<WebhookIngestion> logger)
{
    public string? Challenge(string inboxName, string? mode, string? verifyToken, string? challenge)
    {
        var inbox = channels.Inbox(inboxName);
        return inbox is { VerifyToken: { Length: > 0 } expected } && mode == "subscribe" && verifyToken == expected ? challenge : null;
    }

    public async Task<WebhookOutcome> ReceiveAsync(string inboxName, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var inbox = channels.Inbox(inboxName);
        if (inbox is null || !SocialChannels.IsWebhook(inbox))
        {
            return WebhookOutcome.UnknownInbox;
        }

        var secret = SecretReader.Read(inbox.AppSecret, inbox.AppSecretFile) ?? string.Empty;
        if (secret.Length == 0 || !WebhookSignature.IsValid(body, signature, secret))
        {
            LogBadSignature(logger, inbox.Name, body.Length);
            return WebhookOutcome.BadSignature;
        }

        var now = time.GetUtcNow();
        IReadOnlyList<SocialMessage> messages = [];
        string? error = null;
        try
        {
            messages = SocialChannels.PlatformOf(inbox) switch
            {
                WebhookPlatform.WhatsApp => WhatsAppPayload.Parse(body),
                var platform => MessengerPayload.Parse(body, platform),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            error = ex.Message;
        }

        var channel = channels.For(inbox);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var payload = new WebhookPayload { Inbox = inbox.Name, ReceivedAt = now, Body = body, Status = error is null ? "Stored" : "Malformed", Messages = messages.Count, Error = error };
            db.WebhookPayloads.Add(payload);
            await db.SaveChangesAsync(cancellationToken);
            await SocialMessageStore.InsertAsync(db, inbox.Name, channel.Channel, messages, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (error is not null)
            {
                LogMalformed(logger, inbox.Name, payload.Id, error);
            }
        }

        if (messages.Count > 0)
        {
            wakeups.Wake(inbox.Name);
        }

        return WebhookOutcome.Stored;
    }

    [LoggerMessage(EventId = 1420, Level = LogLevel.Warning, Message = "Webhook inbox {Inbox}: a delivery of {Bytes} bytes with a missing or wrong X-Hub-Signature-256 was refused; check AppSecret")]
    private static partial void LogBadSignature(ILogger logger, string inbox, int bytes);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Webhook inbox {Inbox}: delivery {PayloadId} could not be read ({Error}); kept in webhook_payloads for a person to look at")]
    private static partial void LogMalformed(ILogger logger, string inbox, long payloadId, string error);
}
