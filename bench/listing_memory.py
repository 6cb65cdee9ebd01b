#!/usr/bin/env python3
"""Peak memory of the exporter across complete phones listings (docs/benchmarks.md, issue 14).

Starts genesys_sim with an org of PHONES phones (random walk off, rate limit lifted) and the
exporter (per-phone series, push notifications off so that every phones cycle is a full
listing, phones polled every INTERVAL s, the rest hourly). Once the first listing is in, it
waits for LISTINGS more complete phones listings, scraping /metrics once after each, and
prints the exporter's VmRSS and VmHWM (the high-water mark: the listing bursts) after the
first listing and at the end, with the CPU the exporter spent meanwhile (schedstat of every
thread; it includes the scrape of /metrics, 7.9 MB, that checks every second whether a listing
ended, so it is not the listing's cost: bench/poll_cycle_bench measures that).
With several --bin, the builds run one after the other, in the order given, and again in
reverse (--repeat 2), so that a slow phase of a loaded machine does not favour one build.

  bench/listing_memory.py [--bin BUILD_DIR ...] [--phones 50000] [--listings 3] [--interval 20]
Nothing here asserts: it prints figures.
"""

import argparse
import os
import re
import subprocess
import tempfile
import time
import urllib.request

from bench_common import read_port, stop_all, wait_until
from metrics_bench import cpu_ns, proc_kb


def metrics(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=120) as r:
        return r.read().decode()


def phones_successes(text):
    """genesys_collector_last_success_timestamp_seconds{collector="phones"}, or None."""
    m = re.search(r'^genesys_collector_last_success_timestamp_seconds\{collector="phones"\} (\S+)$', text, re.M)
    return float(m.group(1)) if m else None


def run(build, phones, listings, interval):
    work = tempfile.mkdtemp(prefix="gx_listing_memory_")
    with open(work + "/org.yaml", "w") as f:
        f.write(f"""name: bench
seed: 7
org:
  site_count: 50
  edges_per_site: 4
  phones: {phones}
  users: 0
  external_trunks: 600
  tls_endpoints: false
auth: {{client_id: demo-client, client_secret: demo-secret, rate_limit_per_minute: 1000000}}
random_walk: {{enabled: false}}
""")
    with open(work + "/config.yml", "w") as f:
        f.write(f"""rate_limit: {{requests_per_minute: 100000}}
collection:
  per_phone: true
  intervals: {{phones: {interval}s, stations: 1h, trunks: 1h, trunk_metrics: 1h, edges: 1h, edge_metrics: 1h, jitter: 0}}
notifications: {{enabled: false}}
tls_probes: {{enabled: false}}
alerting: {{spool_dir: {work}/spool}}
""")
    procs = []
    try:
        procs.append(subprocess.Popen([os.path.join(build, "genesys_sim"), "--scenario", work + "/org.yaml",
                                       "--listen", "127.0.0.1:0", "--port-file", work + "/sim.port"],
                                      stdout=open(work + "/sim.log", "w"), stderr=subprocess.STDOUT))
        sim_url = f"http://127.0.0.1:{read_port(work + '/sim.port')}"
        env = dict(os.environ, GENESYS_CLIENT_ID="demo-client", GENESYS_CLIENT_SECRET="demo-secret",
                   GENESYS_API_URL=sim_url, GENESYS_LOGIN_URL=sim_url)
        exporter = subprocess.Popen([os.path.join(build, "genesys_exporter"), "--config.file=" + work + "/config.yml",
                                     "--web.listen-address=127.0.0.1:0", "--web.port-file=" + work + "/exporter.port"],
                                    env=env, stdout=open(work + "/exporter.log", "w"), stderr=subprocess.STDOUT)
        procs.append(exporter)
        port = read_port(work + "/exporter.port", 60)
        seen = {"last": None}

        def listed():
            t = phones_successes(metrics(port))
            if t is not None and t != seen["last"]:
                seen["last"] = t
                return True
            return False

        wait_until("the first phones listing", 900, listed, every=1)
        first = (proc_kb(exporter.pid, "VmRSS"), proc_kb(exporter.pid, "VmHWM"))
        cpu0 = cpu_ns(exporter.pid)
        for _ in range(listings):
            wait_until("another phones listing", 10 * interval + 300, listed, every=1)
        cpu = (cpu_ns(exporter.pid) - cpu0) / 1e9
        end = (proc_kb(exporter.pid, "VmRSS"), proc_kb(exporter.pid, "VmHWM"))
        return first, end, cpu
    finally:
        stop_all(procs)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", help="build directory (several: compared)")
    ap.add_argument("--phones", type=int, default=50000)
    ap.add_argument("--listings", type=int, default=3, help="complete listings after the first")
    ap.add_argument("--interval", type=int, default=20, help="phones polling interval, seconds")
    ap.add_argument("--repeat", type=int, default=2, help="passes over the builds, every other one reversed")
    args = ap.parse_args()
    builds = args.bin or [os.path.join(here, "..", "build")]
    print(f"phones={args.phones} listings_after_first={args.listings} interval={args.interval}s")
    for r in range(args.repeat):
        for build in builds if r % 2 == 0 else list(reversed(builds)):
            (rss1, hwm1), (rss2, hwm2), cpu = run(build, args.phones, args.listings, args.interval)
            print(f"{build}: after the first listing VmRSS {rss1 / 1024:.0f} MB VmHWM {hwm1 / 1024:.0f} MB; "
                  f"after {args.listings} more VmRSS {rss2 / 1024:.0f} MB VmHWM {hwm2 / 1024:.0f} MB; "
                  f"exporter CPU meanwhile (1 s scrapes included) {cpu:.2f} s", flush=True)


if __name__ == "__main__":
    main()
