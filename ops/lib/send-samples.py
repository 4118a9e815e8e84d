#!/usr/bin/python3
"""Sends .eml files through an SMTP server, as the customers' mail servers would.

    /usr/bin/python3 ops/lib/send-samples.py --smtp 127.0.0.1:51025 --to support@example.test ops/samples/*.eml

The envelope sender is the file's Return-Path (``<>`` for a bounce), else its From address;
the Return-Path line itself is dropped, since the delivering server writes its own. Date
and Message-ID are made fresh for each run, so a second run is new mail rather than the
same messages again. Everything else is sent byte for byte. Prints one line per message:
``sent FILE from=<sender> message-id=<id>``.
"""

from __future__ import annotations

import argparse
import email.utils
import smtplib
import sys
import time
import uuid
from pathlib import Path


def host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def split_headers(raw: bytes) -> tuple[list[list[bytes]], bytes]:
    """The header block as logical headers (each a list of physical lines), and the body."""
    raw = raw.replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    headers: list[list[bytes]] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and headers:
            headers[-1].append(line)
        else:
            headers.append([line])
    return headers, body


def header_name(header: list[bytes]) -> str:
    return header[0].split(b":", 1)[0].strip().decode("ascii", "replace").lower()


def header_value(header: list[bytes]) -> str:
    text = b" ".join(line.strip() for line in header).decode("utf-8", "replace")
    return text.split(":", 1)[1].strip() if ":" in text else ""


def prepare(path: Path, run_id: str) -> tuple[str, bytes, str]:
    headers, body = split_headers(path.read_bytes())
    sender = None
    message_id = ""
    out: list[bytes] = []
    for header in headers:
        name = header_name(header)
        if name == "return-path":
            sender = email.utils.parseaddr(header_value(header))[1]
            if header_value(header).replace(" ", "") == "<>":
                sender = ""
            continue
        if name == "message-id":
            old = header_value(header).strip("<>")
            local, _, domain = old.partition("@")
            message_id = f"<{local}.{run_id}@{domain or 'customer.test'}>"
            header = [b"Message-ID: " + message_id.encode("ascii")]
        elif name == "date":
            header = [b"Date: " + email.utils.formatdate(localtime=True).encode("ascii")]
        elif name == "from" and sender is None:
            sender = email.utils.parseaddr(header_value(header))[1]
        out.extend(header)
    if sender is None:
        sender = next((email.utils.parseaddr(header_value(h))[1] for h in headers if header_name(h) == "from"), "")
    message = b"\r\n".join(out) + b"\r\n\r\n" + body.replace(b"\n", b"\r\n")
    return sender, message, message_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smtp", required=True, help="host:port of the SMTP server")
    parser.add_argument("--to", required=True, action="append", help="envelope recipient (repeatable)")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()

    run_id = f"{int(time.time())}.{uuid.uuid4().hex[:6]}"
    host, port = host_port(args.smtp)
    with smtplib.SMTP(host, port, local_hostname="mx.customer.test", timeout=60) as smtp:
        smtp.ehlo()
        for path in args.files:
            sender, message, message_id = prepare(path, run_id)
            options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
            smtp.sendmail(sender, args.to, message, mail_options=options)
            print(f"sent {path.name} from=<{sender}> message-id={message_id}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
