#!/usr/bin/python3
"""A real SMTP server for SlaWatch's tests and local run that delivers into Dovecot over LMTP.

Run it with Debian's /usr/bin/python3 (python3-aiosmtpd is installed for that interpreter only):

    /usr/bin/python3 ops/lib/smtp-relay.py --listen 127.0.0.1:51025 --lmtp 127.0.0.1:51124 \
        --message-log .local/smtp/messages.log

What it promises a client:
- Each RCPT is checked with Dovecot's LMTP in the same transaction, so a recipient LMTP
  rejects is rejected to the SMTP client with LMTP's code.
- DATA is answered 250 only after LMTP accepted the message for every recipient. The envelope
  sender is passed on unchanged, the null sender <> included, so Dovecot writes the
  Return-Path a real mail server would.
- AUTH PLAIN/LOGIN is offered without TLS and accepts any credentials (loopback only); it is
  never required.
- One line per accepted message goes to the message log:
  ISO-8601 UTC timestamp with milliseconds, envelope sender, recipients, Message-ID.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime
import logging
import os
import signal
import smtplib
import sys
import threading
from email.parser import BytesHeaderParser
from email.policy import compat32

from aiosmtpd.smtp import SMTP, AuthResult

log = logging.getLogger("smtp-relay")


def host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def reply_text(message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return " ".join(text.split())


class LmtpHandler:
    """aiosmtpd handler: one LMTP connection per SMTP session, one LMTP transaction per SMTP one."""

    def __init__(self, lmtp: tuple[str, int], message_log: str | None, executor: concurrent.futures.Executor):
        self.lmtp = lmtp
        self.message_log = message_log
        self.executor = executor
        self.log_lock = threading.Lock()

    # --- LMTP side (blocking; runs on the executor, one call at a time per session) ---

    def _connect(self, session) -> smtplib.LMTP:
        connection = smtplib.LMTP(self.lmtp[0], self.lmtp[1], local_hostname="relay.slawatch.test", timeout=60)
        connection.ehlo()  # LHLO for smtplib.LMTP
        session.lmtp = connection
        session.lmtp_envelope = None
        return connection

    @staticmethod
    def close(session) -> None:
        connection = getattr(session, "lmtp", None)
        session.lmtp = None
        session.lmtp_envelope = None
        if connection is not None:
            try:
                connection.close()
            except OSError:
                pass

    def _begin(self, session, envelope) -> tuple[int, str] | None:
        """Starts the LMTP transaction for this envelope (MAIL FROM) unless it is started."""
        if getattr(session, "lmtp", None) is not None and getattr(session, "lmtp_envelope", None) is envelope:
            return None
        connection = getattr(session, "lmtp", None)
        if connection is not None:
            # A new SMTP transaction: reuse the connection if Dovecot still answers (it may
            # have been restarted or timed the connection out since).
            try:
                code, _ = connection.rset()
                if code != 250:
                    raise smtplib.SMTPServerDisconnected("RSET refused")
            except (smtplib.SMTPException, OSError):
                self.close(session)
                connection = None
        if connection is None:
            connection = self._connect(session)
        sender = "" if envelope.mail_from in ("<>", None) else envelope.mail_from
        options = []
        if envelope.smtp_utf8 and connection.has_extn("smtputf8"):
            options.append("SMTPUTF8")
        if "BODY=8BITMIME" in envelope.mail_options and connection.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        code, message = connection.mail(sender, options)
        if code != 250:
            return code, reply_text(message)
        session.lmtp_envelope = envelope
        return None

    def _rcpt(self, session, envelope, address: str) -> tuple[int, str]:
        try:
            refused = self._begin(session, envelope)
            if refused is not None:
                return refused
            code, message = session.lmtp.rcpt(address)
            return code, reply_text(message)
        except (smtplib.SMTPException, OSError) as error:
            self.close(session)
            log.warning("LMTP unavailable at RCPT %s: %s", address, error)
            return 451, f"4.4.1 local delivery unavailable: {error}"

    def _data(self, session, envelope) -> list[tuple[str, int, str]]:
        connection = getattr(session, "lmtp", None)
        if connection is None or getattr(session, "lmtp_envelope", None) is not envelope:
            raise smtplib.SMTPServerDisconnected("the LMTP transaction was lost after RCPT")
        session.lmtp_envelope = None
        # LMTP answers DATA once per accepted recipient, in RCPT order (RFC 2033 section 4.2).
        code, message = connection.data(envelope.original_content)
        results = [(envelope.rcpt_tos[0], code, reply_text(message))]
        for address in envelope.rcpt_tos[1:]:
            code, message = connection.getreply()
            results.append((address, code, reply_text(message)))
        return results

    # --- SMTP side (aiosmtpd hooks) ---

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        loop = asyncio.get_running_loop()
        code, message = await loop.run_in_executor(self.executor, self._rcpt, session, envelope, address)
        if code in (250, 251, 252):
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
            return f"250 {message}" if message else "250 OK"
        log.info("RCPT %s refused by LMTP: %s %s", address, code, message)
        return f"{code} {message}"

    async def handle_DATA(self, server, session, envelope):
        loop = asyncio.get_running_loop()
        try:
            results = await loop.run_in_executor(self.executor, self._data, session, envelope)
        except smtplib.SMTPResponseException as error:
            self.close(session)
            log.warning("LMTP refused DATA from <%s>: %s %s", envelope.mail_from, error.smtp_code, reply_text(error.smtp_error))
            return f"{error.smtp_code} {reply_text(error.smtp_error)}"
        except (smtplib.SMTPException, OSError) as error:
            self.close(session)
            log.warning("LMTP failed during DATA from <%s>: %s", envelope.mail_from, error)
            return f"451 4.3.0 local delivery failed: {error}"
        failed = [(address, code, message) for address, code, message in results if code // 100 != 2]
        if failed:
            delivered = [address for address, code, _ in results if code // 100 == 2]
            # SMTP has one answer per DATA: report the failure, so the client keeps the message.
            # A retry may duplicate it for the recipients already served (never lose it).
            log.warning("LMTP refused %s (delivered to %s)", failed, delivered or "nobody")
            _, code, message = failed[0]
            return f"{code} {message}"
        self._log_message(envelope)
        return f"250 2.0.0 delivered to {len(results)} mailbox(es)"

    def _log_message(self, envelope) -> None:
        try:
            headers = BytesHeaderParser(policy=compat32).parsebytes(envelope.original_content)
            message_id = " ".join(str(headers.get("Message-ID", "") or "").split())
        except Exception:  # a malformed header block must not lose the log line
            message_id = ""
        stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        sender = "" if envelope.mail_from in ("<>", None) else envelope.mail_from
        line = f"{stamp} from=<{sender}> to={','.join(f'<{r}>' for r in envelope.rcpt_tos)} message-id={message_id or '-'}\n"
        log.info("%s", line.rstrip())
        if self.message_log:
            with self.log_lock, open(self.message_log, "a", encoding="utf-8") as f:
                f.write(line)


class RelaySMTP(SMTP):
    # Real relays accept lines longer than RFC 5321's 1000 octets (Postfix splits them);
    # tests feed deliberately malformed mail, so be as tolerant as they are.
    line_length_limit = 1024 * 1024

    def connection_lost(self, error):
        try:
            super().connection_lost(error)
        finally:
            LmtpHandler.close(self.session)


def accept_any(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)


async def serve(args) -> None:
    loop = asyncio.get_running_loop()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="lmtp")
    handler = LmtpHandler(host_port(args.lmtp), args.message_log, executor)
    host, port = host_port(args.listen)

    def factory():
        return RelaySMTP(
            handler,
            hostname="relay.slawatch.test",
            ident="SlaWatch test relay",
            data_size_limit=args.max_size,
            enable_SMTPUTF8=True,
            decode_data=False,
            auth_required=False,
            auth_require_tls=False,
            authenticator=accept_any,
            loop=loop,
        )

    server = await loop.create_server(factory, host=host, port=port, reuse_address=True)
    log.info("listening on %s:%s, delivering to LMTP %s", host, port, args.lmtp)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()
    executor.shutdown(wait=False, cancel_futures=True)
    log.info("stopped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:51025", help="host:port to listen on")
    parser.add_argument("--lmtp", default="127.0.0.1:51124", help="Dovecot's LMTP host:port")
    parser.add_argument("--message-log", help="file that gets one line per accepted message")
    parser.add_argument("--max-size", type=int, default=128 * 1024 * 1024, help="largest message in bytes")
    parser.add_argument("--pid-file", help="file to write this process's id to")
    args = parser.parse_args()
    if args.pid_file:
        with open(args.pid_file, "w", encoding="ascii") as f:
            f.write(f"{os.getpid()}\n")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")
    mail_log = logging.getLogger("mail.log")
    mail_log.setLevel(logging.WARNING)
    # aiosmtpd 1.4 warns about its own use of a deprecated attribute on every AUTH.
    mail_log.addFilter(lambda record: "login_data is deprecated" not in record.getMessage())
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
