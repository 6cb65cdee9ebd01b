#!/usr/bin/env python3
"""The chaos soak (issue 11): the real genesys_sim (random walk on) and the real
genesys_exporter, alerting to a local webhook receiver, under random faults for a bounded time;
then the faults stop and the invariants are checked. See tests/soak/README.md.

  chaos_soak.py [--minutes 10] [--seed N] [--bin build] [--out DIR] [--keep]

Prints the seed first: `--seed N` replays the same plan. Exit status 0 when every invariant
holds, 1 when one fails, 2 when the soak itself could not run.
"""

import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "scripts", "lib"))

import invariants  # noqa: E402
import plan as chaos_plan  # noqa: E402
import processes  # noqa: E402
import timeline as tl  # noqa: E402
import truth_check  # noqa: E402

# The exporter's alerting as the soak configures it; the invariants read the same numbers.
FOR_S = 3                # registration_failure, carrier_degradation, edge_offline
POLL_S = 3               # phones, trunks, trunk metrics, edges (stations 10 s)
EVAL_S, GROUP_WAIT_S, GROUP_INTERVAL_S = 1, 1, 2
SITE_RATIO, SITE_MIN_LINES, QOS_THRESHOLD = 0.4, 10, 2
# How long after a change the exporter may take to see it and hand it to the dispatcher:
# a poll period, an evaluation, the group wait, and a margin for a loaded machine.
SLACK_S = POLL_S + EVAL_S + GROUP_WAIT_S + 4
SAMPLE_S = 0.25          # truth sampling period


def log(t0, msg):
    print(f"soak [{time.time() - t0:7.1f}s] {msg}", flush=True)


def exporter_config(path, spool, ca_bundle, receiver_url, users):
    with open(path, "w") as f:
        f.write(f"""rate_limit: {{requests_per_minute: 240}}
collection:
  qos_mismatch_threshold: {QOS_THRESHOLD}
  users: [{", ".join(users)}]
  intervals: {{phones: {POLL_S}s, stations: 10s, trunks: {POLL_S}s, trunk_metrics: {POLL_S}s, edges: {POLL_S}s, edge_metrics: 5s, jitter: 0}}
tls_probes:
  interval: 5s
  timeout: 2s
  ca_file: {ca_bundle}
alerting:
  evaluation_interval: {EVAL_S}s
  group_wait: {GROUP_WAIT_S}s
  group_interval: {GROUP_INTERVAL_S}s
  repeat_interval: 1h
  group_max_ids: 1000
  blind_after: 30s
  site_unregistered_ratio: {SITE_RATIO}
  site_min_lines: {SITE_MIN_LINES}
  spool_dir: {spool}
  rules:
    registration_failure: {{for: {FOR_S}s}}
    carrier_degradation: {{for: {FOR_S}s}}
    edge_offline: {{for: {FOR_S}s}}
    tls_cert_expiry: {{for: 0s}}
  receivers:
    - name: soak
      url: {receiver_url}/hook
      timeout: 3s
      initial_backoff: 500ms
      max_backoff: 2s
""")


def scenario_with_seed(path, seed):
    """The soak scenario with the soak's seed, so that the random walk varies with it too."""
    with open(os.path.join(HERE, "scenario.yaml")) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("seed: 42", f"seed: {seed % 2**31}"))


class Sampler(threading.Thread):
    """Reads /sim/v1/truth every SAMPLE_S into a Timeline; also watches the exporter (crash,
    readiness, RSS) every other sample."""

    def __init__(self, sim, exporter, tls_endpoints, users, on_crash):
        super().__init__(daemon=True)
        self.sim, self.exporter = sim, exporter
        self.tls, self.users, self.on_crash = tls_endpoints, users, on_crash
        self.timeline = tl.Timeline()
        self.rss = []
        self.errors = []
        self.stop_event = threading.Event()
        self.options = {"site_ratio": SITE_RATIO, "site_min_lines": SITE_MIN_LINES, "qos_threshold": QOS_THRESHOLD}

    def run(self):
        tick = 0
        while not self.stop_event.wait(SAMPLE_S):
            tick += 1
            try:
                truth = self.sim.get("/sim/v1/truth")
                self.timeline.add(time.time(), tl.conditions_from_truth(truth, self.tls, self.users, self.options))
            except Exception as e:  # the sim is not under test here, but say so
                self.errors.append(f"truth sample failed: {e}")
            if tick % 2:
                continue
            crashed = self.exporter.poll()
            if crashed:
                self.on_crash(crashed)
                continue
            life = self.exporter.life
            if life and life["ended"] is None:
                if life["ready"] is None and self.exporter.ready():
                    life["ready"] = time.time()
                kib = self.exporter.rss_kib()
                if kib:
                    self.rss.append((time.time(), life["n"], kib))

    def stop(self):
        self.stop_event.set()
        if self.is_alive():
            self.join(10)


def visible_windows(lives, fault_log, end):
    """{alertname: when the exporter could see its conditions}: from each life's readiness to
    its end, minus the blind windows of the API faults that can hide that alert."""
    up = [(lv["ready"], lv["ended"] or end) for lv in lives if lv["ready"]]
    return {name: tl.subtract(up, [(t, until) for t, _, _, until, hides in fault_log if until and name in hides])
            for name in chaos_plan.ALERTS}


def final_metrics_extra(metrics):
    problems = []
    for name, want in (("genesys_up", 1), ("genesys_notifications_connected", 1), ("genesys_spool_writable", 1)):
        got = truth_check.value(metrics, name)
        if got != want:
            problems.append(f"{name}: {got}, want {want} once the faults stopped")
    # The spool folder is the soak's own, never created beforehand: nothing may be held in
    # memory only, dropped or dead-lettered (counters of the last life).
    for name in ("genesys_webhook_queue_memory_only", "genesys_webhook_spool_dropped_total",
                 "genesys_webhook_dead_letters_total"):
        got = sum(v for _, v in metrics.get(name, []))
        if got:
            problems.append(f"{name}: {got:g}, want 0")
    for c in ("phones", "stations", "trunks", "trunk_metrics", "edges", "edge_metrics", "tls", "notifications"):
        got = truth_check.value(metrics, "genesys_collector_up", collector=c)
        if got != 1:
            problems.append(f"genesys_collector_up{{collector={c}}}: {got}, want 1")
    return problems


def counter_summary(metrics):
    def total(name, **labels):
        return sum(v for lb, v in metrics.get(name, []) if all(lb.get(k) == w for k, w in labels.items()))
    return {
        "webhook_delivered": total("genesys_webhook_notifications_total"),
        "webhook_failed_attempts": total("genesys_webhook_notification_failures_total"),
        "webhook_dead_letters": total("genesys_webhook_dead_letters_total"),
        "webhook_spool_dropped": total("genesys_webhook_spool_dropped_total"),
        "api_retries": total("genesys_api_retries_total"),
        "notification_reconnects": total("genesys_notifications_reconnects_total"),
    }


def run(a, workdir, running):
    t0 = time.time()
    bindir = os.path.abspath(a.bin)
    exporter_cmd = shlex.split(a.exporter) if a.exporter else [os.path.join(bindir, "genesys_exporter")]
    chaos_s = a.minutes * 60
    log(t0, f"seed {a.seed} (replay: tests/soak/chaos_soak.py --minutes {a.minutes:g} --seed {a.seed}); "
            f"{chaos_s:.0f}s of chaos; work dir {workdir}")

    receiver = processes.Receiver(workdir)
    running.append(receiver)
    scenario = os.path.join(workdir, "scenario.yaml")
    scenario_with_seed(scenario, a.seed)
    sim = processes.Simulator(os.path.join(bindir, "genesys_sim"), scenario, workdir)
    running.append(sim)
    tls_info = sim.get("/sim/v1/tls")
    truth = sim.get("/sim/v1/truth")
    users = [u["id"] for u in truth["users"]]
    config = os.path.join(workdir, "exporter.yml")
    # Not created by the soak: the exporter must create its spool directory itself.
    exporter_config(config, os.path.join(workdir, "spool"), tls_info["caBundle"], receiver.url, users)
    env = dict(os.environ, GENESYS_CLIENT_ID="demo-client", GENESYS_CLIENT_SECRET="demo-secret",
               GENESYS_API_URL=sim.url, GENESYS_LOGIN_URL=sim.url)
    check = subprocess.run([*exporter_cmd, "--config.check", f"--config.file={config}"], env=env,
                           capture_output=True, text=True, timeout=60)
    if check.returncode != 0:
        raise RuntimeError(f"the exporter refuses the soak's configuration:\n{check.stdout}{check.stderr}")
    exporter = processes.Exporter(exporter_cmd, config, workdir, env)
    running.append(exporter)
    kills, crashes = [], []

    def on_crash(life):
        crashes.append(life)
        log(t0, f"exporter life #{life['n']} CRASHED: {life['rc_text']}; restarting it")

    sampler = Sampler(sim, exporter, tls_info["endpoints"], users, on_crash)
    running.append(sampler)
    exporter.start()
    log(t0, f"sim {sim.url}, exporter {exporter.url}, receiver {receiver.url}")
    processes.wait_until("exporter ready", 90, exporter.ready, 0.2)
    sampler.start()

    steps = chaos_plan.make_plan(a.seed, chaos_s, kills=not a.no_kill)
    start = time.time()
    chaos = chaos_plan.Chaos(steps, start, sim, receiver, exporter, truth,
                             on_kill=lambda life: (kills.append(life["ended"]),
                                                   log(t0, f"exporter life #{life['n']} stopped ({life['how']})")),
                             on_restart=lambda life: log(t0, f"exporter life #{life['n']} started"))
    log(t0, f"chaos: {len(steps)} planned steps")
    last_report = start
    while time.time() < start + chaos_s:
        if exporter.life["how"] == "crash":
            exporter.start()
        if not sim.alive():
            raise RuntimeError("genesys_sim exited during the soak; see sim.log")
        chaos.run_due(time.time())
        nxt = chaos.next_time() or start + chaos_s
        time.sleep(max(0.0, min(0.5, nxt - time.time(), start + chaos_s - time.time())))
        if time.time() - last_report >= 60:
            last_report = time.time()
            log(t0, f"{len(chaos.log)} steps done; {sampler.timeline.samples} truth samples; "
                    f"{len(exporter.lives)} exporter lives")

    log(t0, "the faults stop")
    if not chaos.stop():
        raise RuntimeError("could not stop the simulator's faults")
    processes.wait_until("exporter ready after the faults", 90, exporter.ready, 0.2)
    problems, attempts = truth_check.wait_metrics_equal_truth(sim.url, exporter.url, users, QOS_THRESHOLD,
                                                              deadline=a.settle, extra=final_metrics_extra)
    metrics_result = invariants.Result("/metrics equals the simulator's truth after the faults stop",
                                       problems, {"attempts": attempts})
    observe_end = time.time()
    log(t0, f"/metrics vs truth: {'equal' if not problems else 'DIFFERENT'} after {attempts} attempts")

    def drained():
        text = exporter.metrics_text()
        if text is None:
            return False
        m = truth_check.parse_exposition(text)
        return sum(v for _, v in m.get("genesys_webhook_queue_length", [])) == 0
    try:
        processes.wait_until("webhook queue drained", a.settle, drained, 0.5)
        drain_problem = None
    except RuntimeError as e:
        drain_problem = str(e)
    # Changes just before observe_end still get their detection slack to reach the receiver.
    time.sleep(SLACK_S + GROUP_INTERVAL_S)
    final = truth_check.parse_exposition(exporter.metrics_text() or "")
    log(t0, "SIGTERM to the exporter")
    exporter.terminate()
    sampler.stop()
    sim.stop()
    receiver.stop()
    if drain_problem:
        metrics_result.problems.append(drain_problem)

    for life in exporter.lives:
        with open(life["log"], errors="replace") as f:
            life["log_lines"] = f.readlines()
    records = [r for r in receiver.records() if r["path"].startswith("/hook")]
    alerts = invariants.hook_alerts(records)
    visible = visible_windows(exporter.lives, chaos.log, observe_end)
    params = {"for_s": {"registration_failure": FOR_S, "carrier_degradation": FOR_S, "edge_offline": FOR_S,
                        "tls_cert_expiry": 0},
              "slack": SLACK_S, "tol": 2 * SAMPLE_S + 1, "lag": 3.0, "group_interval": GROUP_INTERVAL_S,
              "observe_end": observe_end,
              "rss_ceiling_mib": a.rss_ceiling_mib, "judge_memory": not a.no_memory_check, "warmup_s": 30, "growth_min_span_s": 120,
              "growth_abs_mib": 8, "growth_frac": 0.10}
    results = [
        invariants.check_crashes(exporter.lives),
        invariants.check_delivery(sampler.timeline, visible, alerts, params),
        invariants.check_webhook_ids(records, kills),
        invariants.check_false_resolves(sampler.timeline, alerts, exporter.lives, params),
        invariants.check_false_firing(sampler.timeline, visible, alerts, params),
        invariants.check_memory(sampler.rss, params),
        metrics_result,
    ]
    if sampler.errors:
        results.append(invariants.Result("truth sampling", sampler.errors[:5]))

    summary = {
        "seed": a.seed, "chaos_s": chaos_s, "wall_s": round(time.time() - t0),
        "faults": dict(sorted(chaos.counts.items())),
        "exporter_lives": len(exporter.lives), "kills": len(kills), "crashes": len(crashes),
        "truth_samples": sampler.timeline.samples, "max_sample_gap_s": round(sampler.timeline.max_gap, 2),
        "identities_seen": len(sampler.timeline.intervals),
        "visible_s": {n: round(sum(e - s for s, e in w)) for n, w in visible.items()},
        "counters": counter_summary(final),
        "invariants": {r.name: {"ok": r.ok, "stats": r.stats, "problems": r.problems} for r in results},
    }
    with open(os.path.join(workdir, "timeline.json"), "w") as f:
        json.dump({"first_sample": sampler.timeline.first, "intervals": sampler.timeline.intervals,
                   "descriptions": sampler.timeline.descriptions,
                   "chaos": [{"time": t, "kind": kind, "params": params, "blind_until": until, "hides": list(hides)}
                             for t, kind, params, until, hides in chaos.log]}, f, indent=1, sort_keys=True)
    with open(os.path.join(workdir, "report.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
    print("\n== chaos soak report")
    print(f"seed {a.seed}, {chaos_s:.0f}s of chaos, {summary['wall_s']}s in all; "
          f"{len(exporter.lives)} exporter lives ({len(kills)} restarts by kill -9 or SIGTERM, {len(crashes)} crashes)")
    print("faults and incidents: " + ", ".join(f"{k} {v}" for k, v in summary["faults"].items()))
    print(f"truth: {summary['truth_samples']} samples (longest gap {summary['max_sample_gap_s']}s), "
          f"{summary['identities_seen']} alert identities; seconds visible to the exporter: "
          + ", ".join(f"{n} {s}" for n, s in summary["visible_s"].items()))
    print("exporter counters (its last life): " + ", ".join(f"{k} {v:g}" for k, v in summary["counters"].items()))
    for r in results:
        print(f"{'PASS' if r.ok else 'FAIL'} {r.name}: " + ", ".join(f"{k} {v}" for k, v in r.stats.items()))
        for p in r.problems[: a.show]:
            print(f"     - {p}")
        if len(r.problems) > a.show:
            print(f"     ... and {len(r.problems) - a.show} more (report.json)")
    failed = [r for r in results if not r.ok]
    print(f"chaos soak: {'FAILED' if failed else 'OK'} (seed {a.seed}; report {workdir}/report.json)")
    return 1 if failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=10, help="how long the faults go on (default 10)")
    p.add_argument("--seed", type=int, default=None, help="the plan's seed (default: random, printed)")
    p.add_argument("--bin", default=os.environ.get("GX_BUILD_DIR", os.path.join(SRC, "build")),
                   help="directory with genesys_exporter and genesys_sim")
    p.add_argument("--exporter", default="", help="exporter command instead of BIN/genesys_exporter "
                                                  "(e.g. a sanitizer build)")
    p.add_argument("--out", default="", help="work directory (default: a new one under /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the work directory even when the soak passes")
    p.add_argument("--no-kill", action="store_true", help="no restart (kill -9 or SIGTERM) of the exporter")
    p.add_argument("--rss-ceiling-mib", type=float, default=256)
    p.add_argument("--no-memory-check", action="store_true",
                   help="report RSS but do not judge it (sanitizer builds: ASan keeps freed memory in quarantine)")
    p.add_argument("--settle", type=float, default=120, help="deadline for /metrics to equal the truth")
    p.add_argument("--show", type=int, default=8, help="problems printed per invariant")
    a = p.parse_args()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1, 2**31)
    workdir = a.out or tempfile.mkdtemp(prefix="gx-soak.")
    os.makedirs(workdir, exist_ok=True)
    running = []
    try:
        rc = run(a, workdir, running)
    except Exception:
        traceback.print_exc()
        print(f"chaos soak: could not run (seed {a.seed}); work dir kept: {workdir}")
        return 2
    finally:
        for thing in reversed(running):  # whatever an error left behind
            if isinstance(thing, processes.Exporter):
                if thing.alive():
                    thing.kill9()
            else:
                thing.stop()
    if rc == 0 and not a.keep and not a.out:
        shutil.rmtree(workdir, ignore_errors=True)
        print("work dir removed (--keep keeps it)")
    elif rc:
        print(f"work dir kept: {workdir}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
