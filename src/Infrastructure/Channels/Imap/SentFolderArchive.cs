using MailKit;
using MailKit.Search;
using Microsoft.Extensions.Options;
using MimeKit;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Channels.Imap;

/// <summary>The inbox's Sent folder: where a copy of every message we send is kept, and where a retry looks first.</summary>
public sealed class SentFolderArchive(IOptions<SlaWatchOptions> options, IOptions<IngestionOptions> ingestion)
{
    public async Task AppendAsync(string inboxName, MimeMessage message, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var inbox = Inbox(inboxName);
        using var client = await MailConnections.ConnectImapAsync(inbox, ingestion.Value.ConnectTimeout, cancellationToken);
        var sent = await client.GetFolderAsync(inbox.SentFolder, cancellationToken);
        await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen) { InternalDate = sentAt }, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>True when a message with this Message-ID is already in the Sent folder (a send whose result was not recorded).</summary>
    public async Task<bool> ContainsAsync(string inboxName, string messageId, CancellationToken cancellationToken)
    {
        var inbox = Inbox(inboxName);
        using var client = await MailConnections.ConnectImapAsync(inbox, ingestion.Value.ConnectTimeout, cancellationToken);
        var sent = await client.GetFolderAsync(inbox.SentFolder, cancellationToken);
        await sent.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var found = await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return found.Count > 0;
    }

    private InboxOptions Inbox(string name) =>
        options.Value.Inboxes.FirstOrDefault(i => i.Name == name)
        ?? throw new InvalidOperationException($"Inbox '{name}' is not configured on this instance (SlaWatch:Inboxes).");
}
