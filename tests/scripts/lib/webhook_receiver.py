#!/usr/bin/env python3
"""A webhook receiver for tests: records every POST as one JSON line and answers it.

  webhook_receiver.py PORT_FILE RECORD.jsonl

Listens on 127.0.0.1, port 0 (the kernel picks one), and writes the port to PORT_FILE
(atomically, via rename) once it accepts connections. Each POST appends to RECORD.jsonl:

  {"time": unix seconds, "path": "/hook", "headers": {lower-case name: value},
   "body": parsed JSON (or null), "raw": the body as text (for signature checks)}

Answers 200 {"ok":true}, except under /fail, which always answers 503: a receiver URL under
/fail is a receiver that keeps failing (GenesysWebhookDeliveryFailing). Stops on SIGTERM/SIGINT.
"""

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    record_path = ""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        entry = {"time": time.time(), "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body, "raw": text}
        with LOCK:
            with open(self.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, sort_keys=True) + "\n")
        failing = self.path.startswith("/fail")
        answer = b'{"ok":false}' if failing else b'{"ok":true}'
        self.send_response(503 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self):  # readiness
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("webhook_receiver: %s %s\n" % (self.address_string(), fmt % args))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    port_file, record = sys.argv[1], sys.argv[2]
    Handler.record_path = record
    open(record, "a").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
