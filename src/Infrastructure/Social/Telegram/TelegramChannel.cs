using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Social.Telegram;

/// <summary>
/// A Telegram bot, polled with getUpdates (long polling: no public URL needed). The cursor is the next update offset
/// (last update id + 1); the Bot API forgets an update once a later offset is asked for, so the caller persists the
/// cursor only after the messages are stored. Private chats only; one conversation per chat. A plain bot never sees
/// what staff type in Telegram; with Telegram Business, staff messages arrive as business messages and count.
/// </summary>
public sealed class TelegramChannel : ISocialChannel
{
    private static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.BusinessMessage];

    private readonly TelegramBotClient _client;
    private readonly int _longPollSeconds;

    public TelegramChannel(string botToken, string? baseUrl, HttpClient http, TimeSpan longPoll)
    {
        ArgumentNullException.ThrowIfNull(botToken);
        // Library retries of 429s are left to SlaWatch's own backoff, so a flood limit shows in the logs and health.
        var options = new TelegramBotClientOptions(botToken, string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.TrimEnd('/')) { RetryCount = 0 };
        _client = new TelegramBotClient(options, http);
        _longPollSeconds = (int)Math.Clamp(longPoll.TotalSeconds, 0, 50);
        // The lease is per bot, not per inbox: Telegram allows one getUpdates consumer per token.
        LeaseKey = "telegram-bot/" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(botToken)))[..16];
    }

    public string Channel => OutboxChannels.Telegram;

    public int MaxReplyLength => 4096;

    /// <summary>The Bot API keeps unread updates for 24 hours.</summary>
    public TimeSpan? Retention => TimeSpan.FromHours(24);

    public string LeaseKey { get; }

    public bool LongPolls => true;

    public async Task<SocialPollResult> PollAsync(string? cursor, CancellationToken cancellationToken)
    {
        int? offset = int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var next) ? next : null;
        Update[] updates;
        try
        {
            updates = await _client.GetUpdates(offset, limit: 100, timeout: _longPollSeconds, allowedUpdates: Wanted, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException ex)
        {
            throw Explain(ex);
        }
        catch (RequestException ex)
        {
            throw new SocialChannelException($"Telegram Bot API not reachable: {ex.Message}", null, ex);
        }

        if (updates.Length == 0)
        {
            return new SocialPollResult([], cursor, More: false);
        }

        var messages = updates.Select(ToMessage).OfType<SocialMessage>().ToList();
        var newCursor = (updates.Max(u => u.Id) + 1).ToString(CultureInfo.InvariantCulture);
        return new SocialPollResult(messages, newCursor, More: updates.Length == 100);
    }

    public string ReplyPrefix(string customer, string? replyContext) => string.Empty;

    public async Task<SocialSendResult> SendAsync(SocialReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var chat = long.Parse(reply.Recipient, CultureInfo.InvariantCulture);
        ReplyParameters? replyTo = reply.InReplyTo is { } id && int.TryParse(id.Split(':')[^1], CultureInfo.InvariantCulture, out var messageId)
            ? new ReplyParameters { MessageId = messageId, AllowSendingWithoutReply = true }
            : null;
        try
        {
            // Telegram has no idempotency key; the outbox lease keeps one send per row in flight.
            var sent = await _client.SendMessage(chat, reply.Text, replyParameters: replyTo, businessConnectionId: reply.ReplyContext, cancellationToken: cancellationToken);
            return new SocialSendResult(true, false, $"message {sent.Id}", PlatformIdOf(sent.Chat.Id, sent.Id));
        }
        catch (ApiRequestException ex)
        {
            var retryAfter = ex.Parameters?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            // 400 (bad chat, text) and 403 (the customer blocked the bot) will not get better by trying again.
            var permanent = ex.ErrorCode is 400 or 403;
            return new SocialSendResult(false, permanent, $"Telegram {ex.ErrorCode}: {ex.Message}", null, retryAfter);
        }
        catch (RequestException ex)
        {
            return new SocialSendResult(false, false, $"Telegram Bot API not reachable: {ex.Message}", null);
        }
    }

    public static string PlatformIdOf(long chatId, int messageId) =>
        string.Create(CultureInfo.InvariantCulture, $"{chatId}:{messageId}");

    private static SocialChannelException Explain(ApiRequestException ex) => ex.ErrorCode switch
    {
        409 when ex.Message.Contains("webhook", StringComparison.OrdinalIgnoreCase) =>
            new SocialChannelException("Telegram refuses getUpdates because a webhook is set for this bot: SlaWatch polls and cannot share a bot with a webhook. Delete the webhook (deleteWebhook) or give SlaWatch its own bot.", null, ex),
        409 => new SocialChannelException("Telegram refuses getUpdates: another program polls this bot token (only one may). Stop it or give SlaWatch its own bot.", null, ex),
        401 or 404 => new SocialChannelException("Telegram refused the bot token (401/404): check BotToken / BotTokenFile.", null, ex),
        429 => new SocialChannelException($"Telegram flood limit: {ex.Message}", ex.Parameters?.RetryAfter is { } s ? TimeSpan.FromSeconds(s) : null, ex),
        _ => new SocialChannelException($"Telegram {ex.ErrorCode}: {ex.Message}", null, ex),
    };

    private static SocialMessage? ToMessage(Update update)
    {
        var message = update.Message ?? update.BusinessMessage;
        if (message is null || message.Chat.Type != ChatType.Private)
        {
            return null;
        }

        var chat = message.Chat.Id;
        var role = SocialAuthorRole.Customer;
        if (update.BusinessMessage is not null && message.From is { } from && from.Id != chat)
        {
            // In a business chat, a message not from the customer is the company's: typed by staff, or sent by a bot.
            role = message.SenderBusinessBot is null ? SocialAuthorRole.Staff : SocialAuthorRole.SlaWatch;
        }

        var author = role == SocialAuthorRole.Customer ? NameOf(message.From, message.Chat) : NameOf(message.From, null);
        return new SocialMessage(
            PlatformIdOf(chat, message.Id),
            chat.ToString(CultureInfo.InvariantCulture),
            message.ReplyToMessage is { } replied ? PlatformIdOf(chat, replied.Id) : null,
            chat.ToString(CultureInfo.InvariantCulture),
            author,
            role,
            message.Text ?? message.Caption ?? $"[{message.Type} message]",
            new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
            message.BusinessConnectionId,
            role == SocialAuthorRole.Customer ? message.From?.LanguageCode : null);
    }

    private static string? NameOf(User? user, Chat? chat)
    {
        var first = user?.FirstName ?? chat?.FirstName;
        var last = user?.LastName ?? chat?.LastName;
        var username = user?.Username ?? chat?.Username;
        var name = string.Join(' ', new[] { first, last }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return name.Length > 0 ? name : username is null ? null : "@" + username;
    }
}
