#!/usr/bin/env python3
"""Writes the sample messages in this folder (CRLF line endings, raw 8-bit bytes where a sample needs them).

Run from anywhere: python3 generate_samples.py. The .eml files are committed; this script is how they were made.
See README.md for what each sample is and what SlaWatch must make of it.
"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = "Tue, 10 Mar 2026 09:15:00 +0100"
US = "support@support.example.test"
ACK_ID = "<ack.42.0123456789abcdef@support.example.test>"
RECEIVED = "Received: from mail.customer.example (mail.customer.example [192.0.2.10])\n\tby mx.support.example.test with ESMTPS id 4F2K1x0Q7Mz1; " + DATE


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def write(name: str, data) -> None:
    if isinstance(data, str):
        data = crlf(data).encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def b64(data: bytes) -> str:
    raw = base64.b64encode(data).decode("ascii")
    return "\n".join(raw[i:i + 76] for i in range(0, len(raw), 76))


# 1. A person's complaint, as the delivering MTA leaves it (Return-Path added at final delivery).
write("human-complaint.eml", f"""Return-Path: <anna.berg@customer.example>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: Customer Care <{US}>
Subject: My order 10-4471 arrived broken
Date: {DATE}
Message-ID: <CAF-human-0001@mail.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
Content-Language: en-GB

Hello,

The lamp I ordered (order 10-4471) arrived today with a cracked shade.
This is the second time. I would like a replacement or my money back.

Anna Berg
""")

# 2. The osTicket pitfall: "Auto-Submitted: no" is a person.
write("human-auto-submitted-no.eml", f"""Return-Path: <piet.devries@klant.example>
{RECEIVED}
From: Piet de Vries <piet.devries@klant.example>
To: {US}
Subject: Klacht over levering
Date: {DATE}
Message-ID: <human-0002@klant.example>
Auto-Submitted: no
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Goedendag,

Mijn pakket is al twee weken onderweg en niemand reageert. Graag een oplossing.

Piet
""")

# 3. A vacation notice: Auto-Submitted: auto-replied, null return path (RFC 3834 §3.3), threaded to our ack.
write("autoreply-vacation.eml", f"""Return-Path: <>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: {US}
Subject: Re: [SW-2026-000042] We are sorry about your order
Date: {DATE}
Message-ID: <vacation-0003@mail.customer.example>
In-Reply-To: {ACK_ID}
References: <CAF-human-0001@mail.customer.example> {ACK_ID}
Auto-Submitted: auto-replied (vacation)
Precedence: auto_reply
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

I am on holiday until 20 March and will read your message when I am back.
""")

# 4. An Outlook out-of-office: no Auto-Submitted, but X-Auto-Response-Suppress and a localized (German) subject;
#    HTML only, so the body goes through the HTML-to-text conversion.
write("autoreply-outlook-oof.eml", f"""Return-Path: <klaus.mueller@kunde.example>
{RECEIVED}
From: =?iso-8859-1?Q?Klaus_M=FCller?= <klaus.mueller@kunde.example>
To: {US}
Subject: =?utf-8?Q?Automatische_Antwort:_Beschwerde_=C3=BCber_die_Lieferung?=
Thread-Topic: =?utf-8?Q?Beschwerde_=C3=BCber_die_Lieferung?=
Thread-Index: AQHZx1oQ1L5kQm7NEkSbW0gW3P9xAw==
Date: {DATE}
Message-ID: <AM0PR01MB1234OOF@AM0PR01MB1234.eurprd01.prod.outlook.example>
In-Reply-To: {ACK_ID}
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: klaus.mueller@kunde.example
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Language: de-DE
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {{ margin: 0 }}</style></head><body>
<p>Ich bin bis zum 20.03. nicht im B=C3=BCro.</p><p>In dringenden F=C3=A4llen=
 wenden Sie sich bitte an meine Kollegin.</p>
<script>track()</script></body></html>
""")

# 5. An auto-reply recognised by its Russian subject alone (A15), subject as an RFC 2047 encoded-word.
write("autoreply-russian-subject.eml", f"""Return-Path: <ivan.petrov@klient.example>
{RECEIVED}
From: =?utf-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan.petrov@klient.example>
To: {US}
Subject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiDQltCw0LvQvtCx0LA=?=
Date: {DATE}
Message-ID: <oof-0005@klient.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Я в отпуске до 20 марта.
""")

# 6. A DSN (RFC 3464) bouncing our acknowledgement: multipart/report; report-type=delivery-status, with the original.
write("bounce-dsn-of-our-ack.eml", f"""Return-Path: <>
Received: from mx.customer.example (mx.customer.example [192.0.2.25])
\tby mx.support.example.test with ESMTPS id 4F2K1x0Q9Xz2; {DATE}
From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>
To: bounces@support.example.test
Subject: Undelivered Mail Returned to Sender
Date: {DATE}
Message-ID: <20260310081500.4F2K1x0Q9Xz2@mx.customer.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F2K1x0Q9Xz2.1773130500/mx.customer.example"

This is a MIME-encapsulated message.

--4F2K1x0Q9Xz2.1773130500/mx.customer.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.customer.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<anna.berg@customer.example>: host mail.customer.example[192.0.2.10] said: 550
    5.1.1 <anna.berg@customer.example>: Recipient address rejected: User unknown

--4F2K1x0Q9Xz2.1773130500/mx.customer.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.example
X-Postfix-Queue-ID: 4F2K1x0Q9Xz2
Arrival-Date: {DATE}

Final-Recipient: rfc822; anna.berg@customer.example
Original-Recipient: rfc822;anna.berg@customer.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.customer.example
Diagnostic-Code: smtp; 550 5.1.1 <anna.berg@customer.example>: Recipient address
    rejected: User unknown

--4F2K1x0Q9Xz2.1773130500/mx.customer.example
Content-Description: Undelivered Message
Content-Type: message/rfc822

Return-Path: <bounces@support.example.test>
From: Customer Care <{US}>
To: Anna Berg <anna.berg@customer.example>
Subject: [SW-2026-000042] We are sorry about your order
Date: {DATE}
Message-ID: {ACK_ID}
In-Reply-To: <CAF-human-0001@mail.customer.example>
References: <CAF-human-0001@mail.customer.example>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
X-Loop: {US}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Dear Anna, thank you for telling us, and we are sorry. A person will answer you soon.
Reference: SW-2026-000042

--4F2K1x0Q9Xz2.1773130500/mx.customer.example--
""")

# 7. A DSN returning only the headers of our acknowledgement (text/rfc822-headers).
write("bounce-dsn-headers-only.eml", f"""Return-Path: <>
{RECEIVED}
From: postmaster@customer.example
To: bounces@support.example.test
Subject: Delivery Status Notification (Failure)
Date: {DATE}
Message-ID: <dsn-0007@customer.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type="delivery-status"; boundary="==dsn7=="

--==dsn7==
Content-Type: text/plain; charset=us-ascii

Delivery to the following recipient failed permanently:

     anna.berg@customer.example

--==dsn7==
Content-Type: message/delivery-status

Reporting-MTA: dns; customer.example

Final-Recipient: rfc822; anna.berg@customer.example
Action: failed
Status: 5.2.2

--==dsn7==
Content-Type: text/rfc822-headers

From: {US}
To: anna.berg@customer.example
Subject: [SW-2026-000043] We are sorry about your order
Date: {DATE}
Message-ID: <ack.43.fedcba9876543210@support.example.test>
In-Reply-To: <CAF-human-0009@mail.customer.example>

--==dsn7==--
""")

# 8. A qmail-style bounce: plain text, no report, the original's headers quoted in the text (A4 heuristics).
write("bounce-qmail-plain.eml", f"""Return-Path: <>
{RECEIVED}
From: MAILER-DAEMON@mail.customer.example
To: bounces@support.example.test
Subject: failure notice
Date: {DATE}
Message-ID: <qmail-0008@mail.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hi. This is the qmail-send program at mail.customer.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<anna.berg@customer.example>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <bounces@support.example.test>
Message-ID: <ack.44.00112233445566aa@support.example.test>
From: {US}
Subject: [SW-2026-000044] We are sorry about your order
""")

# 9. A read receipt (RFC 8098 MDN).
write("mdn-read-receipt.eml", f"""Return-Path: <anna.berg@customer.example>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: {US}
Subject: Read: [SW-2026-000042] We are sorry about your order
Date: {DATE}
Message-ID: <mdn-0009@mail.customer.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn-boundary"

--mdn-boundary
Content-Type: text/plain; charset=utf-8

Your message was displayed on {DATE}.

--mdn-boundary
Content-Type: message/disposition-notification

Reporting-UA: mail.customer.example; Webmail
Final-Recipient: rfc822; anna.berg@customer.example
Original-Message-ID: {ACK_ID}
Disposition: manual-action/MDN-sent-manually; displayed

--mdn-boundary--
""")

# 10. Mailing-list mail (RFC 2369, RFC 2919, Mailman).
write("list-mailing.eml", f"""Return-Path: <talk-bounces@lists.example>
{RECEIVED}
From: Someone <someone@elsewhere.example>
To: talk@lists.example
Subject: [talk] Anyone else had trouble with their order?
Date: {DATE}
Message-ID: <list-0010@elsewhere.example>
List-Id: Customer talk <talk.lists.example>
List-Unsubscribe: <https://lists.example/unsubscribe/talk>, <mailto:talk-request@lists.example?subject=unsubscribe>
List-Post: <mailto:talk@lists.example>
List-Help: <mailto:talk-request@lists.example?subject=help>
X-BeenThere: talk@lists.example
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Did anyone else get a broken lamp this week?
""")

# 11. Bulk mail marked only by Precedence.
write("bulk-precedence.eml", f"""Return-Path: <news@shop.example>
{RECEIVED}
From: Shop News <news@shop.example>
To: {US}
Subject: Spring sale: 30% off lamps
Date: {DATE}
Message-ID: <bulk-0011@shop.example>
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Our spring sale starts today.
""")

# 12. A noreply sender (A11).
write("noreply-sender.eml", f"""Return-Path: <bounces+1234@mailer.shop.example>
{RECEIVED}
From: Shop <noreply@shop.example>
To: {US}
Subject: Your parcel is on its way
Date: {DATE}
Message-ID: <noreply-0012@shop.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Your parcel 10-4471 has been handed to the carrier.
""")

# 13. Our own address as the sender (A10).
write("own-address.eml", f"""Return-Path: <{US}>
{RECEIVED}
From: Customer Care <{US}>
To: {US}
Subject: [SW-2026-000042] We are sorry about your order
Date: {DATE}
Message-ID: <own-0013@mail.support.example.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Test message sent to ourselves.
""")

# 14. X-Loop carrying our address (A9): our mail reflected back by someone's forwarding rule.
write("xloop-ours.eml", f"""Return-Path: <forwarder@customer.example>
{RECEIVED}
From: Forwarder <forwarder@customer.example>
To: {US}
Subject: Fwd: [SW-2026-000042] We are sorry about your order
Date: {DATE}
Message-ID: <xloop-0014@customer.example>
X-Loop: {US}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Forwarded automatically.
""")

# 15. Spam-flagged by SpamAssassin (A12).
write("spam-flagged.eml", f"""Return-Path: <winner@lottery.example>
{RECEIVED}
From: Lottery <winner@lottery.example>
To: {US}
Subject: You have won
Date: {DATE}
Message-ID: <spam-0015@lottery.example>
X-Spam-Flag: YES
X-Spam-Status: Yes, score=12.3 required=5.0 tests=BAYES_99,HTML_MESSAGE autolearn=spam
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Claim your prize now.
""")

# 16. An executable attachment (A12).
exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
write("attachment-exe.eml", f"""Return-Path: <billing@invoices.example>
{RECEIVED}
From: Billing <billing@invoices.example>
To: {US}
Subject: Invoice overdue
Date: {DATE}
Message-ID: <exe-0016@invoices.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="exe-boundary"

--exe-boundary
Content-Type: text/plain; charset=utf-8

Please see the attached invoice.

--exe-boundary
Content-Type: application/octet-stream; name="invoice.pdf.exe"
Content-Disposition: attachment; filename="invoice.pdf.exe"
Content-Transfer-Encoding: base64

{b64(exe)}
--exe-boundary--
""")


def raw8bit(name: str, charset: str, body_charset_label: str, from_name: str, from_addr: str, subject: str,
            body: str, message_id: str) -> None:
    """Headers with raw 8-bit bytes in `charset` and no encoded-words, as old clients and some webmail still send."""
    head = (
        f"Return-Path: <{from_addr}>\n{RECEIVED}\n"
    ).encode("ascii")
    head = crlf(head.decode("ascii")).encode("ascii")
    lines = [
        b"From: " + from_name.encode(charset) + f" <{from_addr}>".encode("ascii"),
        f"To: {US}".encode("ascii"),
        b"Subject: " + subject.encode(charset),
        f"Date: {DATE}".encode("ascii"),
        f"Message-ID: {message_id}".encode("ascii"),
        b"MIME-Version: 1.0",
        f"Content-Type: text/plain; charset={body_charset_label}".encode("ascii"),
        b"Content-Transfer-Encoding: 8bit",
        b"",
    ]
    text = crlf(body).encode(charset)
    write(name, head + b"\r\n".join(lines) + b"\r\n" + text)


# 17-19. Raw 8-bit headers: koi8-r (Russian), gb2312 (Chinese, really GBK), windows-1257 (Lithuanian).
raw8bit("raw8bit-koi8r.eml", "koi8_r", "koi8-r", "Иван Петров", "ivan.petrov@klient.example",
        "Жалоба на доставку заказа",
        "Здравствуйте!\nМой заказ 10-4471 пришёл разбитым. Прошу заменить товар или вернуть деньги.\nИван\n",
        "<raw8bit-koi8r-0017@klient.example>")
raw8bit("raw8bit-gb2312.eml", "gb2312", "gb2312", "王小明", "wang.xiaoming@kehu.example",
        "投诉：订单未送达",
        "您好，\n我的订单已经两周没有送达了，请尽快处理。\n王小明\n",
        "<raw8bit-gb2312-0018@kehu.example>")
raw8bit("raw8bit-windows1257.eml", "cp1257", "windows-1257", "Jonas Žemaitis", "jonas.zemaitis@klientas.example",
        "Skundas dėl vėluojančio užsakymo",
        "Laba diena,\nmano užsakymas vėluoja jau dvi savaites. Prašau išspręsti.\nJonas\n",
        "<raw8bit-windows1257-0019@klientas.example>")

# 20. No Message-ID at all.
write("no-message-id.eml", f"""Return-Path: <maria.santos@kostumer.example>
{RECEIVED}
From: Maria Santos <maria.santos@kostumer.example>
To: {US}
Subject: Reklamo tungkol sa order ko
Date: {DATE}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Magandang araw po. Hindi pa rin dumarating ang order ko. Salamat po.
""")

# 21. Broken MIME: the declared boundary never appears; the text ends up in the preamble.
write("broken-bad-boundary.eml", f"""Return-Path: <anna.berg@customer.example>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: {US}
Subject: Complaint with a broken boundary
Date: {DATE}
Message-ID: <broken-boundary-0021@mail.customer.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="declared-boundary"

--some-other-boundary
Content-Type: text/plain; charset=utf-8

My order never arrived and nobody answers the phone.
--some-other-boundary--
""")

# 22. Garbage in the header block: a line with no colon, binary bytes, an over-long line.
garbage = crlf(f"""Return-Path: <anna.berg@customer.example>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: {US}
this line is not a header at all
""").encode("ascii") + b"X-Binary: \x01\x02\xfe\xff\x80\r\n" + crlf(f"""X-Long: {"a" * 1200}
Subject: Complaint with garbage headers
Date: {DATE}
Message-ID: <broken-garbage-0022@mail.customer.example>
Content-Type: text/plain; charset=utf-8

The courier left my parcel in the rain.
""").encode("ascii")
write("broken-garbage-headers.eml", garbage)

# 23. A leading non-header line (MimeKit #1089: Outlook's "Microsoft Mail Internet Headers Version 2.0").
write("broken-leading-line.eml", f"""Microsoft Mail Internet Headers Version 2.0
Return-Path: <anna.berg@customer.example>
From: Anna Berg <anna.berg@customer.example>
To: {US}
Subject: Complaint saved from Outlook
Date: {DATE}
Message-ID: <broken-leading-0023@mail.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The replacement lamp is broken too.
""")

# 24. An mbox "From " separator line before the headers.
write("broken-mbox-from-line.eml", f"""From anna.berg@customer.example Tue Mar 10 09:15:00 2026
Return-Path: <anna.berg@customer.example>
From: Anna Berg <anna.berg@customer.example>
To: {US}
Subject: Complaint exported from an mbox
Date: {DATE}
Message-ID: <broken-mbox-0024@mail.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Still waiting for my refund.
""")

# 25. Not a message at all: no header anywhere. Must come back as a parse failure, not an exception.
write("broken-unparseable.eml", """This is not an email message.
It has no headers, only text
and nothing that could be taken for a header field.
""")

# 26. NUL bytes in the body and in a header value (RFC 7103 §7.6; PostgreSQL text cannot store them).
nul = crlf(f"""Return-Path: <anna.berg@customer.example>
{RECEIVED}
From: Anna Berg <anna.berg@customer.example>
To: {US}
""").encode("ascii") + b"Subject: Complaint with a\x00NUL\r\n" + crlf(f"""Date: {DATE}
Message-ID: <nul-bytes-0026@mail.customer.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

""").encode("ascii") + b"My order\x00 is missing\x00\x00 and I want\x00 a refund.\r\n"
write("nul-bytes.eml", nul)
