"""What the Python benches share: waiting for a condition with a deadline, and learning the
ports our binaries bound (they listen on port 0 and say which: genesys_sim and the Go peer
write --port-file, genesys_exporter logs `msg=listening ... port=N`), so no bench picks a port
by binding and closing it."""

import os
import re
import sys
import time


def wait_until(what, limit_s, cond, every=0.2):
    """Polls cond() until it is true; exits the bench, naming `what`, after limit_s seconds."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if cond():
                return
        except OSError:
            pass
        time.sleep(every)
    sys.exit(f"{what} did not happen within {limit_s} s")


def read_port(path, limit_s=120):
    """The port a --port-file names, once it is written."""
    wait_until(f"port file {path}", limit_s, lambda: os.path.exists(path) and open(path).read().strip())
    return int(open(path).read().strip())


def listening_port(log_path, limit_s=60):
    """The port genesys_exporter logged it listens on (start it with --web.listen-address=127.0.0.1:0)."""
    found = {}

    def logged():
        with open(log_path, errors="replace") as f:
            m = re.search(r" msg=listening .*?\bport=(\d+)", f.read())
        if m:
            found["port"] = int(m.group(1))
        return bool(m)

    wait_until(f"the exporter's listening line in {log_path}", limit_s, logged)
    return found["port"]
