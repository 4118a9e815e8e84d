using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace SlaWatch.Benchmarks;

/// <summary>
/// The benchmark mail: customer complaints as a mail client writes them, each from its own sender, with a Message-ID
/// and the Return-Path a delivering server adds. B1's mix is PERFORMANCE.md's: 70 % ~4 KB plain text, 25 % ~30 KB
/// HTML (multipart/alternative), 5 % ~200 KB with a PDF attachment. Deterministic for a given index.
/// </summary>
public static class Workload
{
    private static readonly string[] Sentences =
    [
        "I ordered a replacement part three weeks ago and it still has not arrived.",
        "The tracking page has said \"in transit\" for eleven days without any update.",
        "When the parcel finally came, the box was crushed and the glass inside was broken.",
        "I was charged twice for the same order, and the second charge has not been refunded.",
        "Your chat assistant closed my conversation before anyone answered my question.",
        "I called the hotline twice and waited forty minutes each time before giving up.",
        "The invoice lists items I never ordered and leaves out the ones I did.",
        "I need this sorted out before the end of the month, because my landlord is waiting for the deposit.",
        "Please tell me who is handling this and when I can expect an answer.",
        "The size I received does not match the size on the order confirmation.",
        "My subscription was renewed although I cancelled it in writing in March.",
        "The courier left the parcel in the rain outside a neighbour's door.",
        "I have attached the photos and the order confirmation for your reference.",
        "This is the third time I have written about the same problem.",
    ];

    public enum Kind
    {
        Text,
        Html,
        Attachment,
    }

    /// <summary>B1's mix by index: 1 in 20 with an attachment (5 %), 5 in 20 HTML (25 %), the rest plain text (70 %).</summary>
    public static Kind KindOf(int index) => (index % 20) switch
    {
        19 => Kind.Attachment,
        1 or 5 or 9 or 13 or 17 => Kind.Html,
        _ => Kind.Text,
    };

    public static string CustomerAddress(string prefix, int index) =>
        $"{prefix}{index.ToString("D5", CultureInfo.InvariantCulture)}@customers.test";

    /// <summary>One complaint of B1's mix to <paramref name="to"/>.</summary>
    public static MimeMessage Complaint(int index, string runId, string to, DateTimeOffset date, string senderPrefix = "customer")
    {
        var kind = KindOf(index);
        var message = Envelope(index, runId, to, date, senderPrefix, $"Order {OrderNumber(index)}: {Topic(index)}", trace: true);
        var text = new TextPart("plain") { Text = Paragraphs(index, kind == Kind.Text ? 4000 : 1800) };
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        switch (kind)
        {
            case Kind.Text:
                message.Body = text;
                break;
            case Kind.Html:
                var html = new TextPart("html") { Text = Html(index, 27_000) };
                html.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
                message.Body = new MultipartAlternative { text, html };
                break;
            case Kind.Attachment:
                var bytes = new byte[148 * 1024];
                new Random(index).NextBytes(bytes);
                var attachment = new MimePart("application", "pdf")
                {
                    Content = new MimeContent(new MemoryStream(bytes)),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                    FileName = $"order-{OrderNumber(index)}-photos.pdf",
                };
                message.Body = new Multipart("mixed") { text, attachment };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(index));
        }

        return message;
    }

    /// <summary>A short plain-text complaint as a customer's client submits it (B2, sent over SMTP): about 1 KB.</summary>
    public static MimeMessage ShortComplaint(int index, string runId, string to, DateTimeOffset date, string senderPrefix)
    {
        var message = Envelope(index, runId, to, date, senderPrefix, $"Order {OrderNumber(index)}: {Topic(index)}", trace: false);
        message.Body = new TextPart("plain") { Text = Paragraphs(index, 900) };
        return message;
    }

    /// <summary>The raw bytes as they would be appended or sent.</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer);
        return buffer.ToArray();
    }

    private static MimeMessage Envelope(int index, string runId, string to, DateTimeOffset date, string senderPrefix, string subject, bool trace)
    {
        var from = CustomerAddress(senderPrefix, index);
        var message = new MimeMessage
        {
            Subject = subject,
            Date = date,
            MessageId = $"{senderPrefix}-{index.ToString(CultureInfo.InvariantCulture)}.{runId}@customers.test",
        };
        if (trace)
        {
            // Appended straight into the mailbox, so add what the delivering server would (RFC 5321 4.4): the envelope
            // sender and a trace line. Mail sent through the relay gets them from Dovecot's LMTP.
            message.Headers.Insert(0, new Header("Received", $"from mx.customers.test (mx.customers.test [192.0.2.25]) by mail.bench.test; {DateUtils.FormatDate(date)}"));
            message.Headers.Insert(0, new Header("Return-Path", $"<{from}>"));
        }

        message.From.Add(new MailboxAddress($"Customer {index.ToString(CultureInfo.InvariantCulture)}", from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private static string OrderNumber(int index) => (700_000 + index).ToString(CultureInfo.InvariantCulture);

    private static string Topic(int index) => (index % 5) switch
    {
        0 => "parcel never arrived",
        1 => "charged twice",
        2 => "damaged on delivery",
        3 => "wrong items in the box",
        _ => "still waiting for a refund",
    };

    private static string Paragraphs(int index, int length)
    {
        var text = new StringBuilder("Hello,\n\n");
        var i = index;
        while (text.Length < length)
        {
            for (var s = 0; s < 4 && text.Length < length; s++)
            {
                text.Append(Sentences[i++ % Sentences.Length]).Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"(Order {OrderNumber(index)}, reference {index}-{i}.)\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Regards,\nCustomer {index}\n");
        return text.ToString();
    }

    private static string Html(int index, int length)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>td{padding:4px;border:1px solid #ccc}</style></head><body>\n");
        html.Append("<p>Hello,</p>\n");
        var i = index;
        while (html.Length < length - 200)
        {
            html.Append("<p style=\"font-family:Arial,sans-serif;font-size:14px;color:#222\">");
            for (var s = 0; s < 3; s++)
            {
                html.Append(Sentences[i++ % Sentences.Length]).Append(' ');
            }

            html.Append("</p>\n<table><tr><td>Item</td><td>");
            html.Append(CultureInfo.InvariantCulture, $"SKU-{i * 37 % 100_000:D5}</td><td>Qty</td><td>{(i % 4) + 1}</td><td>Order</td><td>{OrderNumber(index)}</td></tr></table>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>Regards,<br>Customer {index}</p></body></html>\n");
        return html.ToString();
    }
}
