#!/usr/bin/env python3
"""A webhook receiver for tests: records every POST as one JSON line and answers it.

  webhook_receiver.py PORT_FILE RECORD.jsonl [--port N]

Listens on 127.0.0.1, port 0 (the kernel picks one) or --port N (to come back on the same port
after a deliberate outage), and writes the port to PORT_FILE (atomically, via rename) once it
accepts connections. Each POST appends to RECORD.jsonl, before it is answered:

  {"time": unix seconds, "path": "/hook", "headers": {lower-case name: value},
   "body": parsed JSON (or null), "raw": the body as text (for signature checks),
   "status": the status answered (0: the connection was closed without an answer)}

Answers 200 {"ok":true}, except:
  - under /fail, which always answers 503: a receiver URL under /fail is a receiver that keeps
    failing (GenesysWebhookDeliveryFailing);
  - while a fault set with POST /-/fault is active:
      {"status": 503, "retry_after": "2", "seconds": 5}  answer 503 (or 429, 500, ...) with that
                                                          Retry-After (optional) for 5 seconds
      {"status": 0, "seconds": 5}                          close the connection unanswered
      {}                                                   back to 200 at once
    The control path itself is not recorded.
Stops on SIGTERM/SIGINT.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
FAULT = {"status": 200, "retry_after": None, "until": 0.0}
CONTROL_PATH = "/-/fault"


def current_fault(now):
    with LOCK:
        if FAULT["status"] != 200 and now < FAULT["until"]:
            return FAULT["status"], FAULT["retry_after"]
    return 200, None


class Handler(BaseHTTPRequestHandler):
    record_path = ""

    def answer(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def control(self, raw):
        try:
            spec = json.loads(raw or b"{}")
            status = int(spec.get("status", 200))
            seconds = float(spec.get("seconds", 0))
            retry_after = spec.get("retry_after")
        except (ValueError, TypeError, AttributeError):
            return self.answer(400, b'{"error":"bad fault"}')
        with LOCK:
            FAULT.update(status=status, retry_after=None if retry_after is None else str(retry_after),
                         until=time.time() + seconds)
        self.answer(200, b'{"ok":true}')

    def do_POST(self):
        raw = self.read_body()
        if self.path == CONTROL_PATH:
            return self.control(raw)
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        now = time.time()
        status, retry_after = (503, None) if self.path.startswith("/fail") else current_fault(now)
        entry = {"time": now, "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body, "raw": text, "status": status}
        with LOCK:
            with open(self.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")
        if status == 0:  # an outage as the sender sees it: no answer at all
            self.close_connection = True
            return
        extra = [("Retry-After", retry_after)] if retry_after is not None and status != 200 else []
        self.answer(status, b'{"ok":true}' if status == 200 else b'{"ok":false}', extra)

    def do_GET(self):  # readiness
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("webhook_receiver: %s %s\n" % (self.address_string(), fmt % args))


def main():
    p = argparse.ArgumentParser(usage=__doc__)
    p.add_argument("port_file")
    p.add_argument("record")
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    Handler.record_path = a.record
    open(a.record, "a").close()
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, a.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
