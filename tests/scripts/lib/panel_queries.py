#!/usr/bin/env python3
"""Every Prometheus query of the Grafana dashboards, ready to send to Prometheus.

Template variables are replaced the way Grafana would with "All" selected: a variable whose
allValue is a regex (".*") becomes that regex, so `job=~"$job"` matches everything. Grafana's
built-in intervals become fixed durations ($__rate_interval -> 1m by default).

  panel_queries.py [--var job=genesys] [--rate-interval 1m] [--range 1h] [--format jsonl|text]
                   [DASHBOARD.json ...]            (default: dashboards/*.json of the repo)

jsonl output, one object per query:
  {"dashboard": uid, "panel": title, "panel_id": n, "ref_id": "A", "expr": "...",
   "instant": true|false, "may_be_empty": true|false}

may_be_empty marks targets that legitimately return nothing in a healthy org (no 429 yet, no
REGISTER trunk...): the dashboard JSON flags them with "gxMayBeEmpty": true. An end-to-end test
should require data from every other query.

As a module: queries(paths, variables=None, rate_interval="1m", interval="1m", rng="1h").
"""

import argparse
import glob
import json
import os
import re
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _all_panels(panels):
    for p in panels or []:
        yield p
        # Collapsed rows keep their panels inside.
        yield from _all_panels(p.get("panels"))


def variable_defaults(dashboard):
    """{name: value} for the dashboard's template variables, as if "All" were selected."""
    out = {}
    for v in dashboard.get("templating", {}).get("list", []):
        name = v.get("name")
        if not name:
            continue
        if v.get("type") == "datasource":
            continue
        if v.get("includeAll"):
            out[name] = v.get("allValue") or ".*"
        else:
            cur = v.get("current", {}).get("value")
            out[name] = cur[0] if isinstance(cur, list) and cur else (cur or ".*")
    return out


def substitute(expr, variables, rate_interval="1m", interval="1m", rng="1h"):
    builtins = {
        "__rate_interval": rate_interval,
        "__interval": interval,
        "__range": rng,
        "__range_s": str(_seconds(rng)),
        "__range_ms": str(_seconds(rng) * 1000),
        "__interval_ms": str(_seconds(interval) * 1000),
    }

    def value(name):
        if name in builtins:
            return builtins[name]
        if name in variables:
            return variables[name]
        raise KeyError(f"unknown template variable ${name} in: {expr}")

    expr = re.sub(r"\$\{(\w+)(?::[^}]*)?\}", lambda m: value(m.group(1)), expr)
    expr = re.sub(r"\[\[(\w+)(?::[^\]]*)?\]\]", lambda m: value(m.group(1)), expr)
    expr = re.sub(r"\$(\w+)", lambda m: value(m.group(1)), expr)
    return expr


def _seconds(duration):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    total = sum(int(n) * units[u] for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w)", duration))
    return int(total)


def queries(paths=None, variables=None, rate_interval="1m", interval="1m", rng="1h"):
    paths = paths or sorted(glob.glob(os.path.join(REPO, "dashboards", "*.json")))
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
        vars_ = variable_defaults(dash)
        vars_.update(variables or {})
        for panel in _all_panels(dash.get("panels")):
            for t in panel.get("targets", []) or []:
                expr = t.get("expr")
                if not expr or t.get("hide"):
                    continue
                out.append({
                    "dashboard": dash.get("uid"),
                    "panel": panel.get("title", ""),
                    "panel_id": panel.get("id"),
                    "ref_id": t.get("refId", ""),
                    "expr": substitute(expr, vars_, rate_interval, interval, rng),
                    "raw_expr": expr,
                    "instant": bool(t.get("instant")) and not t.get("range"),
                    "may_be_empty": bool(t.get("gxMayBeEmpty")),
                })
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--rate-interval", default="1m")
    p.add_argument("--interval", default="1m")
    p.add_argument("--range", default="1h", dest="rng")
    p.add_argument("--format", choices=("jsonl", "text"), default="jsonl")
    p.add_argument("dashboards", nargs="*")
    a = p.parse_args()
    variables = dict(v.split("=", 1) for v in a.var)
    for q in queries(a.dashboards, variables, a.rate_interval, a.interval, a.rng):
        if a.format == "jsonl":
            q = dict(q)
            del q["raw_expr"]
            print(json.dumps(q, ensure_ascii=False))
        else:
            flag = " (may be empty)" if q["may_be_empty"] else ""
            print(f"# {q['dashboard']} / {q['panel']} / {q['ref_id']}{flag}\n{q['expr']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
