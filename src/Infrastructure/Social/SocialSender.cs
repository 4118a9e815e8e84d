using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Social;

/// <summary>Sends a social outbox row through its inbox's channel, with the row's Message-ID as the idempotency key.</summary>
public sealed class SocialSender(SocialChannels channels)
{
    /// <summary>How a sent reply's platform id is kept in <see cref="OutboxMessage.ServerResponse"/>; the poller recognises it as SlaWatch's own.</summary>
    public static string PostedAs(string platformId) => "posted:" + platformId;

    public async Task<SocialSendResult> SendAsync(SlaWatchDbContext db, OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        var inbox = channels.Inbox(message.Inbox);
        if (inbox is null)
        {
            return new SocialSendResult(false, true, $"inbox {message.Inbox} is no longer configured as a social inbox", null);
        }

        var context = message.InReplyTo is null
            ? null
            : await db.SocialMessages.Where(m => m.Inbox == message.Inbox && m.PlatformId == message.InReplyTo).Select(m => m.ReplyContext).FirstOrDefaultAsync(cancellationToken);
        var channel = channels.For(inbox);
        var result = await channel.SendAsync(new SocialReply(message.Recipient, message.InReplyTo, context, message.Body, message.MessageId), cancellationToken);
        if (result is { Delivered: true, PlatformId: { } posted } && message.ComplaintId is { } complaintId
            && !await db.ThreadMessageIds.AnyAsync(t => t.Inbox == message.Inbox && t.MessageId == posted, CancellationToken.None))
        {
            // A customer answering our reply threads to the complaint.
            db.ThreadMessageIds.Add(new ThreadMessageId { Inbox = message.Inbox, MessageId = posted, ComplaintId = complaintId, Direction = "out" });
        }

        return result;
    }
}
