#!/usr/bin/env python3
"""Checks for tests/scripts/ha_replicas_test.sh: what a two-node Alertmanager cluster told the
webhook receiver (webhook_receiver.py's RECORD.jsonl), and waits on the cluster and the
simulator. Standard library only.

  ha_check.py cluster AM_URL... --deadline S      every node reports status "ready" and sees them all
  ha_check.py mutate SIM_URL JSON                  one POST /sim/v1/mutations (fails loudly)
  ha_check.py wait RECORD --firing A=V,... --resolved A=V,... --deadline S
        until every listed incident (a label subset of one alert) has a firing / a resolved
        notification from the cluster
  ha_check.py health AM_URL...                     the cluster stayed whole: no node ever lost its peer
        (the dedup needs it); prints each node's cluster metrics
  ha_check.py count RECORD --incident A=V,... [--incident ...]
        every incident: exactly one firing and one resolved notification, the firing first;
        no notification about anything else; prints which node sent each
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

AM_PATH = "/am/"  # the receiver path each node's webhook_configs URL starts with


def get_json(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def parse_incident(text):
    labels = {}
    for pair in text.split(","):
        k, sep, v = pair.partition("=")
        if not sep or not k:
            raise SystemExit("bad incident %r: want label=value,..." % text)
        labels[k] = v
    return labels


def notifications(record):
    """The cluster's notifications, in arrival order: (node, status, [alert labels])."""
    out = []
    try:
        with open(record, encoding="utf-8") as f:
            lines = f.readlines()
    except FileNotFoundError:
        return out
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line being written
        if not entry.get("path", "").startswith(AM_PATH):
            continue
        body = entry.get("body") or {}
        alerts = [a.get("labels", {}) for a in body.get("alerts", [])]
        out.append((entry["path"][len(AM_PATH):], body.get("status", "?"), alerts, entry.get("time", 0)))
    return out


def matches(incident, labels):
    return all(labels.get(k) == v for k, v in incident.items())


def describe(incident):
    return ",".join("%s=%s" % kv for kv in sorted(incident.items()))


def cmd_cluster(a):
    end = time.monotonic() + a.deadline
    last = ""
    while time.monotonic() < end:
        try:
            states = [get_json(u + "/api/v2/status")["cluster"] for u in a.am]
            ready = all(s.get("status") == "ready" and len(s.get("peers") or []) == len(a.am) for s in states)
            last = "; ".join("%s peers %d" % (s.get("status"), len(s.get("peers") or [])) for s in states)
            if ready:
                print("cluster ready: " + last)
                return 0
        except (OSError, ValueError, KeyError) as e:
            last = str(e)
        time.sleep(0.2)
    print("FAIL: Alertmanager cluster not ready after %ss (%s)" % (a.deadline, last))
    return 1


CLUSTER_SERIES = ("alertmanager_cluster_members", "alertmanager_cluster_failed_peers",
                  "alertmanager_cluster_peers_left_total", "alertmanager_cluster_reconnections_total",
                  "alertmanager_cluster_health_score", "alertmanager_peer_position",
                  "alertmanager_notifications_total{integration=\"webhook\"}")


def cmd_health(a):
    fail = 0
    for i, url in enumerate(a.am):
        try:
            with urllib.request.urlopen(url + "/metrics", timeout=5) as r:
                text = r.read().decode()
        except OSError as e:
            print("FAIL: node %d: %s" % (i, e))
            fail = 1
            continue
        values = {}
        for line in text.splitlines():
            name, _, value = line.rpartition(" ")
            if name in CLUSTER_SERIES:
                values[name] = float(value)
        print("   node %d: %s" % (i, ", ".join("%s %g" % (k.replace("alertmanager_", ""), v) for k, v in sorted(values.items()))))
        if values.get("alertmanager_cluster_peers_left_total", 0) > 0 or values.get("alertmanager_cluster_members") != len(a.am):
            print("FAIL: node %d lost its peer during the test: the cluster was split, each part notifies on its own" % i)
            fail = 1
    return fail


def cmd_mutate(a):
    req = urllib.request.Request(a.sim + "/sim/v1/mutations", data=a.body.encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()
    except urllib.error.HTTPError as e:
        print("FAIL: mutation %s: HTTP %d %s" % (a.body, e.code, e.read()[:200]))
        return 1
    return 0


def cmd_wait(a):
    wanted = [("firing", parse_incident(i)) for i in a.firing] + [("resolved", parse_incident(i)) for i in a.resolved]
    end = time.monotonic() + a.deadline
    missing = wanted
    while time.monotonic() < end:
        got = notifications(a.record)
        missing = [(st, inc) for st, inc in wanted
                   if not any(s == st and any(matches(inc, l) for l in alerts) for _, s, alerts, _ in got)]
        if not missing:
            return 0
        time.sleep(0.2)
    print("FAIL: no notification after %ss for: %s" % (a.deadline, "; ".join("%s %s" % (st, describe(i)) for st, i in missing)))
    return 1


def cmd_count(a):
    incidents = [parse_incident(i) for i in a.incident]
    got = notifications(a.record)
    fail = 0
    for node, status, alerts, _ in got:
        if not any(matches(inc, l) for inc in incidents for l in alerts):
            print("FAIL: a notification (%s, from node %s) about none of the incidents: %s" % (status, node, alerts))
            fail = 1
    for inc in incidents:
        seen = [(node, status) for node, status, alerts, _ in got if any(matches(inc, l) for l in alerts)]
        statuses = [s for _, s in seen]
        line = "%s: %s" % (describe(inc), ", ".join("%s by node %s" % (s, n) for n, s in seen) or "nothing")
        if statuses != ["firing", "resolved"]:
            print("FAIL: want one firing then one resolved notification; " + line)
            fail = 1
        else:
            print("   " + line)
    return fail


def main():
    p = argparse.ArgumentParser(usage=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cluster")
    c.add_argument("am", nargs="+")
    c.add_argument("--deadline", type=float, default=30)
    h = sub.add_parser("health")
    h.add_argument("am", nargs="+")
    m = sub.add_parser("mutate")
    m.add_argument("sim")
    m.add_argument("body")
    w = sub.add_parser("wait")
    w.add_argument("record")
    w.add_argument("--firing", action="append", default=[])
    w.add_argument("--resolved", action="append", default=[])
    w.add_argument("--deadline", type=float, default=30)
    n = sub.add_parser("count")
    n.add_argument("record")
    n.add_argument("--incident", action="append", default=[], required=True)
    a = p.parse_args()
    return {"cluster": cmd_cluster, "health": cmd_health, "mutate": cmd_mutate, "wait": cmd_wait, "count": cmd_count}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
