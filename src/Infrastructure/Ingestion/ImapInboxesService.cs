using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>Runs the <see cref="ImapInboxWatcher"/>s of every configured IMAP inbox, each a long-lived loop of its own.</summary>
public sealed partial class ImapInboxesService(IServiceProvider services, IOptions<SlaWatchOptions> options, ILogger<ImapInboxesService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inboxes = options.Value.Inboxes.Where(i => string.Equals(i.Channel, "Imap", StringComparison.OrdinalIgnoreCase)).ToList();
        if (inboxes.Count == 0)
        {
            LogNoInboxes(logger);
            return Task.CompletedTask;
        }

        // Two watchers per inbox, each on its own connection: the inbox (complaints) and the Sent folder (staff replies).
        var watchers = inboxes
            .SelectMany(inbox => new[] { FolderRole.Inbound, FolderRole.Sent }.Select(role => ActivatorUtilities.CreateInstance<ImapInboxWatcher>(services, inbox, role)))
            .Select(watcher => Task.Run(() => watcher.RunAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(watchers);
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "No IMAP inbox is configured (SlaWatch:Inboxes); nothing to watch")]
    private static partial void LogNoInboxes(ILogger logger);
}
