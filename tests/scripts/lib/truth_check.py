#!/usr/bin/env python3
"""The simulator's truth as the exporter should show it: the metric values and the alert
conditions that /sim/v1/truth implies, and the differences from a /metrics body.

  truth_check.py metrics SIM_URL EXPORTER_URL [--qos-threshold N] [--deadline S]
      Polls until the exporter's /metrics equals the simulator's truth (read before and after
      the scrape, and unchanged in between) or the deadline passes; prints the differences.

As a module (tests/soak): parse_exposition, trunk_health, alert_conditions, metric_mismatches.
The same comparison as tests/integration/poll_cycle_test.cpp (ExpectMetricsEqualTruth), for
running binaries.
"""

import argparse
import json
import re
import sys
import time
import urllib.request

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def _unescape(v):
    return v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def parse_exposition(text):
    """{name: [(labels dict, value)]} for every sample of a Prometheus text exposition."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise ValueError(f"not an exposition line: {line!r}")
        labels = {k: _unescape(v) for k, v in _LABEL.findall(m.group(2) or "")}
        out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
    return out


def value(metrics, name, **labels):
    """The value of the one series of `name` whose labels include `labels`; None if none."""
    for have, v in metrics.get(name, []):
        if all(have.get(k) == want for k, want in labels.items()):
            return v
    return None


def trunk_health(trunk, qos_threshold=0):
    """Carrier health as the metric contract defines it, from a truth trunk."""
    if not trunk["connected"] or not trunk["inService"]:
        return "down"
    states = []
    for p in trunk["proxies"]:
        if trunk["optionsEnabled"]:
            states.append(p["optionsUp"])
        if trunk["registersEnabled"]:
            states.append(p["registerUp"])
    if states and not any(states):
        return "down"
    if not all(states) or trunk["qosMismatches"] > qos_threshold:
        return "degraded"
    return "up"


def alert_conditions(truth, tls_endpoints, users, site_ratio=0.2, site_min_lines=10, qos_threshold=0):
    """The exporter alerts the truth implies, {identity: description}. An identity is the
    alertname plus the labels that name the entity (the exporter's label set minus labels
    derived from other entities, such as a user's site). `users` are the followed user ids;
    `tls_endpoints` is /sim/v1/tls's list. monitoring_blind is about the exporter, not the org,
    so it is not here."""
    out = {}
    followed = set(users)
    for u in truth["users"]:
        if u["id"] in followed and not u["registered"]:
            out[identity("registration_failure", scope="user", user_id=u["id"])] = f"user {u['name']} unregistered"
    for s in truth["sites"]:
        if s["lines"] <= 0 or s["lines"] < site_min_lines:
            continue
        ratio = 1 - s["linesReachable"] / s["lines"]
        if ratio > site_ratio:
            out[identity("registration_failure", scope="site", site=s["name"])] = \
                f"site {s['name']}: {s['lines'] - s['linesReachable']}/{s['lines']} lines unregistered"
    for t in truth["trunks"]:
        if t["trunkType"] != "EXTERNAL":
            continue
        h = trunk_health(t, qos_threshold)
        if h != "up":
            out[identity("carrier_degradation", trunk_id=t["id"])] = f"trunk {t['name']} {h}"
    for e in truth["edges"]:
        if not e["online"]:
            out[identity("edge_offline", edge_id=e["id"])] = f"edge {e['name']} offline"
    # The listeners' certificates do not change: valid verifies and expires in a year, the
    # others fail verification or expire within tls_critical (7 days by default).
    for ep in tls_endpoints:
        if ep["name"] != "valid":
            out[identity("tls_cert_expiry", target=ep["address"])] = f"TLS {ep['name']} certificate"
    return out


IDENTITY_LABELS = {
    "registration_failure": ("scope", "user_id", "phone_id", "site"),
    "carrier_degradation": ("trunk_id",),
    "edge_offline": ("edge_id",),
    "tls_cert_expiry": ("target",),
    "monitoring_blind": ("source",),
}


def identity(alertname, **labels):
    return alertname + "{" + ",".join(f"{k}={labels[k]}" for k in sorted(labels)) + "}"


def alert_identity(labels):
    """The identity of an alert as the exporter labels it (see alert_conditions)."""
    name = labels.get("alertname", "")
    keep = IDENTITY_LABELS.get(name, ())
    picked = {k: labels[k] for k in keep if k in labels}
    if name == "registration_failure" and picked.get("scope") in ("user", "phone"):
        picked.pop("site", None)  # derived from the phone, not part of what failed
    return identity(name, **picked)


def metric_mismatches(metrics, truth, users=(), qos_threshold=0):
    """Where the exporter's metrics (parse_exposition) differ from the truth, as sentences."""
    bad = []

    def expect(name, want, **labels):
        got = value(metrics, name, **labels)
        if got != want:
            bad.append(f"{name}{labels}: exporter {got}, simulator {want}")

    for s in truth["sites"]:
        for status, count in s["phonesByStatus"].items():
            expect("genesys_phones", count, site=s["name"], status=status)
        expect("genesys_phone_lines", s["lines"], site=s["name"])
        expect("genesys_phone_lines_reachable", s["linesReachable"], site=s["name"])
    for t in truth["trunks"]:
        expect("genesys_trunk_connected", 1 if t["connected"] else 0, trunk_id=t["id"])
        if t["trunkType"] != "EXTERNAL":
            continue
        want = trunk_health(t, qos_threshold)
        for state in ("up", "degraded", "down"):
            expect("genesys_trunk_health", 1 if want == state else 0, trunk_id=t["id"], state=state)
        expect("genesys_trunk_calls", t["inboundCalls"], trunk_id=t["id"], direction="inbound")
        expect("genesys_trunk_calls", t["outboundCalls"], trunk_id=t["id"], direction="outbound")
        expect("genesys_trunk_qos_mismatches", t["qosMismatches"], trunk_id=t["id"])
        if t["optionsEnabled"]:
            for p in t["proxies"]:
                expect("genesys_trunk_options_up", 1 if p["optionsUp"] else 0, trunk_id=t["id"], proxy=p["address"])
    for e in truth["edges"]:
        expect("genesys_edge_online", 1 if e["online"] else 0, edge_id=e["id"])
    followed = set(users)
    for u in truth["users"]:
        if u["id"] in followed:
            expect("genesys_user_registered", 1 if u["registered"] else 0, user_id=u["id"])
    return bad


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def get_text(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def truth_without_requests(sim):
    t = get_json(sim + "/sim/v1/truth")
    t.pop("requests", None)  # the request counters move with every scrape of the API
    return t


def wait_metrics_equal_truth(sim, exporter, users, qos_threshold=0, deadline=60.0, extra=None):
    """Polls until the exporter's /metrics equals a truth that did not change while it was
    scraped. Returns (problems of the last attempt, attempts). `extra(metrics)` may add problems."""
    end = time.monotonic() + deadline
    attempts = 0
    while True:
        attempts += 1
        before = truth_without_requests(sim)
        metrics = parse_exposition(get_text(exporter + "/metrics"))
        after = truth_without_requests(sim)
        if before == after:
            problems = metric_mismatches(metrics, after, users, qos_threshold)
            if extra:
                problems += extra(metrics)
        else:
            problems = ["the simulator's truth changed during the scrape"]
        if not problems or time.monotonic() > end:
            return problems, attempts
        time.sleep(0.5)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("metrics")
    m.add_argument("sim")
    m.add_argument("exporter")
    m.add_argument("--qos-threshold", type=int, default=0)
    m.add_argument("--deadline", type=float, default=60)
    a = p.parse_args()
    sim, exporter = a.sim.rstrip("/"), a.exporter.rstrip("/")
    users = [u["id"] for u in get_json(sim + "/sim/v1/truth")["users"]]
    problems, attempts = wait_metrics_equal_truth(sim, exporter, users, a.qos_threshold, a.deadline)
    for line in problems:
        print("truth_check: FAIL", line)
    print(f"truth_check: /metrics {'differs from' if problems else 'equals'} the simulator's truth "
          f"({attempts} attempts)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
