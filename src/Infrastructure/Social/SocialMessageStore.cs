using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Social;

/// <summary>Writes social messages as they came, once each: a second delivery of a platform id changes nothing.</summary>
public static class SocialMessageStore
{
    public static async Task InsertAsync(SlaWatchDbContext db, string inbox, string channel, IEnumerable<SocialMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var m in messages)
        {
            var role = m.Role.ToString();
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO social_messages (inbox, channel, platform_id, thread_key, in_reply_to, author_id, author_name, role, text, sent_at, reply_context, language_hint, fetched_at, status, attempts)
                VALUES ({inbox}, {channel}, {m.PlatformId}, {m.ThreadKey}, {m.InReplyTo}, {m.AuthorId}, {m.AuthorName}, {role}, {m.Text}, {m.SentAt.ToUniversalTime()}, {m.ReplyContext}, {m.LanguageHint}, {now}, 'Fetched', 0)
                ON CONFLICT (inbox, platform_id) DO NOTHING
                """,
                cancellationToken);
        }
    }
}

/// <summary>Wakes a social inbox's poller early (a webhook delivery was stored); otherwise it waits its PollInterval.</summary>
public sealed class SocialWakeups : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    public void Wake(string inbox)
    {
        var signal = _signals.GetOrAdd(inbox, _ => new SemaphoreSlim(0, 1));
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(string inbox, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signals.GetOrAdd(inbox, _ => new SemaphoreSlim(0, 1)).WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        foreach (var signal in _signals.Values)
        {
            signal.Dispose();
        }
    }
}
