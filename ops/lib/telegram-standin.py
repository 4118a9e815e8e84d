#!/usr/bin/env python3
"""A local stand-in of the Telegram Bot API for ops/run-local.sh, so a new user sees a social complaint too.

    telegram-standin.py PORT SENT_LOG

Serves getUpdates (offset, limit, a short long-poll) with one sample customer message in a private chat, dated
now, and records every sendMessage (SlaWatch's replies) as one JSON line in SENT_LOG. Loopback only; any token.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, sent_log = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
updates = [{
    "update_id": 815112001,
    "message": {
        "message_id": 77,
        "from": {"id": 5550001, "is_bot": False, "first_name": "Ana", "username": "ana_s", "language_code": "nl"},
        "chat": {"id": 5550001, "type": "private", "first_name": "Ana"},
        "date": int(time.time()),
        "text": "Hallo, mijn bestelling is al twee weken onderweg en niemand beantwoordt mijn berichten. Wat is er aan de hand?",
    },
}]
next_id = [9000]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, payload, status=200):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        # Telegram.Bot streams its JSON requests (chunked, no Content-Length).
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self):
        raw = self.body()
        try:
            request = json.loads(raw or b"{}")
        except ValueError:
            request = {}
        method = self.path.rsplit("/", 1)[-1]
        if method == "getUpdates":
            offset = int(request.get("offset") or 0)
            wait_until = time.time() + min(int(request.get("timeout") or 0), 2)
            while True:
                with lock:
                    page = [u for u in updates if u["update_id"] >= offset][: int(request.get("limit") or 100)]
                if page or time.time() >= wait_until:
                    return self.reply({"ok": True, "result": page})
                time.sleep(0.2)
        if method == "sendMessage":
            with lock:
                next_id[0] += 1
                with open(sent_log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(request, ensure_ascii=False) + "\n")
                message_id = next_id[0]
            return self.reply({"ok": True, "result": {
                "message_id": message_id, "date": int(time.time()), "text": request.get("text"),
                "chat": {"id": request.get("chat_id"), "type": "private"},
                "from": {"id": 1, "is_bot": True, "first_name": "SlaWatch"}}})
        return self.reply({"ok": False, "error_code": 404, "description": "Not Found: method not found"}, 404)


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
