using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>One message as a mailbox holds it.</summary>
public sealed record MailboxMessage(
    UniqueId Uid,
    MimeMessage Message,
    ReadOnlyMemory<byte> Raw,
    MessageFlags Flags,
    IReadOnlySet<string> Keywords,
    DateTimeOffset? InternalDate)
{
    /// <summary>The first value of a header, e.g. <c>Return-Path</c>, or null.</summary>
    public string? Header(string name) => Message.Headers[name];

    public override string ToString() =>
        $"uid={Uid} from={Message.From} subject=\"{Message.Subject}\" message-id=<{Message.MessageId}> "
        + $"flags={Flags} keywords=[{string.Join(' ', Keywords)}] internal-date={InternalDate:O}";
}

/// <summary>
/// Reads and writes the test mailboxes as a customer, a supervisor or a mail server would:
/// sends through the fixture's SMTP relay (so Dovecot sets Return-Path from the envelope),
/// appends and reads over IMAP with MailKit. Every address is a mailbox; the password is the
/// fixture's. Each call opens its own connections.
/// </summary>
public sealed class MailboxClient(string host, int imapPort, int smtpPort, string password)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    /// <summary>Sends through the relay with the given envelope; <c>""</c> or <c>"&lt;&gt;"</c> is the null sender.</summary>
    public async Task SendAsync(MimeMessage message, string envelopeFrom, IEnumerable<string> recipients, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipients);
        var to = recipients.ToList();
        if (IsNullSender(envelopeFrom))
        {
            // MailKit has no way to say MAIL FROM:<>; a bounce is sent as the bytes it is.
            using var buffer = new MemoryStream();
            await message.WriteToAsync(FormatOptions.Default, buffer, cancellationToken);
            await SendAsync(buffer.ToArray(), envelopeFrom, to, cancellationToken);
            return;
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(host, smtpPort, SecureSocketOptions.None, cancellationToken);
        await smtp.SendAsync(message, MailboxAddress.Parse(envelopeFrom), to.Select(MailboxAddress.Parse), cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>Sends through the relay with the envelope taken from From and To/Cc/Bcc.</summary>
    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.First().Address;
        var to = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes).Select(m => m.Address);
        return SendAsync(message, from, to, cancellationToken);
    }

    /// <summary>
    /// Sends these exact bytes through the relay (a plain SMTP dialogue: MailKit would re-encode
    /// what it parsed, and the malformed-mail tests need the bytes as they are).
    /// <c>""</c> or <c>"&lt;&gt;"</c> is the null sender.
    /// </summary>
    public async Task SendAsync(ReadOnlyMemory<byte> raw, string envelopeFrom, IEnumerable<string> recipients, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var to = recipients.ToList();
        if (to.Count == 0)
        {
            throw new ArgumentException("At least one recipient.", nameof(recipients));
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, smtpPort, cancellationToken);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var dialogue = new StringBuilder();

        async Task Expect(int code)
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync(cancellationToken);
                dialogue.AppendLine(CultureInfo.InvariantCulture, $"S: {line}");
            }
            while (line is { Length: > 3 } && line[3] == '-');

            if (line is null || !line.StartsWith(code.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                throw new SmtpRelayException($"The relay answered {line ?? "nothing"} where {code} was expected.{Environment.NewLine}{dialogue}");
            }
        }

        async Task Say(string command, int code)
        {
            dialogue.AppendLine(CultureInfo.InvariantCulture, $"C: {command}");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
            await Expect(code);
        }

        await Expect(220);
        await Say("EHLO tests.slawatch.test", 250);
        var sender = IsNullSender(envelopeFrom) ? string.Empty : envelopeFrom;
        var utf8 = !Ascii.IsValid(sender) || to.Any(r => !Ascii.IsValid(r)) ? " SMTPUTF8" : string.Empty;
        await Say($"MAIL FROM:<{sender}> BODY=8BITMIME{utf8}", 250);
        foreach (var recipient in to)
        {
            await Say($"RCPT TO:<{recipient}>", 250);
        }

        await Say("DATA", 354);
        await stream.WriteAsync(DotStuff(raw.Span), cancellationToken);
        dialogue.AppendLine(CultureInfo.InvariantCulture, $"C: <{raw.Length} bytes>");
        await Expect(250);
        await Say("QUIT", 221);
    }

    /// <summary>Appends a message to a folder over IMAP (MailKit), as a mail client or a server-side filter would.</summary>
    public async Task<UniqueId?> AppendAsync(
        string user,
        string folder,
        MimeMessage message,
        DateTimeOffset? internalDate = null,
        MessageFlags flags = MessageFlags.None,
        IEnumerable<string>? keywords = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = await ConnectAsync(user, cancellationToken);
        var mailbox = await GetFolderAsync(client, folder, cancellationToken);
        var request = internalDate is { } date
            ? new AppendRequest(message, flags, keywords ?? [], date)
            : new AppendRequest(message, flags, keywords ?? []);
        var uid = await mailbox.AppendAsync(request, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return uid;
    }

    /// <summary>
    /// Appends these exact bytes to a folder (a plain IMAP APPEND: MailKit would re-encode what it
    /// parsed). Folder names are ASCII here.
    /// </summary>
    public async Task<UniqueId?> AppendAsync(
        string user,
        string folder,
        ReadOnlyMemory<byte> raw,
        DateTimeOffset? internalDate = null,
        MessageFlags flags = MessageFlags.None,
        IEnumerable<string>? keywords = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(folder);
        if (!Ascii.IsValid(folder))
        {
            throw new ArgumentException("The raw APPEND takes ASCII folder names.", nameof(folder));
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, imapPort, cancellationToken);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var dialogue = new StringBuilder();

        async Task<string> Tagged(string tag)
        {
            while (true)
            {
                var line = await reader.ReadLineAsync(cancellationToken)
                    ?? throw new ImapProtocolException($"The IMAP server closed the connection.{Environment.NewLine}{dialogue}");
                dialogue.AppendLine(CultureInfo.InvariantCulture, $"S: {line}");
                if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                {
                    if (!line.StartsWith(tag + " OK", StringComparison.Ordinal))
                    {
                        throw new ImapProtocolException($"The IMAP server refused:{Environment.NewLine}{dialogue}");
                    }

                    return line;
                }
            }
        }

        var greeting = await reader.ReadLineAsync(cancellationToken);
        dialogue.AppendLine(CultureInfo.InvariantCulture, $"S: {greeting}");
        dialogue.AppendLine("C: a1 LOGIN …");
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"a1 LOGIN {Quote(user)} {Quote(password)}\r\n"), cancellationToken);
        await Tagged("a1");

        var flagList = string.Join(' ', FlagNames(flags).Concat(keywords ?? []));
        var date = internalDate is { } d ? $" \"{ImapDate(d)}\"" : string.Empty;
        var append = $"a2 APPEND {Quote(folder)} ({flagList}){date} {{{raw.Length}+}}\r\n";
        dialogue.Append(CultureInfo.InvariantCulture, $"C: {append}");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(append), cancellationToken);
        await stream.WriteAsync(raw, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        var done = await Tagged("a2");

        await stream.WriteAsync("a3 LOGOUT\r\n"u8.ToArray(), cancellationToken);
        await Tagged("a3");
        return ParseAppendUid(done);
    }

    /// <summary>Every message in the folder, oldest first, read without setting \Seen.</summary>
    public async Task<IReadOnlyList<MailboxMessage>> ListAsync(string user, string folder, CancellationToken cancellationToken = default)
    {
        using var client = await ConnectAsync(user, cancellationToken);
        var mailbox = await GetFolderAsync(client, folder, cancellationToken);
        await mailbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var messages = await ReadAllAsync(mailbox, new Dictionary<UniqueId, (byte[], MimeMessage)>(), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return messages;
    }

    /// <summary>
    /// Polls the folder (every 150 ms, one IMAP connection) until at least
    /// <paramref name="expectedCount"/> messages match, and returns the matches; after
    /// <paramref name="timeout"/> (15 s by default) fails with what the folder held.
    /// </summary>
    public async Task<IReadOnlyList<MailboxMessage>> WaitForAsync(
        string user,
        string folder,
        Func<MailboxMessage, bool> predicate,
        int expectedCount = 1,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var limit = timeout ?? DefaultWait;
        var stopwatch = Stopwatch.StartNew();
        using var client = await ConnectAsync(user, cancellationToken);
        var mailbox = await GetFolderAsync(client, folder, cancellationToken);
        await mailbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var bodies = new Dictionary<UniqueId, (byte[], MimeMessage)>();
        while (true)
        {
            await client.NoOpAsync(cancellationToken);
            var all = await ReadAllAsync(mailbox, bodies, cancellationToken);
            var matches = all.Where(predicate).ToList();
            if (matches.Count >= expectedCount)
            {
                await client.DisconnectAsync(quit: true, cancellationToken);
                return matches;
            }

            if (stopwatch.Elapsed >= limit)
            {
                throw new TimeoutException(
                    $"{user}/{folder}: {matches.Count} of {expectedCount} expected message(s) after {limit.TotalSeconds:0.#} s. "
                    + $"The folder holds {all.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, all)}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>A logged-in MailKit IMAP client for the user; the caller disposes it.</summary>
    public async Task<ImapClient> ConnectAsync(string user, CancellationToken cancellationToken = default)
    {
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync(host, imapPort, SecureSocketOptions.None, cancellationToken);
            await client.AuthenticateAsync(user, password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<IMailFolder> GetFolderAsync(ImapClient client, string folder, CancellationToken cancellationToken) =>
        string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(folder, cancellationToken);

    private static async Task<List<MailboxMessage>> ReadAllAsync(
        IMailFolder mailbox,
        Dictionary<UniqueId, (byte[] Raw, MimeMessage Message)> bodies,
        CancellationToken cancellationToken)
    {
        if (mailbox.Count == 0)
        {
            return [];
        }

        var summaries = await mailbox.FetchAsync(
            0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate, cancellationToken);
        var messages = new List<MailboxMessage>(summaries.Count);
        foreach (var summary in summaries.OrderBy(s => s.UniqueId))
        {
            if (!bodies.TryGetValue(summary.UniqueId, out var body))
            {
                // BODY.PEEK[]: reading must not set \Seen.
                using var content = await mailbox.GetStreamAsync(summary.UniqueId, cancellationToken);
                using var copy = new MemoryStream();
                await content.CopyToAsync(copy, cancellationToken);
                var raw = copy.ToArray();
                body = (raw, Parse(raw));
                bodies[summary.UniqueId] = body;
            }

            messages.Add(new MailboxMessage(
                summary.UniqueId,
                body.Message,
                body.Raw,
                summary.Flags ?? MessageFlags.None,
                new HashSet<string>(summary.Keywords, StringComparer.OrdinalIgnoreCase),
                summary.InternalDate));
        }

        return messages;
    }

    private static MimeMessage Parse(byte[] raw)
    {
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            return MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return new MimeMessage();
        }
    }

    private static bool IsNullSender(string envelopeFrom) => envelopeFrom is "" or "<>";

    private static byte[] DotStuff(ReadOnlySpan<byte> raw)
    {
        // RFC 5321 section 4.5.2: a line starting with '.' gets one more; the data ends with CRLF.CRLF.
        using var output = new MemoryStream(raw.Length + 64);
        var lineStart = true;
        foreach (var b in raw)
        {
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        if (!raw.EndsWith("\r\n"u8))
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    private static IEnumerable<string> FlagNames(MessageFlags flags)
    {
        if (flags.HasFlag(MessageFlags.Seen))
        {
            yield return @"\Seen";
        }

        if (flags.HasFlag(MessageFlags.Answered))
        {
            yield return @"\Answered";
        }

        if (flags.HasFlag(MessageFlags.Flagged))
        {
            yield return @"\Flagged";
        }

        if (flags.HasFlag(MessageFlags.Deleted))
        {
            yield return @"\Deleted";
        }

        if (flags.HasFlag(MessageFlags.Draft))
        {
            yield return @"\Draft";
        }
    }

    private static string Quote(string value) => "\"" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string ImapDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return date.ToString("dd-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + Math.Abs(offset.Hours).ToString("00", CultureInfo.InvariantCulture) + Math.Abs(offset.Minutes).ToString("00", CultureInfo.InvariantCulture);
    }

    private static UniqueId? ParseAppendUid(string line)
    {
        // a2 OK [APPENDUID <uidvalidity> <uid>] Append completed.
        var start = line.IndexOf("[APPENDUID ", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        var parts = line[(start + 11)..].Split([' ', ']'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2
            && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            ? new UniqueId(validity, uid)
            : null;
    }
}

/// <summary>The SMTP relay refused a step of a raw send.</summary>
public sealed class SmtpRelayException : Exception
{
    public SmtpRelayException()
    {
    }

    public SmtpRelayException(string message)
        : base(message)
    {
    }

    public SmtpRelayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
