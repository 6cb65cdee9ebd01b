#!/usr/bin/env python3
"""Checks every Grafana dashboard of the repo: portable (stable uid, __inputs, a datasource
variable used by every panel, nothing that breaks file provisioning), no hard-coded job, only
metric-contract names, every contract metric shown somewhere, a sane layout. Writes every
panel query (variables substituted) as a rule file, so that promtool can check the PromQL.

  dashboards_check.py SOURCE_DIR RULE_FILE_OUT
"""

import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract  # noqa: E402
import panel_queries  # noqa: E402

EXPECTED_UIDS = {"genesys-overview.json": "genesys-overview"}


def panels_of(dash):
    return [p for p in panel_queries._all_panels(dash.get("panels"))]


def check_dashboard(path, metrics, errors, used):
    name = os.path.basename(path)
    err = lambda msg: errors.append(f"{name}: {msg}")  # noqa: E731
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        dash = json.loads(text)
    except (OSError, ValueError) as e:
        err(f"not valid JSON: {e}")
        return

    uid = dash.get("uid")
    if not uid or not re.match(r"^[A-Za-z0-9_-]{1,40}$", str(uid)):
        err(f"uid {uid!r} is missing or not a stable short identifier")
    if name in EXPECTED_UIDS and uid != EXPECTED_UIDS[name]:
        err(f"uid changed from {EXPECTED_UIDS[name]!r} to {uid!r}: links and provisioning depend on it")
    if dash.get("id") is not None:
        err("id must be null so that the dashboard can be imported anywhere")
    if not dash.get("title"):
        err("no title")

    inputs = dash.get("__inputs") or []
    if not any(i.get("type") == "datasource" and i.get("pluginId") == "prometheus" for i in inputs):
        err("__inputs has no Prometheus data source")
    # File provisioning never substitutes __inputs: ${DS_*} anywhere else breaks it.
    body = dict(dash)
    body.pop("__inputs", None)
    if re.search(r"\$\{?DS_", json.dumps(body)):
        err("uses a ${DS_...} input outside __inputs: breaks file provisioning")

    variables = dash.get("templating", {}).get("list", [])
    ds_vars = [v for v in variables if v.get("type") == "datasource" and v.get("query") == "prometheus"]
    if not any(v.get("name") == "datasource" for v in ds_vars):
        err("no Prometheus datasource template variable named `datasource`")
    for v in variables:
        if v.get("type") == "query":
            q = v.get("query")
            q = q.get("query", "") if isinstance(q, dict) else (q or "")
            check_job(q, f"variable {v.get('name')}", err)
            if (v.get("datasource") or {}).get("uid") != "${datasource}":
                err(f"variable {v.get('name')} does not use ${{datasource}}")

    ids = set()
    boxes = []
    for p in panels_of(dash):
        title = p.get("title") or "(untitled)"
        if p.get("id") in ids:
            err(f"panel id {p.get('id')} used twice")
        ids.add(p.get("id"))
        g = p.get("gridPos") or {}
        if not all(k in g for k in ("h", "w", "x", "y")) or g["x"] + g["w"] > 24:
            err(f"panel {title!r}: bad gridPos {g}")
        else:
            boxes.append((title, g))
        if p.get("type") == "row":
            continue
        if not p.get("description"):
            err(f"panel {title!r} has no description")
        if (p.get("datasource") or {}).get("uid") != "${datasource}":
            err(f"panel {title!r} does not use the ${{datasource}} variable")
        targets = p.get("targets") or []
        if not targets:
            err(f"panel {title!r} has no query")
        for t in targets:
            where = f"panel {title!r} query {t.get('refId')}"
            if (t.get("datasource") or {}).get("uid") != "${datasource}":
                err(f"{where} does not use the ${{datasource}} variable")
            expr = t.get("expr") or ""
            if not expr:
                err(f"{where} has no expr")
                continue
            check_job(expr, where, err)
            names = contract.names_in(expr)
            if not any(n.startswith("genesys_") for n in names):
                err(f"{where} uses no genesys_ metric: {expr}")
            bad = contract.unknown_names(names, metrics)
            if bad:
                err(f"{where} uses names outside the metric contract: {', '.join(bad)}")
            used |= names
    for i, (t1, a) in enumerate(boxes):
        for t2, b in boxes[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
                    a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                err(f"panels {t1!r} and {t2!r} overlap")


def check_job(expr, where, err):
    # The only job matcher allowed is the template variable.
    for m in re.finditer(r"\bjob\s*(=~|!~|!=|=)\s*\"([^\"]*)\"", expr):
        if m.group(1) != "=~" or m.group(2) != "$job":
            err(f"{where}: hard-coded job matcher {m.group(0)}")


def main(src, rule_out):
    errors = []
    metrics = contract.load_list(os.path.join(src, "dashboards", "contract-metrics.txt"))
    paths = sorted(glob.glob(os.path.join(src, "dashboards", "*.json")))
    if not paths:
        errors.append("no dashboards/*.json")
    used = set()
    for path in paths:
        check_dashboard(path, metrics, errors, used)

    # Every contract metric appears on some panel.
    shown = set()
    for n in used:
        base = next((n[: -len(s)] for s in contract.HISTOGRAM_SUFFIXES
                     if n.endswith(s) and metrics.get(n[: -len(s)]) == "histogram"), n)
        shown.add(base)
    missing = sorted(set(metrics) - shown)
    if missing:
        errors.append(f"contract metrics shown on no panel: {', '.join(missing)}")

    # Queries with variables substituted, as recording rules for `promtool check rules`.
    qs = panel_queries.queries(paths)
    with open(rule_out, "w", encoding="utf-8") as f:
        f.write("groups:\n  - name: dashboard-queries\n    rules:\n")
        for i, q in enumerate(qs):
            f.write(f"      - record: dashboard:query_{i}:check\n")
            f.write(f"        expr: {json.dumps(q['expr'])}\n")
    for e in errors:
        print(f"dashboards_check: {e}")
    print(f"dashboards_check: {len(paths)} dashboards, {len(qs)} queries, "
          f"{len(shown & set(metrics))}/{len(metrics)} contract metrics shown, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
