using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Text;
using MimeKit.Tnef;
using SlaWatch.Domain.Mail;

namespace SlaWatch.Infrastructure.Mail;

/// <summary>
/// Reads the facts the Domain needs (<see cref="InboundMailFacts"/>) out of a parsed <see cref="MimeMessage"/>.
/// Addresses are lower-cased, NUL characters removed everywhere (PostgreSQL <c>text</c> cannot hold them, RFC 7103 §7.6),
/// the body is capped, and the walk into nested parts is bounded so hostile nesting cannot exhaust the stack or the CPU.
/// </summary>
public static partial class MailFactsExtractor
{
    /// <summary>The body text kept for language detection and the complaint record.</summary>
    public const int MaxBodyChars = 16 * 1024;

    /// <summary>How deep attached messages (message/rfc822 inside message/rfc822 …) are followed.</summary>
    public const int MaxMessageDepth = 3;

    /// <summary>How many MIME entities are looked at in all.</summary>
    public const int MaxEntities = 1000;

    /// <summary>How many embedded Message-IDs are kept.</summary>
    public const int MaxEmbeddedMessageIds = 32;

    /// <summary>HTML beyond this many characters is not converted (the text is capped anyway).</summary>
    private const int MaxHtmlChars = 512 * 1024;

    /// <summary>Tags after which a line ends when HTML is turned into text.</summary>
    private static readonly HashSet<HtmlTagId> BlockTags =
    [
        HtmlTagId.P, HtmlTagId.Div, HtmlTagId.Br, HtmlTagId.LI, HtmlTagId.TR, HtmlTagId.Table, HtmlTagId.H1,
        HtmlTagId.H2, HtmlTagId.H3, HtmlTagId.H4, HtmlTagId.H5, HtmlTagId.H6, HtmlTagId.BlockQuote, HtmlTagId.Pre,
        HtmlTagId.HR, HtmlTagId.UL, HtmlTagId.OL, HtmlTagId.Address, HtmlTagId.Center, HtmlTagId.Title,
    ];

    /// <summary>Extracts the facts of <paramref name="message"/>.</summary>
    /// <param name="message">The parsed message.</param>
    /// <param name="fallbackCharset">
    /// The mailbox's charset for 8-bit body text that declares no usable charset and is not UTF-8 (e.g. windows-1251);
    /// null to let MimeKit fall back to ISO-8859-1.
    /// </param>
    public static InboundMailFacts Extract(MimeMessage message, Encoding? fallbackCharset = null)
    {
        ArgumentNullException.ThrowIfNull(message);

        var fromAddresses = Addresses(message.From);
        var firstFrom = message.From.Mailboxes.FirstOrDefault();
        var returnPath = ReturnPath(message.Headers);
        var entities = Walk(message.Body).ToList();

        var contentType = Lower(message.Body?.ContentType.MimeType);
        var reportType = message.Body is MultipartReport report ? Lower(Clean(report.ReportType)) : null;
        var hasReportPart = false;
        foreach (var (entity, _) in entities)
        {
            var partReportType = ReportPartType(entity);
            if (partReportType is not null)
            {
                hasReportPart = true;
                reportType ??= partReportType;
            }
        }

        var headers = AllHeaders(message.Headers);
        var looksLikeReport = reportType is not null
            || returnPath is { Length: 0 }
            || headers.ContainsKey("x-failed-recipients")
            || firstFrom?.LocalPart is { } local
                && (local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase)
                    || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase));

        return new InboundMailFacts
        {
            From = fromAddresses.Count > 0 ? fromAddresses[0] : null,
            FromAddresses = fromAddresses,
            FromName = Clean(firstFrom?.Name) is { Length: > 0 } name ? name : null,
            Sender = Address(message.Sender),
            ReplyTo = Addresses(message.ReplyTo),
            ReturnPath = returnPath,
            To = Addresses(message.To),
            Cc = Addresses(message.Cc),
            Subject = Clean(message.Subject),
            MessageId = Clean(message.MessageId),
            InReplyTo = Clean(message.InReplyTo),
            References = message.References.Select(r => Clean(r)!).Where(r => r.Length > 0).ToList(),
            Headers = headers,
            ContentType = contentType,
            ReportType = reportType,
            HasReportPart = hasReportPart,
            AttachmentNames = AttachmentNames(entities),
            BodyText = BodyText(message.Body, entities, fallbackCharset),
            ContentLanguage = ContentLanguage(message),
            EmbeddedMessageIds = looksLikeReport ? EmbeddedMessageIds(entities) : [],
        };
    }

    /// <summary>
    /// The charset label of the first text part (the body's own, not an attached message's), or null. Used to decode
    /// raw 8-bit headers that are not UTF-8: the client that wrote them used the same charset for the body.
    /// </summary>
    public static string? FirstTextCharset(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (entity, messageDepth) in Walk(message.Body))
        {
            if (messageDepth == 0 && entity is TextPart text && text.ContentType.Charset is { Length: > 0 } charset)
            {
                return charset;
            }
        }

        return null;
    }

    /// <summary>
    /// Every entity under <paramref name="root"/> in document order, with how many message/rfc822 levels down it is.
    /// Iterative, bounded by <see cref="MaxEntities"/> and <see cref="MaxMessageDepth"/>.
    /// </summary>
    internal static IEnumerable<(MimeEntity Entity, int MessageDepth)> Walk(MimeEntity? root)
    {
        if (root is null)
        {
            yield break;
        }

        var stack = new Stack<(MimeEntity Entity, int MessageDepth)>();
        stack.Push((root, 0));
        var seen = 0;
        while (stack.Count > 0 && seen < MaxEntities)
        {
            var (entity, messageDepth) = stack.Pop();
            seen++;
            yield return (entity, messageDepth);

            switch (entity)
            {
                case Multipart multipart:
                    for (var i = multipart.Count - 1; i >= 0; i--)
                    {
                        stack.Push((multipart[i], messageDepth));
                    }

                    break;
                case MessagePart { Message.Body: { } inner } when messageDepth < MaxMessageDepth:
                    stack.Push((inner, messageDepth + 1));
                    break;
            }
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> AllHeaders(HeaderList headers)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            var name = header.Field.Trim().ToLowerInvariant();
            if (name.Length == 0)
            {
                continue;
            }

            if (!byName.TryGetValue(name, out var values))
            {
                values = [];
                byName[name] = values;
            }

            values.Add(Clean(header.Value)?.Trim() ?? string.Empty);
        }

        return byName.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<string>)pair.Value,
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The top Return-Path (the one the delivering MTA added; RFC 5321 §4.4): null when missing, empty for the null
    /// path <c>&lt;&gt;</c>, else the address, lower-cased.
    /// </summary>
    private static string? ReturnPath(HeaderList headers)
    {
        var index = headers.IndexOf(HeaderId.ReturnPath);
        if (index < 0)
        {
            return null;
        }

        var value = Clean(headers[index].Value)?.Trim() ?? string.Empty;
        var open = value.IndexOf('<', StringComparison.Ordinal);
        var close = value.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            value = value[(open + 1)..close].Trim();
        }

        // An obsolete source route (<@relay.example:user@example.com>) is dropped (RFC 5321 §4.1.2).
        var colon = value.LastIndexOf(':');
        if (value.StartsWith('@') && colon > 0)
        {
            value = value[(colon + 1)..];
        }

        return value.Trim().ToLowerInvariant();
    }

    private static List<string> Addresses(InternetAddressList list) =>
        list.Mailboxes.Select(Address).OfType<string>().Where(a => a.Length > 0).ToList();

    private static string? Address(MailboxAddress? mailbox) =>
        mailbox is null ? null : Clean(mailbox.Address)?.Trim().ToLowerInvariant();

    private static string? ContentLanguage(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ContentLanguage] ?? message.Body?.Headers[HeaderId.ContentLanguage];
        return Clean(value)?.Trim() is { Length: > 0 } language ? language : null;
    }

    private static string? ReportPartType(MimeEntity entity) => entity switch
    {
        MessageDeliveryStatus => "delivery-status",
        MessageDispositionNotification => "disposition-notification",
        MessageFeedbackReport => "feedback-report",
        _ when entity.ContentType.IsMimeType("message", "global-delivery-status") => "global-delivery-status",
        _ when entity.ContentType.IsMimeType("message", "global-disposition-notification") => "global-disposition-notification",
        _ => null,
    };

    private static List<string> AttachmentNames(List<(MimeEntity Entity, int MessageDepth)> entities)
    {
        var names = new List<string>();
        foreach (var (entity, _) in entities)
        {
            switch (entity)
            {
                case TnefPart tnef:
                    AddName(names, tnef.FileName);
                    try
                    {
                        // winmail.dat hides the real attachments (and their names) inside.
                        foreach (var inner in tnef.ExtractAttachments())
                        {
                            AddName(names, (inner as MimePart)?.FileName);
                        }
                    }
                    catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException)
                    {
                        // A corrupt TNEF part has no names to offer; its own name is recorded.
                    }

                    break;
                case MimePart part:
                    AddName(names, part.FileName);
                    break;
                case MessagePart message when message.ContentDisposition?.FileName is { } fileName:
                    AddName(names, fileName);
                    break;
            }
        }

        return names;
    }

    private static void AddName(List<string> names, string? name)
    {
        if (Clean(name)?.Trim() is { Length: > 0 } cleaned)
        {
            names.Add(cleaned);
        }
    }

    /// <summary>
    /// The text a person wrote: the first inline text/plain part of the message itself (not of an attached message),
    /// else its first inline text/html part turned into text, else the preamble of a multipart whose boundary never
    /// matched (broken MIME keeps its text there).
    /// </summary>
    private static string BodyText(MimeEntity? body, List<(MimeEntity Entity, int MessageDepth)> entities, Encoding? fallback)
    {
        TextPart? plain = null;
        TextPart? html = null;
        foreach (var (entity, messageDepth) in entities)
        {
            if (messageDepth > 0 || entity is not TextPart text || text.IsAttachment)
            {
                continue;
            }

            if (text.IsHtml)
            {
                html ??= text;
            }
            else if (text.ContentType.IsMimeType("text", "plain") || text.IsFlowed)
            {
                plain ??= text;
                break;
            }
        }

        string result;
        if (plain is not null)
        {
            result = DecodeText(plain, fallback);
        }
        else if (html is not null)
        {
            var source = DecodeText(html, fallback);
            result = HtmlToText(source.Length > MaxHtmlChars ? source[..MaxHtmlChars] : source);
        }
        else if (body is Multipart { Preamble: { Length: > 0 } preamble })
        {
            result = preamble;
        }
        else
        {
            result = string.Empty;
        }

        return Cap((Clean(result) ?? string.Empty).Trim());
    }

    /// <summary>
    /// Decodes a text part: a declared charset is normalised first (gb2312 → GB18030, ks_c_5601-1987 → cp949 …); with
    /// no usable charset, UTF-8 when the bytes are UTF-8, else the mailbox's fallback charset.
    /// </summary>
    private static string DecodeText(TextPart part, Encoding? fallback)
    {
        if (MailCharsets.TryGetEncoding(part.ContentType.Charset, out var declared))
        {
            // UTF-8 through MimeKit, which falls back to ISO-8859-1 when the label lies.
            return declared.CodePage == Encoding.UTF8.CodePage ? part.Text : part.GetText(declared);
        }

        if (fallback is null || fallback.CodePage == Encoding.UTF8.CodePage || part.Content is null)
        {
            return part.Text;
        }

        using var decoded = new MemoryStream();
        part.Content.DecodeTo(decoded);
        var bytes = decoded.GetBuffer().AsSpan(0, (int)decoded.Length);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : fallback.GetString(bytes);
    }

    /// <summary>HTML to readable text with MimeKit's tokenizer: scripts, styles and the head dropped, blocks on their own lines.</summary>
    private static string HtmlToText(string html)
    {
        var text = new StringBuilder();
        var hidden = 0;
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token) && text.Length < MaxBodyChars * 2)
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head:
                    if (!tag.IsEmptyElement)
                    {
                        hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when BlockTags.Contains(tag.Id):
                    text.Append('\n');
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.TD or HtmlTagId.TH && !tag.IsEndTag:
                    text.Append(' ');
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind is HtmlTokenKind.Data or HtmlTokenKind.CData:
                    text.Append(data.Data);
                    break;
            }
        }

        var lines = text.ToString().Split('\n').Select(line => SpaceRun().Replace(line, " ").Trim());
        return BlankLineRun().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    /// <summary>
    /// Message-IDs that tie a report back to the message it is about: the Message-ID and In-Reply-To of the original in
    /// a message/rfc822 or text/rfc822-headers part, then every <c>&lt;…@…&gt;</c> in the report's own text parts
    /// (which also catches addresses in angle brackets; callers match against ids they issued).
    /// </summary>
    private static List<string> EmbeddedMessageIds(List<(MimeEntity Entity, int MessageDepth)> entities)
    {
        var ids = new List<string>();

        void Add(string? id)
        {
            var cleaned = Clean(id)?.Trim().Trim('<', '>').Trim();
            if (cleaned is { Length: > 0 } && ids.Count < MaxEmbeddedMessageIds
                && !ids.Contains(cleaned, StringComparer.OrdinalIgnoreCase))
            {
                ids.Add(cleaned);
            }
        }

        foreach (var (entity, messageDepth) in entities)
        {
            if (messageDepth == 0 && entity is MessagePart { Message: { } original })
            {
                Add(original.MessageId);
                Add(original.InReplyTo);
            }
        }

        foreach (var (entity, messageDepth) in entities)
        {
            if (messageDepth == 0 && entity is TextPart text && !text.IsAttachment)
            {
                var content = text.Text;
                foreach (Match match in AngleAddress().Matches(content.Length > MaxHtmlChars ? content[..MaxHtmlChars] : content))
                {
                    Add(match.Groups[1].Value);
                }
            }
        }

        return ids;
    }

    private static string Cap(string text)
    {
        if (text.Length <= MaxBodyChars)
        {
            return text;
        }

        var cut = MaxBodyChars;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut];
    }

    private static string? Lower(string? value) => value?.Trim().ToLowerInvariant();

    /// <summary>Removes NUL characters.</summary>
    private static string? Clean(string? value) =>
        value is null ? null : value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", string.Empty, StringComparison.Ordinal) : value;

    [GeneratedRegex(@"<([^<>\s""@]+@[^<>\s""@]+)>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex AngleAddress();

    [GeneratedRegex(@"[ \t\r\f\v\u00A0]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex SpaceRun();

    [GeneratedRegex(@"\n{3,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex BlankLineRun();
}
