#!/usr/bin/env python3
"""The metric contract as data, and the metric names a PromQL expression uses.

  contract.py extract CONTRACT.md        print "name type" lines (the vendored list)
  contract.py check LIST [--documented METRICS.md] RULE_FILE...
                                         every raw metric in every expr is in LIST (or in a table
                                         of METRICS.md: the exporter's own documented metrics), and
                                         every recorded name used is defined in the rule files
"""

import re
import sys

# Histogram series have these suffixes on top of the family name.
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
PROCESS_TYPES = {"process_cpu_seconds_total": "counter"}

_ROW = re.compile(r"^\|\s*(`[^|]*)\|\s*([^|]*)\|")
_NAME = re.compile(r"`([a-z_][a-z0-9_]*)`")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_BRACES = re.compile(r"\{[^{}]*\}")
# A raw metric (genesys_*, process_*) or a recorded series (level:metric:operations).
_USED = re.compile(r"(?<![\w:$])((?:genesys|process)_[A-Za-z0-9_]*|[A-Za-z_]\w*:[A-Za-z0-9_:]+)(?![\w:(])")


def parse_contract(text):
    """Returns {name: type} for every metric named in the first column of a contract table."""
    metrics = {}
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if not row:
            continue
        names = _NAME.findall(row.group(1))
        kind = row.group(2).strip()
        for name in names:
            if not (name.startswith("genesys_") or name.startswith("process_")):
                continue
            if not kind:
                kind_for = PROCESS_TYPES.get(name, "gauge")
            else:
                kind_for = kind
            metrics[name] = kind_for
    return metrics


def load_list(path):
    metrics = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                name, kind = line.split()
                metrics[name] = kind
    return metrics


def format_list(metrics):
    lines = ["# Generated from docs/metrics-contract.md by tests/scripts/lib/contract.py extract.",
             "# name type"]
    lines += [f"{n} {t}" for n, t in sorted(metrics.items())]
    return "\n".join(lines) + "\n"


def names_in(expr):
    """Metric names an expression selects (string literals and label matchers removed)."""
    expr = _STRING.sub('""', expr)
    expr = re.sub(r"#[^\n]*", "", expr)
    expr = _BRACES.sub("{}", expr)
    return set(_USED.findall(expr))


def unknown_names(names, metrics, recorded=()):
    """The names that are neither contract metrics (with histogram suffixes) nor recorded."""
    bad = []
    for name in sorted(names):
        if ":" in name:
            if name not in recorded:
                bad.append(name)
            continue
        if name in metrics:
            continue
        base = next((name[: -len(s)] for s in HISTOGRAM_SUFFIXES if name.endswith(s)), None)
        if base and metrics.get(base) == "histogram":
            continue
        bad.append(name)
    return bad


def rule_exprs(path):
    """(name, expr) for every rule of a Prometheus rule file."""
    import yaml  # python3-yaml comes with docker-compose on Debian
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    out = []
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            out.append((rule.get("alert") or rule.get("record"), rule["expr"], rule.get("record")))
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == "extract":
        with open(argv[2], encoding="utf-8") as f:
            sys.stdout.write(format_list(parse_contract(f.read())))
        return 0
    if len(argv) >= 4 and argv[1] == "check":
        metrics = load_list(argv[2])
        files = argv[3:]
        if files[0] == "--documented" and len(files) >= 3:
            with open(files[1], encoding="utf-8") as f:
                documented = parse_contract(f.read())
            metrics.update({n: t for n, t in documented.items() if n not in metrics})
            files = files[2:]
        rules = [r for path in files for r in rule_exprs(path)]
        recorded = {rec for _, _, rec in rules if rec}
        failed = 0
        for name, expr, _ in rules:
            bad = unknown_names(names_in(expr), metrics, recorded)
            if bad:
                print(f"{name}: not in the metric contract nor documented: {', '.join(bad)}")
                failed += 1
        return 1 if failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
