using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SlaWatch.Infrastructure.Channels;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Delivery;
using SlaWatch.Infrastructure.Diagnostics;
using SlaWatch.Infrastructure.Escalation;
using SlaWatch.Infrastructure.Persistence;

namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>
/// Watches one IMAP inbox for as long as the process runs: holds the inbox's lease, keeps a connection in IDLE, and sweeps
/// new UIDs in three repeatable steps — store the raw bytes, turn them into complaints (one transaction), mark them on
/// the server (EMAIL.md "Recommended bookkeeping"). Any failure drops the connection and retries with backoff; the mail
/// stays on the server until it is stored.
/// </summary>
public sealed partial class ImapInboxWatcher(
    InboxOptions inbox,
    FolderRole role,
    IServiceScopeFactory scopeFactory,
    MailPreparer preparer,
    NpgsqlDataSource dataSource,
    IOutboxDispatcher outboxQueue,
    DeadlineSignal deadlineSignal,
    CrashInjector crash,
    InboxHealth health,
    IOptions<IngestionOptions> ingestionOptions,
    IOptions<MessagesOptions> messagesOptions,
    TimeProvider time,
    ILogger<ImapInboxWatcher> logger)
{
    private IngestionOptions Options => ingestionOptions.Value;

    /// <summary>The folder this watcher reads: the inbox's folder, or its Sent folder for staff replies.</summary>
    private string FolderName => role == FolderRole.Sent ? inbox.SentFolder : inbox.Folder;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        await using var lease = new InboxLease(dataSource, $"{inbox.Name}/{FolderName}");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await lease.TryAcquireAsync(stoppingToken))
                {
                    LogStandby(logger, inbox.Name);
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                    continue;
                }

                await WatchAsync(lease, () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures);
                health.RecordFailure(inbox.Name, ex.Message, time.GetUtcNow());
                LogWatchFailed(logger, ex, inbox.Name, ex.GetType().Name, ex.Message, delay.TotalSeconds);
                await lease.StillHeldAsync(stoppingToken);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(Options.MaxReconnectDelay.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task WatchAsync(InboxLease lease, Action connected, CancellationToken stoppingToken)
    {
        using var client = await MailConnections.ConnectImapAsync(inbox, Options.ConnectTimeout, stoppingToken);
        var folder = await client.GetFolderAsync(FolderName, stoppingToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, stoppingToken);
        var idle = inbox.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle);
        LogConnected(logger, inbox.Name, FolderName, folder.UidValidity, idle);
        connected();

        // New mail may be announced (EXISTS) during any command, not only during IDLE: remember it, so mail that
        // arrives between a sweep's SEARCH and the next IDLE is swept at once instead of at the next poll.
        var arrived = 0;
        CancellationTokenSource? idleDone = null;
        void OnCountChanged(object? sender, EventArgs e)
        {
            Interlocked.Exchange(ref arrived, 1);
            idleDone?.Cancel();
        }

        folder.CountChanged += OnCountChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!await lease.StillHeldAsync(stoppingToken))
                {
                    LogLeaseLost(logger, inbox.Name);
                    return;
                }

                // Sweep until a pass finds nothing new, then wait for the server to tell us (IDLE) or for the next poll.
                do
                {
                    Interlocked.Exchange(ref arrived, 0);
                }
                while (await SweepAsync(client, folder, stoppingToken) > 0);

                health.RecordSweep(inbox.Name, time.GetUtcNow());
                if (Volatile.Read(ref arrived) == 1)
                {
                    continue;
                }

                if (idle)
                {
                    // A fresh "done" source per IDLE, disposed only after IdleAsync returns (MailKit #1027). IDLE ends on
                    // new mail, at the poll interval (the sweep that catches what IDLE misses) and at most every
                    // IdleRefresh (RFC 2177; Gmail drops idle connections after about 10 minutes).
                    var refresh = inbox.PollInterval < Options.IdleRefresh ? inbox.PollInterval : Options.IdleRefresh;
                    using var done = new CancellationTokenSource(refresh, time);
                    idleDone = done;
                    try
                    {
                        await using var stop = stoppingToken.Register(done.Cancel);
                        if (Volatile.Read(ref arrived) == 0)
                        {
                            await client.IdleAsync(done.Token, stoppingToken);
                        }
                    }
                    finally
                    {
                        idleDone = null;
                    }
                }
                else
                {
                    await Task.Delay(inbox.PollInterval, time, stoppingToken);
                    await client.NoOpAsync(stoppingToken);
                }
            }
        }
        finally
        {
            folder.CountChanged -= OnCountChanged;
        }
    }

    /// <summary>Batches per sweep: the lease is checked and IDLE re-entered between sweeps.</summary>
    private const int BatchesPerSweep = 10;

    /// <summary>
    /// One pass over the UIDs after the cursor, in batches of <see cref="IngestionOptions.BatchSize"/>. Returns how many
    /// messages it handled. The batches overlap: while batch k is turned into complaints (database only), batch k+1 is
    /// fetched and stored (IMAP, then its own short transaction); batch k is marked on the server once both are done,
    /// since the IMAP connection takes one command at a time. Every step stays repeatable as before: a crash leaves at
    /// most stored-but-unprocessed or processed-but-unmarked mail, which the next sweep finishes.
    /// </summary>
    private async Task<int> SweepAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = await LoadStateAsync(folder, now, cancellationToken);
        var uids = await folder.SearchAsync(
            SearchQuery.Uids(new UniqueIdRange(new UniqueId(folder.UidValidity, (uint)state.LastUid + 1), UniqueId.MaxValue)),
            cancellationToken);
        // RFC 3501: "n:*" always includes the last message, even when its UID is below n.
        var batches = uids
            .Where(u => u.Id > state.LastUid)
            .OrderBy(u => u.Id)
            .Take(Options.BatchSize * BatchesPerSweep)
            .Chunk(Options.BatchSize)
            .ToList();
        if (batches.Count == 0)
        {
            return 0;
        }

        var handled = 0;
        Task<StoredBatch>? next = FetchAndStoreAsync(folder, batches[0], state, now, cancellationToken);
        for (var i = 0; i < batches.Count; i++)
        {
            var started = time.GetTimestamp();
            var batch = await next!;
            var storedAt = time.GetTimestamp();
            next = i + 1 < batches.Count
                ? FetchAndStoreAsync(folder, batches[i + 1], state, now, cancellationToken)
                : null;

            List<HandlingOutcome> outcomes;
            try
            {
                outcomes = await ProcessAsync(batch.Rows, batch.Prepared, cancellationToken);
            }
            catch
            {
                // Let the fetch in flight finish before the connection is dropped; what it stored is swept again.
                await DrainAsync(next);
                throw;
            }

            var processedAt = time.GetTimestamp();
            outboxQueue.EnqueueMany(outcomes.SelectMany(o => o.OutboxIds).ToList());
            if (outcomes.Any(o => o.NewDeadline))
            {
                deadlineSignal.Wake();
            }

            if (next is not null)
            {
                // The IMAP connection is busy with the next batch's fetch until it is done.
                await DrainAsync(next);
            }

            crash.At(CrashPoint.BeforeServerMark);
            var markFrom = time.GetTimestamp();
            await MarkOnServerAsync(client, folder, outcomes.Where(o => !o.Retry).ToList(), cancellationToken);
            var retry = outcomes.Where(o => o.Retry).Select(o => o.Uid).DefaultIfEmpty(long.MaxValue).Min();
            var cursor = retry == long.MaxValue ? batch.LastUid : retry - 1;
            await AdvanceCursorAsync(folder.UidValidity, cursor, batch.Skipped, cancellationToken);
            if (batch.Skipped > 0)
            {
                LogSkippedOld(logger, inbox.Name, batch.Skipped, state.StartCutoff);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                var waitMs = time.GetElapsedTime(started, storedAt).TotalMilliseconds;
                var processMs = time.GetElapsedTime(storedAt, processedAt).TotalMilliseconds;
                var markMs = time.GetElapsedTime(markFrom).TotalMilliseconds;
                LogSweepTimings(logger, inbox.Name, batch.Count, batch.FetchMs, batch.StoreMs, waitMs, processMs, markMs);
            }

            if (retry != long.MaxValue)
            {
                // Something failed; the next sweep starts again at it, after the usual wait. What the next batch stored
                // stays unprocessed until then.
                return 0;
            }

            handled += batch.Count;
        }

        return handled;
    }

    private static async Task DrainAsync(Task<StoredBatch>? pending)
    {
        if (pending is null)
        {
            return;
        }

        try
        {
            await pending;
        }
        catch (Exception)
        {
            // Already failing, or failing next: the caller reports the first error; the next sweep starts over.
        }
    }

    /// <summary>One batch fetched and durably stored: the stored rows' ids, and what was left alone.</summary>
    private sealed record StoredBatch(StoredRows Rows, Dictionary<long, PreparedEntry> Prepared, int Count, long LastUid, int Skipped, double FetchMs, double StoreMs);

    /// <summary>
    /// A batch's stored rows: every id, and the rows this batch inserted as they now stand in the database (status
    /// <c>Fetched</c>, no attempts, raw bytes left out), so processing need not read them back. Rows that were already
    /// there (fetched again after a crash) are only in <see cref="Ids"/> and are loaded.
    /// </summary>
    private sealed record StoredRows(List<long> Ids, List<InboundMessage> Inserted)
    {
        public static readonly StoredRows None = new([], []);
    }

    private async Task<StoredBatch> FetchAndStoreAsync(IMailFolder folder, UniqueId[] uids, SweepState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var summaries = await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.Flags, cancellationToken);
        var toFetch = new List<IMessageSummary>();
        var skipped = 0;
        foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
        {
            var internalDate = summary.InternalDate?.ToUniversalTime() ?? now;
            if (state.StartCutoff is { } start && summary.UniqueId.Id <= state.BacklogLastUid && internalDate < start)
            {
                skipped++;
            }
            else if (summary.Keywords.Contains(inbox.ProcessedKeyword))
            {
                // Marked by an earlier run that died before moving the cursor: already done.
            }
            else
            {
                toFetch.Add(summary);
            }
        }

        var fetched = await FetchRawAsync(folder, toFetch, cancellationToken);
        var fetchedAt = time.GetTimestamp();
        var stored = await StoreRawAsync(folder.UidValidity, fetched, now, cancellationToken);
        crash.At(CrashPoint.AfterRawStored);
        var storedAt = time.GetTimestamp();
        // Parse, classify and detect now, on both cores, while the previous batch is still being written; the batch
        // transaction then only looks up and writes.
        var prepared = preparer.PrepareAll(fetched.Select(m => m.Raw).ToList(), inbox, role);
        var byUid = new Dictionary<long, PreparedEntry>(fetched.Count);
        for (var i = 0; i < fetched.Count; i++)
        {
            byUid[fetched[i].Uid] = new PreparedEntry(fetched[i].Sha256, prepared[i]);
        }

        return new StoredBatch(
            stored,
            byUid,
            uids.Length,
            uids[^1].Id,
            skipped,
            time.GetElapsedTime(started, fetchedAt).TotalMilliseconds,
            time.GetElapsedTime(fetchedAt, storedAt).TotalMilliseconds);
    }

    private sealed record SweepState(long LastUid, DateTimeOffset? StartCutoff, long BacklogLastUid);

    private async Task<SweepState> LoadStateAsync(IMailFolder folder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var state = await db.ImapFolderStates.SingleOrDefaultAsync(s => s.Inbox == inbox.Name && s.Folder == FolderName, cancellationToken);
        var backlogCutoff = now - messagesOptions.Value.MaxAckAge;
        if (state is null)
        {
            // First connection: what is already there and older than StartFrom is left alone (no complaint, no clock).
            state = new ImapFolderState { Inbox = inbox.Name, Folder = FolderName, UidValidity = folder.UidValidity, LastUid = 0, FirstConnectedAt = now, BacklogLastUid = BacklogEnd(folder) };
            db.ImapFolderStates.Add(state);
            await db.SaveChangesAsync(cancellationToken);
            LogFirstConnection(logger, inbox.Name, FolderName, inbox.StartFrom ?? backlogCutoff);
        }
        else if (state.UidValidity != folder.UidValidity)
        {
            // Every UID is new again (RFC 3501 2.3.1.1). Already-stored mail is recognised by its bytes or Message-ID;
            // older mail is treated like a first connection's backlog.
            LogUidValidityChanged(logger, inbox.Name, FolderName, state.UidValidity, folder.UidValidity);
            state.UidValidity = folder.UidValidity;
            state.LastUid = 0;
            state.FirstConnectedAt = now;
            state.BacklogLastUid = BacklogEnd(folder);
            await db.SaveChangesAsync(cancellationToken);
        }

        // The backlog may take many sweeps (each handles a bounded number of batches): the cutoff holds until it is done.
        DateTimeOffset? cutoff = state.LastUid < state.BacklogLastUid ? inbox.StartFrom ?? state.FirstConnectedAt - messagesOptions.Value.MaxAckAge : null;
        return new SweepState(state.LastUid, cutoff, state.BacklogLastUid);
    }

    /// <summary>The last UID already in the folder; when the server does not say (no UIDNEXT), every UID counts as backlog.</summary>
    private static long BacklogEnd(IMailFolder folder) => folder.UidNext is { } next ? (long)next.Id - 1 : uint.MaxValue;

    private async Task<List<FetchedMail>> FetchRawAsync(IMailFolder folder, List<IMessageSummary> summaries, CancellationToken cancellationToken)
    {
        // One UID FETCH (BODY.PEEK[]) for the batch's whole messages — fetching never sets \Seen; MailKit hands over
        // each literal as it arrives. Oversized messages, and any the batched answer left out, are fetched one by one.
        var whole = summaries.Where(s => (s.Size ?? 0) <= Options.MaxStoredMessageBytes).Select(s => s.UniqueId).ToList();
        var raw = new Dictionary<uint, byte[]>(whole.Count);
        if (whole.Count > 1 && folder is ImapFolder imap)
        {
            var sizes = summaries.ToDictionary(s => s.UniqueId.Id, s => (int)Math.Min(s.Size ?? 0, Options.MaxStoredMessageBytes));
            await imap.GetStreamsAsync(
                whole,
                async (_, _, uid, stream, token) => raw[uid.Id] = await ReadAllAsync(stream, sizes.GetValueOrDefault(uid.Id), token),
                cancellationToken);
        }

        var result = new List<FetchedMail>(summaries.Count);
        foreach (var summary in summaries)
        {
            var size = summary.Size ?? 0;
            var truncated = size > Options.MaxStoredMessageBytes;
            if (!raw.TryGetValue(summary.UniqueId.Id, out var bytes))
            {
                await using var stream = truncated
                    ? await folder.GetStreamAsync(summary.UniqueId, 0, Options.MaxStoredMessageBytes, cancellationToken)
                    : await folder.GetStreamAsync(summary.UniqueId, cancellationToken);
                using var buffer = new MemoryStream(truncated ? Options.MaxStoredMessageBytes : (int)Math.Max(size, 1024));
                await stream.CopyToAsync(buffer, cancellationToken);
                bytes = buffer.ToArray();
            }

            // PostgreSQL's timestamptz takes UTC only; INTERNALDATE comes with the server's offset.
            var internalDate = (summary.InternalDate ?? time.GetUtcNow()).ToUniversalTime();
            result.Add(new FetchedMail(summary.UniqueId.Id, internalDate, size, bytes, SHA256.HashData(bytes), truncated));
            if (truncated)
            {
                LogTruncated(logger, inbox.Name, summary.UniqueId.Id, size, Options.MaxStoredMessageBytes);
            }
        }

        return result;
    }

    /// <summary>
    /// A fetched literal's bytes. The summary's RFC822.SIZE is the literal's length, so the array is allocated once at
    /// that size and filled (no growing buffer and final copy per message); should the server send more or less, the
    /// bytes are still read in full.
    /// </summary>
    private static async Task<byte[]> ReadAllAsync(Stream stream, int expectedSize, CancellationToken cancellationToken)
    {
        if (expectedSize > 0)
        {
            var bytes = new byte[expectedSize];
            var read = await stream.ReadAtLeastAsync(bytes, expectedSize, throwOnEndOfStream: false, cancellationToken);
            if (read < expectedSize)
            {
                return bytes[..read];
            }

            var probe = new byte[1];
            if (await stream.ReadAsync(probe, cancellationToken) == 0)
            {
                return bytes;
            }

            using var longer = new MemoryStream(expectedSize * 2);
            longer.Write(bytes);
            longer.Write(probe);
            await stream.CopyToAsync(longer, cancellationToken);
            return longer.ToArray();
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Step 1: the raw bytes, durable before anything else. Repeating it after a crash finds the row already there.</summary>
    private async Task<StoredRows> StoreRawAsync(uint uidValidity, List<FetchedMail> fetched, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (fetched.Count == 0)
        {
            return StoredRows.None;
        }

        // One round trip for the batch's inserts (a batch of statements, each returning its new id), one commit. Rows
        // already there (the batch is fetched again after a crash) return nothing: their ids take one more query.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var idsByUid = new SortedDictionary<long, long>();
        var inserted = new List<InboundMessage>(fetched.Count);
        await using (var insert = new NpgsqlBatch(connection, transaction))
        {
            foreach (var mail in fetched)
            {
                var command = new NpgsqlBatchCommand(
                    """
                    INSERT INTO inbound_messages (inbox, folder, uid_validity, uid, sha256, raw, truncated, size, internal_date, fetched_at, status, attempts)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'Fetched', 0)
                    ON CONFLICT (inbox, folder, uid_validity, uid) DO NOTHING
                    RETURNING uid, id
                    """);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inbox.Name });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = FolderName });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = uidValidity });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = mail.Uid });
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = mail.Sha256 });
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = mail.Raw });
                command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = mail.Truncated });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = mail.Size });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = mail.InternalDate });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
                insert.BatchCommands.Add(command);
            }

            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    idsByUid[reader.GetInt64(0)] = reader.GetInt64(1);
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        foreach (var mail in fetched)
        {
            if (idsByUid.TryGetValue(mail.Uid, out var id))
            {
                inserted.Add(new InboundMessage
                {
                    Id = id,
                    Inbox = inbox.Name,
                    Folder = FolderName,
                    UidValidity = uidValidity,
                    Uid = mail.Uid,
                    Sha256 = mail.Sha256,
                    Raw = [],
                    Truncated = mail.Truncated,
                    Size = mail.Size,
                    InternalDate = mail.InternalDate,
                    FetchedAt = now,
                    Status = InboundStatus.Fetched,
                });
            }
        }

        var already = fetched.Select(m => m.Uid).Where(uid => !idsByUid.ContainsKey(uid)).ToArray();
        if (already.Length > 0)
        {
            await using var select = new NpgsqlCommand(
                "SELECT uid, id FROM inbound_messages WHERE inbox = $1 AND folder = $2 AND uid_validity = $3 AND uid = ANY($4)",
                connection,
                transaction);
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inbox.Name });
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = FolderName });
            select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = uidValidity });
            select.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = already });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                idsByUid[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new StoredRows(idsByUid.Values.ToList(), inserted);
    }

    /// <summary>
    /// Step 2: one transaction for the batch (few commits under load). If the batch fails, each message is retried on its
    /// own so one bad message cannot block the rest; a message that keeps failing is quarantined.
    /// </summary>
    private async Task<List<HandlingOutcome>> ProcessAsync(StoredRows stored, IReadOnlyDictionary<long, PreparedEntry>? prepared, CancellationToken cancellationToken)
    {
        var ids = stored.Ids;
        if (ids.Count == 0)
        {
            return [];
        }

        try
        {
            return await ProcessInTransactionAsync(ids, prepared, stored.Inserted, cancellationToken);
        }
        catch (Exception ex) when (ids.Count > 1 && ex is not OperationCanceledException && !IsDatabaseUnavailable(ex))
        {
            LogBatchFallback(logger, ex, inbox.Name, ids.Count);
        }

        var outcomes = new List<HandlingOutcome>();
        foreach (var id in ids)
        {
            try
            {
                // Loaded afresh: the failed attempt may have changed the rows it was given.
                outcomes.AddRange(await ProcessInTransactionAsync([id], prepared, [], cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !IsDatabaseUnavailable(ex))
            {
                outcomes.Add(await RecordFailureAsync(id, ex, cancellationToken));
            }
        }

        return outcomes;
    }

    private static bool IsDatabaseUnavailable(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } || ex.InnerException is NpgsqlException { IsTransient: true };

    private async Task<List<HandlingOutcome>> ProcessInTransactionAsync(IReadOnlyList<long> ids, IReadOnlyDictionary<long, PreparedEntry>? prepared, IReadOnlyList<InboundMessage> inserted, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var handler = scope.ServiceProvider.GetRequiredService<InboundMailHandler>();
        // A failed batch is retried message by message (ProcessAsync); savepoints per SaveChanges would only add round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var loadFrom = time.GetTimestamp();
        var rows = await LoadRowsAsync(db, ids, prepared, inserted, cancellationToken);
        var loadMs = time.GetElapsedTime(loadFrom).TotalMilliseconds;
        // Processed by an earlier run that died before marking the mail: only the mark is left to do.
        var outcomes = rows
            .Where(r => r.Status != InboundStatus.Fetched)
            .Select(r => new HandlingOutcome(r.Uid, r.Status == InboundStatus.Quarantined, []))
            .ToList();
        var fresh = rows.Where(r => r.Status == InboundStatus.Fetched).ToList();
        if (fresh.Count > 0)
        {
            outcomes.AddRange(await handler.HandleBatchAsync(db, fresh, inbox, role, time.GetUtcNow(), prepared, cancellationToken));
        }

        if (outcomes.Any(o => o.NewDeadline))
        {
            // Other instances' deadline watchers hear of it when this commits.
            await DeadlineSignal.NotifyOthersAsync(db, cancellationToken);
        }

        var commitFrom = time.GetTimestamp();
        await transaction.CommitAsync(cancellationToken);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var commitMs = time.GetElapsedTime(commitFrom).TotalMilliseconds;
            LogLoadAndCommit(logger, inbox.Name, rows.Count, loadMs, commitMs);
        }

        return outcomes;
    }

    /// <summary>
    /// The batch's rows, tracked: those the batch just inserted as they were stored (nobody else touches a mailbox's new
    /// rows: one poller per mailbox), the others read from the database. The raw bytes are read only for messages not
    /// prepared right after fetching (the others would be read back only to be ignored: ~20 KB a message); a row
    /// attached with empty bytes never writes them, since only changed properties are saved.
    /// </summary>
    private static async Task<List<InboundMessage>> LoadRowsAsync(SlaWatchDbContext db, IReadOnlyList<long> ids, IReadOnlyDictionary<long, PreparedEntry>? prepared, IReadOnlyList<InboundMessage> inserted, CancellationToken cancellationToken)
    {
        var known = inserted.Select(r => r.Id).ToHashSet();
        var toLoad = ids.Where(id => !known.Contains(id)).ToList();
        List<InboundMessage> rows = toLoad.Count == 0 ? [] : await db.InboundMessages
            .AsNoTracking()
            .Where(m => toLoad.Contains(m.Id))
            .OrderBy(m => m.Uid)
            .Select(m => new InboundMessage
            {
                Id = m.Id,
                Inbox = m.Inbox,
                Folder = m.Folder,
                UidValidity = m.UidValidity,
                Uid = m.Uid,
                Sha256 = m.Sha256,
                Raw = Array.Empty<byte>(),
                Truncated = m.Truncated,
                Size = m.Size,
                InternalDate = m.InternalDate,
                FetchedAt = m.FetchedAt,
                Status = m.Status,
                MessageId = m.MessageId,
                FromAddress = m.FromAddress,
                Subject = m.Subject,
                Classification = m.Classification,
                Reasons = m.Reasons,
                ComplaintId = m.ComplaintId,
                Attempts = m.Attempts,
                LastError = m.LastError,
                ProcessedAt = m.ProcessedAt,
                RawPurgedAt = m.RawPurgedAt,
            })
            .ToListAsync(cancellationToken);
        rows.AddRange(inserted);
        rows.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        var needRaw = rows
            .Where(r => r.Status == InboundStatus.Fetched
                        && (prepared is null || !prepared.TryGetValue(r.Uid, out var entry) || !entry.Sha256.AsSpan().SequenceEqual(r.Sha256)))
            .Select(r => r.Id)
            .ToList();
        if (needRaw.Count > 0)
        {
            var raw = await db.InboundMessages
                .Where(m => needRaw.Contains(m.Id))
                .Select(m => new { m.Id, m.Raw })
                .ToDictionaryAsync(m => m.Id, m => m.Raw, cancellationToken);
            foreach (var row in rows)
            {
                if (raw.TryGetValue(row.Id, out var bytes))
                {
                    row.Raw = bytes;
                }
            }
        }

        db.InboundMessages.AttachRange(rows);
        return rows;
    }

    private async Task<HandlingOutcome> RecordFailureAsync(long id, Exception error, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        var row = await db.InboundMessages.SingleAsync(m => m.Id == id, cancellationToken);
        row.Attempts++;
        row.LastError = $"{error.GetType().Name}: {error.Message}";
        var quarantine = row.Attempts >= Options.MaxAttempts;
        if (quarantine)
        {
            row.Status = InboundStatus.Quarantined;
            row.ProcessedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        LogProcessingFailed(logger, error, inbox.Name, row.Uid, row.Attempts, quarantine ? "quarantined for a person to look at" : "will retry");
        // Not yet quarantined: leave it unmarked and the cursor before it, so the next sweep tries again.
        return new HandlingOutcome(row.Uid, quarantine, [], Retry: !quarantine);
    }

    /// <summary>Step 3: mark on the server. Never \Seen (people still need to see the mail as unread), never delete.</summary>
    private async Task MarkOnServerAsync(ImapClient client, IMailFolder folder, List<HandlingOutcome> outcomes, CancellationToken cancellationToken)
    {
        var done = outcomes.Where(o => !o.Quarantined).Select(o => new UniqueId(folder.UidValidity, (uint)o.Uid)).ToList();
        var quarantined = outcomes.Where(o => o.Quarantined).Select(o => new UniqueId(folder.UidValidity, (uint)o.Uid)).ToList();
        // Never move what staff sent: the Sent folder is theirs; a keyword is enough there.
        if (inbox.MarkProcessed == MarkProcessedMode.Move && role == FolderRole.Inbound)
        {
            if (done.Count > 0)
            {
                await MoveAsync(client, folder, done, inbox.ProcessedFolder, cancellationToken);
            }

            if (quarantined.Count > 0)
            {
                await MoveAsync(client, folder, quarantined, inbox.QuarantineFolder, cancellationToken);
            }

            return;
        }

        if (done.Count > 0)
        {
            await folder.StoreAsync(done, new StoreFlagsRequest(StoreAction.Add, MessageFlags.None) { Keywords = { inbox.ProcessedKeyword }, Silent = true }, cancellationToken);
        }

        if (quarantined.Count > 0)
        {
            await folder.StoreAsync(quarantined, new StoreFlagsRequest(StoreAction.Add, MessageFlags.None) { Keywords = { inbox.ProcessedKeyword, inbox.QuarantineKeyword }, Silent = true }, cancellationToken);
        }
    }

    private static async Task MoveAsync(ImapClient client, IMailFolder folder, List<UniqueId> uids, string destinationName, CancellationToken cancellationToken)
    {
        var destination = await client.GetFolderAsync(destinationName, cancellationToken);
        await folder.MoveToAsync(uids, destination, cancellationToken);
    }

    private async Task AdvanceCursorAsync(uint uidValidity, long lastUid, int skipped, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlaWatchDbContext>();
        await db.ImapFolderStates
            .Where(s => s.Inbox == inbox.Name && s.Folder == FolderName && s.UidValidity == uidValidity && s.LastUid < lastUid)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.LastUid, lastUid)
                      .SetProperty(x => x.SkippedOld, x => x.SkippedOld + skipped)
                      .SetProperty(x => x.LastSweepAt, time.GetUtcNow()),
                cancellationToken);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Inbox {Inbox}: watching folder {Folder} (UIDVALIDITY {UidValidity}, IDLE {Idle})")]
    private static partial void LogConnected(ILogger logger, string inbox, string folder, uint uidValidity, bool idle);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Inbox {Inbox}: {ErrorType}: {Error}. The mail stays on the server; reconnecting in {DelaySeconds:F1} s")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string inbox, string errorType, string error, double delaySeconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Inbox {Inbox} is watched by another instance; standing by")]
    private static partial void LogStandby(ILogger logger, string inbox);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Inbox {Inbox}: lost the database lease; stopping and trying to take it back")]
    private static partial void LogLeaseLost(ILogger logger, string inbox);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Inbox {Inbox}: first connection to {Folder}; mail older than {StartFrom:o} is left alone")]
    private static partial void LogFirstConnection(ILogger logger, string inbox, string folder, DateTimeOffset startFrom);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Inbox {Inbox}: UIDVALIDITY of {Folder} changed from {Old} to {New}; resynchronising, old mail gets no acknowledgement")]
    private static partial void LogUidValidityChanged(ILogger logger, string inbox, string folder, long old, uint @new);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Inbox {Inbox}: left {Count} messages older than {Cutoff:o} alone (no complaint, no clock, no alert)")]
    private static partial void LogSkippedOld(ILogger logger, string inbox, int count, DateTimeOffset? cutoff);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Inbox {Inbox}: message UID {Uid} is {Size} bytes; stored only its first {Limit} bytes")]
    private static partial void LogTruncated(ILogger logger, string inbox, uint uid, long size, int limit);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Inbox {Inbox}: a batch of {Count} failed; processing its messages one by one")]
    private static partial void LogBatchFallback(ILogger logger, Exception exception, string inbox, int count);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Inbox {Inbox}: batch of {Count}: fetch {FetchMs:F0} ms, store {StoreMs:F0} ms (overlapping the previous batch), waited {WaitMs:F0} ms for them, process {ProcessMs:F0} ms, mark and cursor {MarkMs:F0} ms")]
    private static partial void LogSweepTimings(ILogger logger, string inbox, int count, double fetchMs, double storeMs, double waitMs, double processMs, double markMs);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Inbox {Inbox}: batch of {Count}: loaded in {LoadMs:F0} ms, committed in {CommitMs:F0} ms")]
    private static partial void LogLoadAndCommit(ILogger logger, string inbox, int count, double loadMs, double commitMs);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "Inbox {Inbox}: message UID {Uid} failed processing (attempt {Attempts}); {Action}")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, string inbox, long uid, int attempts, string action);
}
