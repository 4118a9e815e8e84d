using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;
using MimeKit;
using SlaWatch.Domain.Mail;

namespace SlaWatch.Infrastructure.Mail;

/// <summary>The result of parsing one raw message: the message and its facts, or why it could not be parsed.</summary>
public sealed record ParsedInboundMail
{
    /// <summary>The parsed message; null when parsing failed.</summary>
    public MimeMessage? Message { get; init; }

    /// <summary>The facts the classifier and ingestion read; null when parsing failed.</summary>
    public InboundMailFacts? Facts { get; init; }

    /// <summary>Why parsing failed (the parser's message), or null.</summary>
    public string? Error { get; init; }

    /// <summary>True when the message parsed only after leading junk (an mbox <c>From </c> line, a banner) was cut off.</summary>
    public bool Repaired { get; init; }

    /// <summary>
    /// The charset raw 8-bit header values were decoded with when they were not UTF-8 (e.g. <c>koi8-r</c>); null when
    /// every header was ASCII or UTF-8.
    /// </summary>
    public string? HeaderCharset { get; init; }

    [MemberNotNullWhen(true, nameof(Message), nameof(Facts))]
    public bool Success => Message is not null && Facts is not null;

    public static ParsedInboundMail Failure(string error) => new() { Error = error };
}

/// <summary>
/// Parses raw message bytes with SlaWatch's own <see cref="ParserOptions"/> (MailKit's IMAP client would use
/// <see cref="ParserOptions.Default"/>; EMAIL.md "Parsing"). Never throws for bad input: a message that cannot be parsed
/// comes back as a failure carrying the parser's error, so the caller can quarantine it and keep the raw bytes.
/// Thread-safe; one instance serves every mailbox (each call names the mailbox's fallback charset).
/// </summary>
public sealed class InboundMailParser
{
    /// <summary>MIME nesting deeper than this is treated as a leaf (MimeKit's default is 1024).</summary>
    public const int MaxMimeDepth = 64;

    /// <summary>Our options per fallback charset (by code page): a clone of the defaults, never the shared default.</summary>
    private readonly ConcurrentDictionary<int, ParserOptions> _options = new();

    public InboundMailParser() => EncodingSetup.Register();

    /// <summary>Parses one message. Never throws for malformed input.</summary>
    /// <param name="raw">The message exactly as the server returned it.</param>
    /// <param name="fallbackCharset">
    /// The mailbox's charset for raw 8-bit headers that are not UTF-8 when the body names no better one (e.g.
    /// <c>windows-1251</c> for a Russian-language mailbox; <c>InboxOptions.FallbackCharset</c>). Null, empty or unknown:
    /// UTF-8, then ISO-8859-1 (validate the setting at start with <see cref="MailCharsets.TryGetEncoding"/>).
    /// </param>
    public ParsedInboundMail Parse(byte[] raw, string? fallbackCharset = null) =>
        Parse(raw, MailCharsets.TryGetEncoding(fallbackCharset, out var encoding) ? encoding : Encoding.UTF8);

    /// <summary>Parses one message with a fallback encoding for raw 8-bit headers. Never throws for malformed input.</summary>
    public ParsedInboundMail Parse(byte[] raw, Encoding fallbackCharset)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(fallbackCharset);

        var options = OptionsFor(fallbackCharset);
        var bytes = raw;
        var repaired = false;
        if (!TryLoad(bytes, options, out var message, out var error))
        {
            // MimeKit #1089, #151: a banner line ("Microsoft Mail Internet Headers Version 2.0"), an SMTP transcript or
            // an mbox "From " line before the headers. Retry once without them.
            var stripped = StripLeadingJunk(raw);
            if (stripped is null || !TryLoad(stripped, options, out message, out _))
            {
                return ParsedInboundMail.Failure(error ?? "Failed to parse message.");
            }

            bytes = stripped;
            repaired = true;
        }

        string? headerCharset = null;
        if (HasRawNonUtf8Header(message.Headers))
        {
            // Raw 8-bit headers that are not UTF-8 (koi8-r, GBK, windows-1257 … with no encoded-words): the client
            // wrote them in the body's charset (MimeKit #31, #191). Re-read with that charset as the header fallback.
            var encoding = fallbackCharset;
            if (MailCharsets.TryGetEncoding(SafeFirstTextCharset(message), out var bodyCharset)
                && bodyCharset.CodePage != Encoding.UTF8.CodePage)
            {
                encoding = bodyCharset;
            }

            if (encoding.CodePage != fallbackCharset.CodePage && TryLoad(bytes, OptionsFor(encoding), out var redecoded, out _))
            {
                message = redecoded;
            }

            headerCharset = encoding.CodePage == Encoding.UTF8.CodePage ? "iso-8859-1" : encoding.WebName;
        }

        InboundMailFacts facts;
        try
        {
            facts = MailFactsExtractor.Extract(message, fallbackCharset);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or InvalidOperationException or IOException)
        {
            return ParsedInboundMail.Failure("Failed to read the message: " + ex.Message);
        }

        return new ParsedInboundMail
        {
            Message = message,
            Facts = facts,
            Repaired = repaired,
            HeaderCharset = headerCharset,
        };
    }

    private ParserOptions OptionsFor(Encoding fallbackCharset) =>
        _options.GetOrAdd(fallbackCharset.CodePage, _ =>
        {
            var options = ParserOptions.Default.Clone();
            options.MaxMimeDepth = MaxMimeDepth;
            options.CharsetEncoding = fallbackCharset;
            return options;
        });

    private static bool TryLoad(
        byte[] bytes,
        ParserOptions options,
        [NotNullWhen(true)] out MimeMessage? message,
        out string? error)
    {
        message = null;
        error = null;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            message = MimeMessage.Load(options, stream, persistent: false);
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException
            or IndexOutOfRangeException or OverflowException or IOException)
        {
            // Hostile input must not stop the inbox loop; the raw bytes are kept and the message quarantined.
            error = ex.GetType().Name + ": " + ex.Message;
        }

        return false;
    }

    private static string? SafeFirstTextCharset(MimeMessage message)
    {
        try
        {
            return MailFactsExtractor.FirstTextCharset(message);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool HasRawNonUtf8Header(HeaderList headers)
    {
        foreach (var header in headers)
        {
            var raw = header.RawValue;
            if (raw is not null && raw.Any(b => b >= 0x80) && !Utf8.IsValid(raw))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The bytes from the first line that looks like a header field (<c>Name:</c> with a printable name and no
    /// spaces) on, or null when nothing would change or no such line exists within the first lines.
    /// </summary>
    internal static byte[]? StripLeadingJunk(byte[] raw)
    {
        const int maxLines = 50;
        var offset = 0;

        // A UTF-8 byte order mark is junk too.
        if (raw.Length >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF)
        {
            offset = 3;
        }

        for (var line = 0; line < maxLines && offset < raw.Length; line++)
        {
            if (LooksLikeHeaderLine(raw, offset))
            {
                return offset == 0 ? null : raw[offset..];
            }

            var next = Array.IndexOf(raw, (byte)'\n', offset);
            if (next < 0)
            {
                return null;
            }

            offset = next + 1;
        }

        return null;
    }

    private static bool LooksLikeHeaderLine(byte[] raw, int offset)
    {
        var i = offset;
        while (i < raw.Length && raw[i] is >= 33 and <= 126 and not (byte)':')
        {
            i++;
        }

        return i > offset && i < raw.Length && raw[i] == (byte)':';
    }
}
