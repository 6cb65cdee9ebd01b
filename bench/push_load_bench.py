#!/usr/bin/env python3
"""Push load on the shipped binaries (issue 13).

Starts genesys_sim --scenario large (50,000 phones) and genesys_exporter with per-phone series
and per-phone alerts on and the push stream on; once the exporter is ready and subscribed, it
pushes RATE phone line flips per second for SECONDS seconds on phones the topic plan covers (the
first ones by id): by default the simulator makes them itself, evenly spaced
(POST /sim/v1/load/phone_lines), or with --generator http this script POSTs /sim/v1/mutations per
flip. Meanwhile another thread scrapes /metrics back to back and the alert engine evaluates every
change. Windows of SECONDS each: idle, scrapes alone (their CPU per scrape), pushes alone, pushes
with scrapes. For each it prints:
  - event -> visible in the published snapshot: p50 / p99 / max from the exporter's own
    genesys_notifications_apply_delay_seconds histogram (bucket upper bounds);
  - exporter CPU per pushed event: the sum over /proc/PID/task/*/schedstat (every thread: I/O,
    applier, alerts, topic planner, pollers, scrapes) over the window, divided by the pushed
    events the exporter counted (genesys_notifications_events_total) in it, and the same without
    the scrapes' share as measured in the scrapes-only window;
  - missed heartbeats (reconnects with reason heartbeat_timeout), queue overflows, resyncs.

  bench/push_load_bench.py [--rate 1000] [--seconds 30] [--generator sim|http] [--windows ...]
                           [--exporter PATH] [--sim PATH]

Binaries default to $GX_BUILD_DIR (or build/). Everything listens on 127.0.0.1.
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

from bench_common import read_port, stop_all, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def get(port, path, timeout=60):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def samples(text, name):
    """(labels, value) of every sample of `name`."""
    out = []
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        m = SAMPLE.match(line)
        if m and m.group(1) == name:
            out.append((m.group(2) or "", float(m.group(3))))
    return out


def total(text, name, label_filter=""):
    return sum(v for labels, v in samples(text, name) if label_filter in labels)


def buckets(text):
    out = []
    for labels, v in samples(text, "genesys_notifications_apply_delay_seconds_bucket"):
        le = re.search(r'le="([^"]+)"', labels).group(1)
        out.append((float("inf") if le == "+Inf" else float(le), v))
    return sorted(out)


def quantile(before, after, q):
    """The upper bound of the bucket holding quantile q of the observations between the two."""
    delta = [(le, a - b) for (le, a), (_, b) in zip(after, before)]
    n = delta[-1][1] if delta else 0
    if n <= 0:
        return None, 0
    for le, c in delta:
        if c >= q * n:
            return le, n
    return float("inf"), n


def cpu_ns(pid):
    ns = 0
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(f) as fh:
                ns += int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return ns


def fmt_s(v):
    if v is None:
        return "-"
    if v == float("inf"):
        return "> 1 s"
    return f"<= {v * 1000:g} ms"


def main():
    ap = argparse.ArgumentParser()
    build = os.environ.get("GX_BUILD_DIR", os.path.join(ROOT, "build"))
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--exporter", default=os.path.join(build, "genesys_exporter"))
    ap.add_argument("--sim", default=os.path.join(build, "genesys_sim"))
    ap.add_argument("--targets", type=int, default=5000, help="distinct phones flipped")
    ap.add_argument("--generator", choices=("sim", "http"), default="sim",
                    help="sim: the simulator changes the lines itself (POST /sim/v1/load/phone_lines), evenly "
                         "spaced; http: this script POSTs one mutation per change (its own CPU and loopback "
                         "traffic then share the machine with the exporter)")
    ap.add_argument("--windows", default="idle,scrapes,pushes,both",
                    help="which windows to run, in this order: idle (neither: the polling's own CPU), scrapes, "
                         "pushes, both")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="push_load.")
    procs = []
    try:
        sim_log = open(os.path.join(work, "sim.log"), "w")
        procs.append(subprocess.Popen([args.sim, "--scenario", "large", "--listen", "127.0.0.1:0", "--port-file",
                                       os.path.join(work, "sim.port"), "--log.level", "warn"],
                                      stdout=sim_log, stderr=subprocess.STDOUT))
        sim_port = read_port(os.path.join(work, "sim.port"))
        sim = f"http://127.0.0.1:{sim_port}"
        with open(os.path.join(work, "exporter.yml"), "w") as f:
            f.write(f"""rate_limit: {{requests_per_minute: 100000}}
collection:
  per_phone: true
tls_probes:
  enabled: false
alerting:
  per_phone: true
  spool_dir: {work}/spool
""")
        env = dict(os.environ, GENESYS_CLIENT_ID="demo-client", GENESYS_CLIENT_SECRET="demo-secret",
                   GENESYS_API_URL=sim, GENESYS_LOGIN_URL=sim)
        exp_log = open(os.path.join(work, "exporter.log"), "w")
        exporter = subprocess.Popen([args.exporter, f"--config.file={work}/exporter.yml",
                                     "--web.listen-address=127.0.0.1:0", f"--web.port-file={work}/exporter.port"],
                                    env=env, stdout=exp_log, stderr=subprocess.STDOUT)
        procs.append(exporter)
        port = read_port(os.path.join(work, "exporter.port"), 60)

        wait_until("/-/ready", 900, lambda: get(port, "/-/ready")[0] == 200)
        metrics = lambda: get(port, "/metrics", 120)[1].decode()
        wait_until("a subscribed push stream", 300,
                 lambda: (lambda m: total(m, "genesys_notifications_connected") == 1 and
                          total(m, "genesys_notifications_subscribed_topics") > 10000)(metrics()))
        text = metrics()
        phones = sorted({re.search(r'phone_id="([^"]+)"', l).group(1)
                         for l, _ in samples(text, "genesys_phone_registered") if "phone_id=" in l})
        # The topic plan covers phones in id order after trunks, edges and the followed users.
        targets = phones[:args.targets]
        print(f"ready (exporter pid {exporter.pid}): {len(phones)} phones with series, {int(total(text, 'genesys_notifications_subscribed_topics'))}"
              f" topics; flipping line 0 of {len(targets)} phones at {args.rate:g}/s for {args.seconds:g} s",
              flush=True)
        time.sleep(10)  # let the first evaluation and the first scrapes settle

        def sim_call(method, path, body=None, want=200):
            c = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
            c.request(method, path, json.dumps(body) if body is not None else None,
                      {"Content-Type": "application/json"})
            r = c.getresponse()
            data = r.read()
            if r.status != want:
                raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
            return json.loads(data)

        def window(push, scrape):
            stop = threading.Event()
            sent = [0, 0]  # ok, failed
            scrapes = []

            def pusher(offset, step):
                c = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
                start = time.monotonic()
                i = offset
                while not stop.is_set():
                    due = start + i / args.rate
                    now = time.monotonic()
                    if due > now:
                        time.sleep(due - now)
                    phone = targets[i % len(targets)]
                    up = flipped.get(phone, True)
                    flipped[phone] = not up
                    body = json.dumps({"action": "phone_line", "target": phone, "line": 0, "reachable": not up})
                    try:
                        c.request("POST", "/sim/v1/mutations", body, {"Content-Type": "application/json"})
                        r = c.getresponse()
                        r.read()
                        sent[0 if r.status == 200 else 1] += 1
                    except OSError:
                        sent[1] += 1
                        c = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
                    i += step

            def scraper():
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                while not stop.is_set():
                    t = time.monotonic()
                    c.request("GET", "/metrics")
                    r = c.getresponse()
                    n = len(r.read())
                    scrapes.append((time.monotonic() - t, n))

            before = metrics()
            cpu0, t0 = cpu_ns(exporter.pid), time.monotonic()
            by_http = push and args.generator == "http"
            threads = ([threading.Thread(target=pusher, args=(k, 2)) for k in range(2)] if by_http else []) + (
                [threading.Thread(target=scraper)] if scrape else [])
            if push and not by_http:
                sim_call("POST", "/sim/v1/load/phone_lines",
                         {"rate": args.rate, "seconds": args.seconds, "phones": len(targets)}, 202)
            for t in threads:
                t.start()
            time.sleep(args.seconds)
            stop.set()
            for t in threads:
                t.join()
            if push and not by_http:
                wait_until("the simulator's load to finish", 30,
                           lambda: not sim_call("GET", "/sim/v1/load/phone_lines")["running"])
                load = sim_call("GET", "/sim/v1/load/phone_lines")
                sent[0], sent[1] = load["sent"], load["failed"]
                print(f"  the simulator's load: {load['lateOver1ms']} changes more than 1 ms after their due time, "
                      f"the latest {load['lateMaxMicros'] / 1000:.1f} ms", flush=True)
            time.sleep(1)  # let the applier drain what is in flight
            cpu1, t1 = cpu_ns(exporter.pid), time.monotonic()
            after = metrics()
            d = lambda name, f="": total(after, name, f) - total(before, name, f)
            b0, b1 = buckets(before), buckets(after)
            return {
                "sent": sent, "scrapes": scrapes, "cpu_ms": (cpu1 - cpu0) / 1e6, "wall": t1 - t0,
                "events": d("genesys_notifications_events_total"),
                "p50": quantile(b0, b1, 0.50), "p99": quantile(b0, b1, 0.99), "max": quantile(b0, b1, 1.0),
                "buckets": [(le, a - b) for (le, a), (_, b) in zip(b1, b0)],
                "heartbeats": d("genesys_notifications_reconnects_total", 'reason="heartbeat_timeout"'),
                "reconnects": d("genesys_notifications_reconnects_total"),
                "overflows": d("genesys_notifications_queue_overflows_total"),
                "resyncs": d("genesys_notifications_resyncs_total"),
            }

        flipped = {}
        # Idle and scrapes alone first, so that the polling's and the scrapes' CPU can be told apart
        # from the events'.
        results = {}
        chosen = args.windows.split(",")
        for key, name, push, scrape in (("idle", "idle", False, False), ("scrapes", "scrapes only", False, True),
                                        ("pushes", "pushes only", True, False), ("both", "pushes + scrapes", True, True)):
            if key in chosen:
                print(f"window: {name}, {args.seconds:g} s", flush=True)
                results[name] = window(push, scrape)
        background = results["idle"]["cpu_ms"] / results["idle"]["wall"] if "idle" in results else None
        if background is not None:
            print(f"\nidle: {background:.1f} ms exporter CPU per second (polling, timers, the random walk's "
                  f"{results['idle']['events']:.0f} events)")
        idle = results.get("scrapes only")
        per_scrape = idle["cpu_ms"] / max(len(idle["scrapes"]), 1) if idle else 0.0
        # A scrape's own CPU, less the background the idle window measured.
        per_scrape_net = ((idle["cpu_ms"] - (background or 0.0) * idle["wall"]) / max(len(idle["scrapes"]), 1)
                          if idle else 0.0)
        if idle:
            print(f"\nscrapes only: {len(idle['scrapes'])} scrapes, {per_scrape:.1f} ms exporter CPU per scrape "
                  f"(incl. the random walk's own {idle['events']:.0f} events)")
        for name in ("pushes only", "pushes + scrapes"):
            if name not in results:
                continue
            r = results[name]
            ev = max(r["events"], 1)
            scrape_cpu = per_scrape * len(r["scrapes"])
            print(f"\n{name}:")
            print(f"  mutations sent: {r['sent'][0]} ok, {r['sent'][1]} failed ({r['sent'][0] / args.seconds:.0f}/s); "
                  f"pushed events counted by the exporter: {r['events']:.0f}; apply-delay observations: {r['p50'][1]:.0f}")
            print(f"  event -> published snapshot: p50 {fmt_s(r['p50'][0])}, p99 {fmt_s(r['p99'][0])}, "
                  f"max in bucket {fmt_s(r['max'][0])}")
            print(f"  exporter CPU: {r['cpu_ms']:.0f} ms in {r['wall']:.1f} s = {r['cpu_ms'] * 1000 / ev:.1f} us per event"
                  + (f"; without the scrapes' share ({len(r['scrapes'])} x {per_scrape:.1f} ms): "
                     f"{(r['cpu_ms'] - scrape_cpu) * 1000 / ev:.1f} us per event" if r["scrapes"] and idle else ""))
            if background is not None:
                marginal = r["cpu_ms"] - background * r["wall"] - per_scrape_net * len(r["scrapes"])
                print(f"  marginal CPU per event (less the idle window's {background:.1f} ms/s"
                      + (" and the scrapes' share" if r["scrapes"] and idle else "") + f"): {marginal * 1000 / ev:.1f} us")
            if r["scrapes"]:
                wall = sorted(x * 1000 for x, _ in r["scrapes"])
                print(f"  /metrics back to back: {len(wall)} scrapes of {r['scrapes'][-1][1] / 1e6:.1f} MB, "
                      f"wall p50 {wall[len(wall) // 2]:.0f} ms")
            print(f"  missed heartbeats (heartbeat_timeout reconnects): {r['heartbeats']:.0f}; reconnects "
                  f"{r['reconnects']:.0f}; queue overflows {r['overflows']:.0f}; resyncs {r['resyncs']:.0f}")
            print("  apply delay (le: events, cumulative): " + ", ".join(
                f"{'+Inf' if le == float('inf') else f'{le * 1000:g}ms'}: {c:.0f}" for le, c in r["buckets"]))
    finally:
        stop_all(procs, 20)
        if os.environ.get("GX_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
