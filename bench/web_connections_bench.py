#!/usr/bin/env python3
"""The exporter's web server under hostile connections (docs/benchmarks.md).

Starts genesys_sim (demo scenario) and genesys_exporter on loopback ports, waits until the
exporter is ready, then measures:
  - a small request on a reused keep-alive connection (Nagle + delayed ACK cost ~40 ms);
  - /metrics scrapes, each on a new connection, alone and while IDLE connections sit silent
    and SLOWLORIS connections trickle one header byte every TRICKLE_S seconds;
  - a 100 MB POST body: time to the answer, and the exporter's RSS;
  - 4 connections sending up to a million header lines each: time to the answer, and RSS;
  - the exporter's open descriptors before, during and after the flood.

  bench/web_connections_bench.py [--bin BUILD_DIR] [--idle 1000] [--slowloris 1000]
                                  [--exporter-args "--web.max-connections=4096"]
Nothing here asserts: it prints figures (the tests check behaviour).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from bench_common import read_port, wait_until


def status_of(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def proc_status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def scrape(port, timeout=10):
    """Seconds for one GET /metrics on a new connection (None when it failed)."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        if not data.startswith(b"HTTP/1.1 200"):
            return None
        return time.monotonic() - start
    except OSError:
        return None


def read_response(s):
    """One whole response (header and Content-Length body) from socket `s`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return head


def keepalive_latency(port, path="/-/healthy", n=200):
    """Median seconds of a small request on a reused connection (not its first request; a
    server that closes after a few requests gets a new connection)."""
    times, s = [], None
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    while len(times) < n:
        if s is None:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            first = True
        start = time.monotonic()
        try:
            s.sendall(request)
            head = read_response(s)
        except OSError:
            s.close()
            s = None
            continue
        if not first:
            times.append(time.monotonic() - start)
        first = False
        if b"connection: close" in head.lower():
            s.close()
            s = None
    if s:
        s.close()
    return statistics.median(times)


def summary(times):
    ok = [t for t in times if t is not None]
    if not ok:
        return f"0/{len(times)} answered"
    ok.sort()
    p95 = ok[min(len(ok) - 1, int(len(ok) * 0.95))]
    return (f"{len(ok)}/{len(times)} answered; median {statistics.median(ok) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {ok[-1] * 1000:.1f} ms")


class Flood:
    """IDLE silent connections and SLOWLORIS ones that trickle a header byte now and then."""

    def __init__(self, port, idle, slowloris, trickle_s):
        self.idle, self.slow, self.trickle_s = [], [], trickle_s
        self.refused = 0
        for _ in range(idle):
            self.idle.append(self._connect(port))
        for _ in range(slowloris):
            s = self._connect(port)
            if s:
                try:
                    s.send(b"GET /metrics HTTP/1.1\r\nX-Slow: ")
                except OSError:
                    pass
            self.slow.append(s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _connect(self, port):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            return s
        except OSError:
            self.refused += 1
            return None

    def _trickle(self):
        while not self.stop.wait(self.trickle_s):
            for s in self.slow:
                if s:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass

    def still_open(self):
        """How many of the flood's connections the server has not closed."""
        n = 0
        for s in self.idle + self.slow:
            if s:
                try:
                    data = s.recv(1, socket.MSG_PEEK)
                    if data:
                        n += 1
                except BlockingIOError:
                    n += 1
                except OSError:
                    pass
        return n

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.idle + self.slow:
            if s:
                s.close()


def big_body(port, pid):
    rss0 = proc_status(pid, "VmRSS")
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"POST /metrics HTTP/1.1\r\nHost: bench\r\nContent-Length: 104857600\r\n\r\n")
        s.settimeout(0.001)
        chunk, sent, answer = b"x" * (1 << 20), 0, b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and b"\r\n\r\n" not in answer:
            try:
                answer += s.recv(4096)
            except (BlockingIOError, socket.timeout):
                pass
            except OSError:
                break
            if sent < 100 << 20:
                try:
                    sent += s.send(chunk)
                except (BlockingIOError, socket.timeout):
                    pass
                except OSError:
                    break
        took = time.monotonic() - start
    status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/") else "none"
    return status, took, sent, rss0, proc_status(pid, "VmRSS")


def header_lines(port, pid, connections=4, lines=1_000_000):
    rss0 = proc_status(pid, "VmRSS")
    block = b"".join(b"X-Filler-%d: y\r\n" % i for i in range(1000))
    socks = []
    for _ in range(connections):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n")
        s.setblocking(False)
        socks.append({"s": s, "sent": 0, "answer": b"", "done": False, "took": None})
    start = time.monotonic()
    deadline = start + 120
    while time.monotonic() < deadline and not all(c["done"] for c in socks):
        for c in socks:
            if c["done"]:
                continue
            try:
                got = c["s"].recv(4096)
                c["answer"] += got
                if not got or b"\r\n\r\n" in c["answer"]:
                    c["done"], c["took"] = True, time.monotonic() - start
                    continue
            except BlockingIOError:
                pass
            except OSError:
                c["done"], c["took"] = True, time.monotonic() - start
                continue
            if c["sent"] < lines:
                try:
                    if c["s"].send(block) == len(block):
                        c["sent"] += 1000
                except BlockingIOError:
                    pass
                except OSError:
                    c["done"], c["took"] = True, time.monotonic() - start
            else:
                try:
                    c["s"].send(b"\r\n")
                except OSError:
                    pass
    peak = proc_status(pid, "VmRSS")
    out = []
    for c in socks:
        status = c["answer"].split(b" ")[1].decode() if c["answer"].startswith(b"HTTP/") else "none"
        out.append((status, c["took"], c["sent"]))
        c["s"].close()
    return out, rss0, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--slowloris", type=int, default=1000)
    ap.add_argument("--trickle-s", type=float, default=2.0)
    ap.add_argument("--scrapes", type=int, default=20)
    ap.add_argument("--exporter-args", default="")
    ap.add_argument("--keepalive-only", action="store_true", help="measure the reused-connection latency only")
    args = ap.parse_args()

    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    work = tempfile.mkdtemp(prefix="gx_web_bench_")
    sim = subprocess.Popen([os.path.join(args.bin, "genesys_sim"), "--scenario", "demo", "--listen", "127.0.0.1:0",
                            "--port-file", work + "/sim.port"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sim_url = f"http://127.0.0.1:{read_port(work + '/sim.port', 20)}"
    with open(work + "/config.yml", "w") as f:
        f.write(f"tls_probes:\n  enabled: false\nalerting:\n  spool_dir: {work}/spool\n")
    env = dict(os.environ, GENESYS_CLIENT_ID="demo-client", GENESYS_CLIENT_SECRET="demo-secret",
               GENESYS_API_URL=sim_url, GENESYS_LOGIN_URL=sim_url)
    exporter = subprocess.Popen([os.path.join(args.bin, "genesys_exporter"), "--config.file=" + work + "/config.yml",
                                 "--web.listen-address=127.0.0.1:0", "--web.port-file=" + work + "/exporter.port"]
                                + args.exporter_args.split(),
                                env=env, stdout=open(work + "/exporter.log", "w"), stderr=subprocess.STDOUT)
    try:
        port = read_port(work + "/exporter.port", 60)
        wait_until("exporter ready", 60, lambda: status_of(f"http://127.0.0.1:{port}/-/ready") == 200)
        pid = exporter.pid
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read()
        print(f"/metrics: {len(body)} bytes; exporter RSS {proc_status(pid, 'VmRSS') / 1024:.1f} MB, "
              f"{open_fds(pid)} fds")
        ka = keepalive_latency(port)
        print(f"small request on a reused keep-alive connection, median of 200: {ka * 1000:.2f} ms")
        sim_port = int(sim_url.rsplit(":", 1)[1])
        ka = keepalive_latency(sim_port, "/sim/v1/scenario")
        print(f"genesys_sim (cpp-httplib), the same: {ka * 1000:.2f} ms")
        if args.keepalive_only:
            return
        print("scrapes alone:", summary([scrape(port) for _ in range(args.scrapes)]))

        fds0 = open_fds(pid)
        t0 = time.monotonic()
        flood = Flood(port, args.idle, args.slowloris, args.trickle_s)
        print(f"flood: {args.idle} idle + {args.slowloris} slowloris opened in {time.monotonic() - t0:.1f} s "
              f"({flood.refused} refused at connect); exporter {open_fds(pid)} fds, "
              f"RSS {proc_status(pid, 'VmRSS') / 1024:.1f} MB")
        times = []
        for _ in range(args.scrapes):
            times.append(scrape(port))
            time.sleep(0.1)
        print("scrapes during the flood:", summary(times))
        print(f"flood connections still open after the scrapes: {flood.still_open()} "
              f"(of {args.idle + args.slowloris})")
        flood.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and open_fds(pid) > fds0:
            time.sleep(0.1)
        print(f"fds: {fds0} before the flood, {open_fds(pid)} after it closed")

        status, took, sent, rss0, rss1 = big_body(port, pid)
        print(f"100 MB body: answer {status} after {took * 1000:.0f} ms, {sent / (1 << 20):.0f} MB sent; "
              f"RSS {rss0 / 1024:.1f} -> {rss1 / 1024:.1f} MB")
        results, rss0, peak = header_lines(port, pid)
        for i, (status, took, sent) in enumerate(results):
            print(f"header lines #{i}: answer {status} after {sent} lines"
                  + (f", {took * 1000:.0f} ms" if took is not None else ", no answer within 120 s"))
        time.sleep(1)
        print(f"header lines: RSS {rss0 / 1024:.1f} -> {peak / 1024:.1f} MB at the end, "
              f"{proc_status(pid, 'VmRSS') / 1024:.1f} MB 1 s later; peak (VmHWM) "
              f"{proc_status(pid, 'VmHWM') / 1024:.1f} MB")
    finally:
        exporter.terminate()
        sim.terminate()
        exporter.wait(30)
        sim.wait(30)


if __name__ == "__main__":
    main()
