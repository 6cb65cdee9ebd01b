#!/usr/bin/env python3
"""Assertions against a running Prometheus and Alertmanager, each polled until it holds or a
deadline passes (never a fixed sleep).

  live_check.py panels   PROM_URL [--deadline S]     every dashboard query returns data
  live_check.py records  PROM_URL RULES... [--deadline S]  every recording rule has a series
  live_check.py rules    PROM_URL                    every rule group loaded, no evaluation error
  live_check.py firing   PROM_URL AM_URL RULES... [--deadline S]
                                                     every alert of the rule files fires in
                                                     Prometheus and reaches Alertmanager
  live_check.py resolved PROM_URL AM_URL [--deadline S]
                                                     no alert left in Prometheus or Alertmanager
"""

import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import panel_queries  # noqa: E402


def get(url, params=None):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def poll(deadline, check):
    """Calls check() until it returns an empty list of problems or the deadline passes."""
    end = time.monotonic() + deadline
    while True:
        problems = check()
        if not problems or time.monotonic() > end:
            return problems
        time.sleep(0.5)


def query(prom, expr):
    r = get(prom + "/api/v1/query", {"query": expr})
    if r.get("status") != "success":
        raise RuntimeError(f"query failed: {expr}: {r}")
    return r["data"]["result"]


def alert_names(paths):
    import yaml
    names = set()
    for p in paths:
        for g in yaml.safe_load(open(p))["groups"]:
            names |= {r["alert"] for r in g["rules"] if "alert" in r}
    return names


def record_names(paths):
    import yaml
    names = set()
    for p in paths:
        for g in yaml.safe_load(open(p))["groups"]:
            names |= {r["record"] for r in g["rules"] if "record" in r}
    return names


def cmd_panels(a):
    qs = panel_queries.queries(rate_interval="1m", rng="1h")

    def check():
        return [f"{q['panel']} / {q['ref_id']}: no data for {q['expr']}"
                for q in qs if not query(a.prom, q["expr"])]
    problems = poll(a.deadline, check)
    for p in problems:
        print("live_check:", p)
    print(f"live_check: {len(qs) - len(problems)}/{len(qs)} panel queries return data")
    return 1 if problems else 0


def cmd_records(a):
    names = sorted(record_names(a.rules))

    def check():
        return [n for n in names if not query(a.prom, n)]
    problems = poll(a.deadline, check)
    for p in problems:
        print("live_check: no series for recording rule", p)
    print(f"live_check: {len(names) - len(problems)}/{len(names)} recording rules have series")
    return 1 if problems else 0


def cmd_rules(a):
    groups = get(a.prom + "/api/v1/rules")["data"]["groups"]
    problems = []
    count = 0
    for g in groups:
        for r in g["rules"]:
            count += 1
            if r.get("health") != "ok":
                problems.append(f"{r['name']}: {r.get('health')} {r.get('lastError', '')}")
    for p in problems:
        print("live_check: rule evaluation:", p)
    print(f"live_check: {count} rules loaded, {len(problems)} with errors")
    return 1 if problems or count == 0 else 0


def active(prom, am):
    in_prom = get(prom + "/api/v1/alerts")["data"]["alerts"]
    in_am = get(am + "/api/v2/alerts")
    return in_prom, in_am


def cmd_firing(a):
    want = alert_names(a.rules)

    def check():
        in_prom, in_am = active(a.prom, a.am)
        firing = {x["labels"]["alertname"] for x in in_prom if x["state"] == "firing"}
        received = {x["labels"]["alertname"] for x in in_am}
        return [f"{n} not firing in Prometheus" for n in sorted(want - firing)] + \
               [f"{n} not received by Alertmanager" for n in sorted(want - received)]
    problems = poll(a.deadline, check)
    for p in problems:
        print("live_check:", p)
    print(f"live_check: {len(want)} alerts expected to fire, {len(problems)} problems")
    return 1 if problems else 0


def cmd_resolved(a):
    def check():
        in_prom, in_am = active(a.prom, a.am)
        return [f"still {x['state']} in Prometheus: {x['labels']}" for x in in_prom] + \
               [f"still active in Alertmanager: {x['labels']}" for x in in_am]
    problems = poll(a.deadline, check)
    for p in problems:
        print("live_check:", p)
    print(f"live_check: {len(problems)} alerts not resolved")
    return 1 if problems else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=("panels", "records", "rules", "firing", "resolved"))
    p.add_argument("prom")
    p.add_argument("rest", nargs="*")
    p.add_argument("--deadline", type=float, default=60)
    a = p.parse_args()
    if a.command in ("firing", "resolved"):
        a.am, a.rules = a.rest[0], a.rest[1:]
    else:
        a.rules = a.rest
    return {"panels": cmd_panels, "records": cmd_records, "rules": cmd_rules,
            "firing": cmd_firing, "resolved": cmd_resolved}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
