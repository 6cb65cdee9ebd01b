#!/usr/bin/env python3
"""/metrics cost side by side with client_golang (docs/benchmarks.md, issue 14).

Starts genesys_sim with an org of PHONES phones (random walk off, rate limit lifted), the
exporter with per-phone series on (or aggregated with --aggregated), and bench/peer_golang
(client_golang serving the same per-phone series shape) twice: plain and with gzip on. Then
runs ROUNDS interleaved rounds; each round scrapes, in a shuffled order:
  exporter plain / gzip with the state unchanged since the last scrape,
  exporter plain / gzip right after a state change (a pushed line flip of one phone),
  peer plain / gzip (client_golang renders every scrape, changed or not).
CPU per scrape is the delta of the sum of /proc/PID/task/*/schedstat (time on CPU) across
the scrape; RSS is VmRSS/VmHWM after the rounds. Prints medians and the ratios.

  bench/metrics_bench.py [--bin BUILD_DIR] [--peer PEER_BINARY] [--phones 50000]
                         [--rounds 40] [--aggregated]
The peer is built by `scripts/build peer_golang` when Go is installed (scripts/install-deps
--bench). Nothing here asserts: it prints figures.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_common import read_port, stop_all, wait_until


def cpu_ns(pid):
    """Nanoseconds on CPU of every live thread of `pid`."""
    total = 0
    base = f"/proc/{pid}/task"
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def proc_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def get(port, path, gzip=False, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    enc = r.getheader("Content-Encoding", "")
    conn.close()
    if r.status != 200:
        raise RuntimeError(f"GET {path} on {port}: {r.status}")
    if gzip and enc != "gzip":
        raise RuntimeError(f"GET {path} on {port}: asked for gzip, got '{enc}'")
    return body


def scrape(pid, port, gzip):
    """(CPU seconds of `pid` across one scrape, body)."""
    before = cpu_ns(pid)
    body = get(port, "/metrics", gzip)
    return (cpu_ns(pid) - before) / 1e9, body


def phone_lines_digest(body):
    h = hashlib.sha1()
    for line in body.split(b"\n"):
        if line.startswith(b"genesys_phone"):
            h.update(line)
    return h.hexdigest()


def post_json(port, path, doc):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(doc).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", "build"))
    ap.add_argument("--peer", default=None, help="peer_golang binary (default BIN/bench/peer_golang/peer_golang)")
    ap.add_argument("--phones", type=int, default=50000)
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--aggregated", action="store_true", help="exporter with per_phone off (no peer comparison)")
    ap.add_argument("--settle-s", type=float, default=0.3, help="wait after a state change before scraping")
    args = ap.parse_args()
    peer_bin = args.peer or os.path.join(args.bin, "bench", "peer_golang", "peer_golang")
    have_peer = os.path.exists(peer_bin) and not args.aggregated
    if not have_peer and not args.aggregated:
        print(f"no peer at {peer_bin} (install Go: scripts/install-deps --bench; scripts/build peer_golang); "
              "exporter only")

    work = tempfile.mkdtemp(prefix="gx_metrics_bench_")
    with open(work + "/org.yaml", "w") as f:
        f.write(f"""name: bench
seed: 7
org:
  site_count: {args.sites}
  edges_per_site: 4
  phones: {args.phones}
  users: 0
  external_trunks: 600
  tls_endpoints: false
auth: {{client_id: demo-client, client_secret: demo-secret, rate_limit_per_minute: 100000}}
streaming: {{max_topics: 1000, max_channels: 20}}
random_walk: {{enabled: false}}
""")
    with open(work + "/config.yml", "w") as f:
        f.write(f"""rate_limit: {{requests_per_minute: 100000}}
collection:
  per_phone: {"false" if args.aggregated else "true"}
  intervals: {{phones: 1h, stations: 1h, trunks: 1h, trunk_metrics: 1h, edges: 1h, edge_metrics: 1h}}
tls_probes: {{enabled: false}}
alerting: {{spool_dir: {work}/spool}}
""")
    procs = []

    def start(cmd, log, env=None):
        p = subprocess.Popen(cmd, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
        procs.append(p)
        return p

    try:
        start([os.path.join(args.bin, "genesys_sim"), "--scenario", work + "/org.yaml", "--listen", "127.0.0.1:0",
               "--port-file", work + "/sim.port"], work + "/sim.log")
        sim_port = read_port(work + "/sim.port")
        sim_url = f"http://127.0.0.1:{sim_port}"
        env = dict(os.environ, GENESYS_CLIENT_ID="demo-client", GENESYS_CLIENT_SECRET="demo-secret",
                   GENESYS_API_URL=sim_url, GENESYS_LOGIN_URL=sim_url)
        exporter = start([os.path.join(args.bin, "genesys_exporter"), "--config.file=" + work + "/config.yml",
                          "--web.listen-address=127.0.0.1:0", "--web.port-file=" + work + "/exporter.port"],
                         work + "/exporter.log", env)
        ex_port = read_port(work + "/exporter.port", 60)
        peers = {}
        if have_peer:
            for name, extra in (("plain", []), ("gzip", ["-gzip"])):
                p = start([peer_bin, "-phones", str(args.phones), "-sites", str(args.sites),
                           "-port-file", f"{work}/peer_{name}.port"] + extra, f"{work}/peer_{name}.log")
                peers[name] = (p, read_port(f"{work}/peer_{name}.port"))

        want = 1 if args.aggregated else args.phones
        def loaded():
            body = get(ex_port, "/metrics")
            n = body.count(b"\ngenesys_phone_registered{") if not args.aggregated else body.count(b"\ngenesys_phones{")
            return n >= want
        wait_until("exporter loaded the org", 900, loaded, every=2)
        time.sleep(2)  # let the first trunk/edge metric cycles finish
        body = get(ex_port, "/metrics")
        ids = sorted({line.split(b'phone_id="')[1].split(b'"')[0].decode()
                      for line in body.split(b"\n") if line.startswith(b"genesys_phone_registered{")})
        flip = {"n": 0}

        def change_state():
            # The phone with the lowest id is pushed first (topic plan), so the flip arrives by push.
            target = ids[0] if ids else "0"
            reachable = flip["n"] % 2 == 1
            flip["n"] += 1
            post_json(sim_port, "/sim/v1/mutations", {"action": "phone_line", "target": target, "line": 0,
                                                      "reachable": reachable})
            time.sleep(args.settle_s)

        kinds = ["exporter plain unchanged", "exporter gzip unchanged", "exporter plain changed",
                 "exporter gzip changed"]
        if have_peer:
            kinds += ["peer plain", "peer gzip"]
        cpu = {k: [] for k in kinds}
        size = {}
        changed_seen = {"plain": 0, "gzip": 0}
        last_digest = phone_lines_digest(get(ex_port, "/metrics"))
        for r in range(args.rounds):
            order = kinds[:]
            random.shuffle(order)
            for k in order:
                if k.startswith("exporter"):
                    gz = " gzip " in k
                    if k.endswith("changed") and not k.endswith("unchanged"):
                        change_state()
                    else:
                        # The unchanged scrape follows a scrape of the same state in the same encoding.
                        get(ex_port, "/metrics", gz)
                    c, b = scrape(exporter.pid, ex_port, gz)
                    if not gz:
                        d = phone_lines_digest(b)
                        if k.endswith(" changed") and d != last_digest:
                            changed_seen["plain"] += 1
                        last_digest = d
                    elif k.endswith(" changed"):
                        changed_seen["gzip"] += 1
                else:
                    p, port = peers["gzip" if k.endswith("gzip") else "plain"]
                    if r % 2 == 0:
                        get(port, "/churn")
                    c, b = scrape(p.pid, port, k.endswith("gzip"))
                cpu[k].append(c)
                size[k] = len(b)
        for _ in range(max(0, 100 - args.rounds * 6)):
            get(ex_port, "/metrics")
        med = {k: statistics.median(v) for k, v in cpu.items()}
        print(f"phones {args.phones}, {'aggregated' if args.aggregated else 'per-phone'}, {args.rounds} rounds; "
              f"plain changed rounds whose phone series changed: {changed_seen['plain']}/{args.rounds}")
        print(f"{'scrape':28} {'median CPU ms':>14} {'min':>8} {'max':>8} {'bytes':>11}")
        for k in kinds:
            print(f"{k:28} {med[k] * 1000:14.2f} {min(cpu[k]) * 1000:8.2f} {max(cpu[k]) * 1000:8.2f} {size[k]:11}")
        if have_peer:
            for ours, theirs in (("exporter plain changed", "peer plain"), ("exporter plain unchanged", "peer plain"),
                                 ("exporter gzip unchanged", "peer gzip"), ("exporter gzip changed", "peer gzip")):
                ratio = med[theirs] / med[ours] if med[ours] > 0 else float("inf")
                print(f"ratio {theirs} / {ours}: {ratio:.1f}x")
            for name, (p, _) in peers.items():
                print(f"peer {name}: RSS {proc_kb(p.pid, 'VmRSS') / 1024:.1f} MB")
        print(f"exporter: RSS {proc_kb(exporter.pid, 'VmRSS') / 1024:.1f} MB, "
              f"HWM {proc_kb(exporter.pid, 'VmHWM') / 1024:.1f} MB after {max(100, args.rounds * 6)}+ scrapes")
    finally:
        stop_all(procs)


if __name__ == "__main__":
    main()
