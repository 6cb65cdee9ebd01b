#!/usr/bin/env python3
"""Checks on the rule files that promtool does not make: mixin conventions, runbook anchors,
the table of built-in and Prometheus alert names in docs/alerting.md, and that the unit tests
cover every alert (fires, does not fire, resolves).

  rules_meta.py SOURCE_DIR
"""

import glob
import os
import re
import sys

import yaml

REQUIRED_ALERTS = [
    "GenesysUserUnregistered", "GenesysSiteRegistrationLow", "GenesysTrunkDown",
    "GenesysTrunkDegraded", "GenesysTrunkFlapping", "GenesysEdgeOffline",
    "GenesysTLSCertExpiringSoon", "GenesysTLSCertInvalid", "GenesysTLSProbeFailing",
    "GenesysExporterAPIDown", "GenesysCollectorStale", "GenesysNotificationsDisconnected",
    "GenesysAPIThrottled", "GenesysWebhookDeliveryFailing", "GenesysWebhookNotificationsDropped",
    "GenesysSpoolNotWritable", "GenesysExporterDown", "GenesysWebConfigReloadFailed",
]
REQUIRED_RECORDS = [
    "site:genesys_phone_registration_success:ratio_rate5m",
    "site:genesys_phone_registration_success:ratio_rate1h",
    "site:genesys_phone_registration_success:ratio_rate24h",
]
SEVERITIES = {"info", "warning", "critical"}
# `up` is the one series scoped by the scrape job (rules/render replaces this default).
UP_DEFAULT = 'up{job="genesys"}'


def duration_seconds(text):
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smhd])", text))


def anchors(markdown):
    """GitHub-style anchors of the headings of a markdown file."""
    out = set()
    for line in markdown.splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out


def main(src):
    errors = []
    rules_dir = os.path.join(src, "rules")
    alerts = {}
    records = set()
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yml"))):
        with open(path, encoding="utf-8") as f:
            for group in yaml.safe_load(f)["groups"]:
                for rule in group["rules"]:
                    if "record" in rule:
                        records.add(rule["record"])
                        continue
                    name = rule["alert"]
                    alerts.setdefault(name, []).append(rule)
                    where = f"{os.path.basename(path)}: {name}"
                    if not re.match(r"^Genesys[A-Z][A-Za-z0-9]+$", name):
                        errors.append(f"{where}: not a CamelCase Genesys* name")
                    sev = rule.get("labels", {}).get("severity")
                    if sev not in SEVERITIES:
                        errors.append(f"{where}: severity label is {sev!r}")
                    ann = rule.get("annotations", {})
                    for key in ("summary", "description", "runbook_url"):
                        if not ann.get(key):
                            errors.append(f"{where}: no {key} annotation")
                    if duration_seconds(str(rule.get("for", "0s"))) <= 0:
                        errors.append(f"{where}: no `for` duration")
                    expr = rule["expr"].replace(UP_DEFAULT, "up{}")
                    if re.search(r"\bjob\s*(=|!=|=~|!~)", expr):
                        errors.append(f"{where}: hard-coded job matcher (only {UP_DEFAULT} has one)")
                    if re.search(r"(?<![\w:])up(?![\w:(]|\{\})", expr):
                        errors.append(f"{where}: `up` without the default job matcher, {UP_DEFAULT}")
    for name in REQUIRED_ALERTS:
        if name not in alerts:
            errors.append(f"alert {name} is missing")
    for name in REQUIRED_RECORDS:
        if name not in records:
            errors.append(f"recording rule {name} is missing")
    for name, rules in alerts.items():
        sevs = [r["labels"]["severity"] for r in rules]
        if len(sevs) != len(set(sevs)):
            errors.append(f"{name}: two rules with the same severity")

    # Runbook: one section per alert, and each runbook_url points at one, in the project's
    # published copy (rules/render's default base) so that the links work where alerts are read.
    with open(os.path.join(rules_dir, "render"), encoding="utf-8") as f:
        base = re.search(r'^DEFAULT_RUNBOOK_BASE = "([^"]+)"', f.read(), re.M).group(1)
    runbook_path = os.path.join(src, "docs", "runbook.md")
    if not os.path.exists(runbook_path):
        errors.append("docs/runbook.md is missing")
    else:
        with open(runbook_path, encoding="utf-8") as f:
            have = anchors(f.read())
        for name, rules in alerts.items():
            for r in rules:
                url = r["annotations"].get("runbook_url", "")
                anchor = url.split("#", 1)[1] if "#" in url else ""
                if not url.startswith(base + "#"):
                    errors.append(f"{name}: runbook_url {url!r} does not start with {base}#")
                if "runbook.md#" not in url or anchor not in have:
                    errors.append(f"{name}: runbook_url {url!r} has no section in docs/runbook.md")
                if anchor != name.lower():
                    errors.append(f"{name}: runbook anchor should be #{name.lower()}")

    # One vocabulary: docs/alerting.md maps every built-in alert type to the Prometheus alerts in
    # one table, which must name every alert of the rules and every type of alert.h.
    alerting_path = os.path.join(src, "docs", "alerting.md")
    with open(alerting_path, encoding="utf-8") as f:
        text = f.read()
    section = re.search(r"^## Built-in alerts and the Prometheus rules\n(.*?)(?=^## )", text, re.M | re.S)
    if not section:
        errors.append("docs/alerting.md: no section 'Built-in alerts and the Prometheus rules'")
    else:
        table = "\n".join(l for l in section.group(1).splitlines() if l.startswith("|"))
        with open(os.path.join(src, "exporter", "outputs", "alerts", "alert.h"), encoding="utf-8") as f:
            types = re.findall(r'constexpr std::string_view k\w+ = "(\w+)";', f.read())
        if not types:
            errors.append("exporter/outputs/alerts/alert.h: no alert types found")
        for name in sorted(alerts) + types:
            if f"`{name}`" not in table:
                errors.append(f"docs/alerting.md: the built-in/Prometheus table does not name `{name}`")

    # Unit tests: for each alert, one case where it fires, one where it has not (yet) fired and
    # one where it has resolved, in the same test group.
    covered = {name: set() for name in alerts}
    for path in sorted(glob.glob(os.path.join(rules_dir, "tests", "*.yml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for url in re.findall(r'runbook_url:\s*"([^"]*)"', open(path, encoding="utf-8").read()):
            if not url.startswith(base + "#"):
                errors.append(f"{os.path.basename(path)}: expected runbook_url {url!r} does not start with {base}#")
        for test in doc.get("tests", []):
            by_alert = {}
            for case in test.get("alert_rule_test", []):
                t = duration_seconds(str(case["eval_time"]))
                by_alert.setdefault(case["alertname"], []).append((t, bool(case.get("exp_alerts"))))
            for name, cases in by_alert.items():
                if name not in covered:
                    errors.append(f"{os.path.basename(path)}: tests unknown alert {name}")
                    continue
                fire_times = [t for t, fires in cases if fires]
                quiet_times = [t for t, fires in cases if not fires]
                if fire_times:
                    covered[name].add("fires")
                    if any(t < min(fire_times) for t in quiet_times):
                        covered[name].add("does not fire")
                    if any(t > max(fire_times) for t in quiet_times):
                        covered[name].add("resolves")
                    severities = {a.get("exp_labels", {}).get("severity")
                                  for t, c in [(0, case) for case in test["alert_rule_test"]
                                               if case["alertname"] == name]
                                  for a in c.get("exp_alerts") or []}
                    covered[name] |= {f"severity:{s}" for s in severities}
    for name, rules in alerts.items():
        missing = {"fires", "does not fire", "resolves"} - covered[name]
        if missing:
            errors.append(f"{name}: no unit test where it {', '.join(sorted(missing))}")
        for r in rules:
            if f"severity:{r['labels']['severity']}" not in covered[name]:
                errors.append(f"{name}: no unit test fires the {r['labels']['severity']} rule")

    for e in errors:
        print(f"rules_meta: {e}")
    print(f"rules_meta: {len(alerts)} alerts, {len(records)} recording rules, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
