"""What the Python benches share: waiting for a condition with a deadline, and learning the
ports our binaries bound (they listen on port 0 and write which to a port file: genesys_sim and
the Go peer's --port-file, genesys_exporter's --web.port-file), so no bench picks a port by
binding and closing it."""

import os
import subprocess
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
    """The (first) port a port file names, once it is written: the program answers on it then."""
    wait_until(f"port file {path}", limit_s, lambda: os.path.exists(path) and open(path).readline().strip())
    return int(open(path).readline())


def stop_all(procs, limit_s=30):
    """Terminates every process of `procs`, then kills those still running after limit_s seconds."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=limit_s)
        except subprocess.TimeoutExpired:
            p.kill()
