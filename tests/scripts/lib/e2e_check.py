#!/usr/bin/env python3
"""The end-to-end test's driver and assertions (tests/scripts/e2e_stack_test.sh).

  e2e_check.py drive SIM_URL [--deadline S]
      Adds failures the demo timeline lacks through the simulator's control API, keyed off the
      scripted ones (it watches /sim/v1/truth, never the clock): when edge branch-west-edge-1
      goes offline, 7 of Branch West's 12 phones go OFFLINE with it (site registration low) and
      so does the phone of one followed user; trunk "Acme Telecom 0007" then flaps 6 times.
      When the edge comes back, so do the phones.

  e2e_check.py watch --sim URL --prom URL --am URL --records FILE [--probe-fail TARGET]
                     [--failing-receiver NAME] [--hmac-secret S] [--deadline S]
      Polls Prometheus, Alertmanager and the webhook receiver's record until every expectation
      holds or the deadline passes, printing each observation when it first happens:
        - each expected alert fires in Prometheus and is listed by Alertmanager's /api/v2/alerts;
        - the exporter's webhook dispatcher delivered the same incident (alertType + entity);
        - the entities that recover resolve: gone from Prometheus's and Alertmanager's alerts,
          and a "resolved" webhook for them;
        - every webhook request is signed (Standard Webhooks) when --hmac-secret is given.

  e2e_check.py panels PROM_URL [--deadline S]
      Every dashboard query returns data, except those marked may_be_empty (listed when empty).

  e2e_check.py followed-user SIM_URL
      Prints the followed user ids (one per line) and, on stderr, which one the driver breaks.
"""

import argparse
import base64
import hashlib
import hmac
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BROKEN_EDGE = "branch-west-edge-1"
BROKEN_SITE = "Branch West"
BROKEN_SITE_PHONES = [str(i) for i in range(48, 55)]  # phone indexes 48..59 are Branch West
BROKEN_USER_INDEX = 2                                  # "Agent 0002", an HQ desk phone
FLAPPING_TRUNK = "Acme Telecom 0007"                   # UDP/TCP carrier: no TLS side effects
FLAPS = 6


def get(url, params=None, timeout=10):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def log(start, msg):
    print(f"e2e [{time.monotonic() - start:6.1f}s] {msg}", flush=True)


# ---------------------------------------------------------------------------------------- drive

def edge_online(truth, name):
    for e in truth["edges"]:
        if e["name"] == name:
            return e["online"]
    raise KeyError(f"edge {name} not in the simulator's truth")


def cmd_drive(a):
    start = time.monotonic()
    end = start + a.deadline
    sim = a.sim.rstrip("/")
    truth = get(sim + "/sim/v1/truth")
    user = truth["users"][BROKEN_USER_INDEX]

    def mutate(**body):
        try:
            post(sim + "/sim/v1/mutations", body)
        except urllib.error.HTTPError as e:
            log(start, f"drive: mutation {body} failed: {e.code} {e.read()[:200]!r}")

    def wait_edge(online):
        while time.monotonic() < end:
            if edge_online(get(sim + "/sim/v1/truth"), BROKEN_EDGE) == online:
                return True
            time.sleep(0.3)
        log(start, f"drive: gave up waiting for {BROKEN_EDGE} online={online}")
        return False

    if not wait_edge(False):
        return 1
    log(start, f"drive: {BROKEN_EDGE} is offline: {len(BROKEN_SITE_PHONES)} {BROKEN_SITE} phones and "
               f"user {user['name']}'s phone go OFFLINE; {FLAPPING_TRUNK} starts flapping")
    for p in BROKEN_SITE_PHONES:
        mutate(action="phone_status", target=p, status="OFFLINE")
    mutate(action="phone_status", target=user["phoneId"], status="OFFLINE")
    # Each state must last a few scrapes so that Prometheus sees every transition.
    for i in range(FLAPS):
        mutate(action="trunk_connected", target=FLAPPING_TRUNK, connected=(i % 2 == 1))
        time.sleep(2.5)  # pacing of the injected failure, not an assertion
    if not wait_edge(True):
        return 1
    log(start, f"drive: {BROKEN_EDGE} is back: the phones come back")
    for p in BROKEN_SITE_PHONES:
        mutate(action="phone_status", target=p, status="OPERATIONAL")
    mutate(action="phone_status", target=user["phoneId"], status="OPERATIONAL")
    return 0


def cmd_followed_user(a):
    truth = get(a.sim.rstrip("/") + "/sim/v1/truth")
    for u in truth["users"]:
        print(u["id"])
    print(f"e2e: the driver breaks the phone of followed user {truth['users'][BROKEN_USER_INDEX]['name']}",
          file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------- watch

class Expectation:
    """One incident: a Prometheus alert (name + label subset) and, when the exporter's own
    alerting covers it, the exporter alert (alertType + label subset)."""

    def __init__(self, what, prom_alert, prom_labels, resolves, hook_type=None, hook_labels=None):
        self.what = what
        self.prom_alert, self.prom_labels = prom_alert, prom_labels
        self.resolves = resolves
        self.hook_type, self.hook_labels = hook_type, hook_labels
        self.seen = {}  # observation -> elapsed seconds

    def needed(self):
        n = ["prometheus firing", "alertmanager received"]
        if self.hook_type:
            n.append("webhook firing")
        if self.resolves:
            n += ["prometheus resolved", "alertmanager resolved"]
            if self.hook_type:
                n.append("webhook resolved")
        return n

    def missing(self):
        return [n for n in self.needed() if n not in self.seen]

    def prom_match(self, labels):
        return labels.get("alertname") == self.prom_alert and \
            all(labels.get(k) == v for k, v in self.prom_labels.items())

    def hook_match(self, alert):
        return alert.get("alertType") == self.hook_type and \
            all((alert.get("labels") or {}).get(k) == v for k, v in self.hook_labels.items())


def expectations(sim, probe_fail, failing_receiver):
    truth = get(sim + "/sim/v1/truth")
    tls = get(sim + "/sim/v1/tls")
    trunks = [t for t in truth["trunks"] if t["trunkType"] == "EXTERNAL"]
    edge = next(e for e in truth["edges"] if e["name"] == BROKEN_EDGE)
    user = truth["users"][BROKEN_USER_INDEX]
    flapping = next(t for t in trunks if t["name"] == FLAPPING_TRUNK)
    cc = "carrier_degradation"
    ex = [
        # The demo timeline: trunk 0 loses SIP OPTIONS on one of its 4 proxies for good, trunk 1
        # is disconnected then reconnected, trunk 2 gets QoS mismatches, edge 2 goes offline
        # and comes back.
        Expectation(f"trunk {trunks[0]['name']} degraded (OPTIONS down)", "GenesysTrunkDegraded",
                    {"trunk_id": trunks[0]["id"]}, False, cc, {"trunk_id": trunks[0]["id"]}),
        Expectation(f"trunk {trunks[1]['name']} down, then reconnected", "GenesysTrunkDown",
                    {"trunk_id": trunks[1]["id"]}, True, cc, {"trunk_id": trunks[1]["id"]}),
        Expectation(f"trunk {trunks[2]['name']} degraded (QoS)", "GenesysTrunkDegraded",
                    {"trunk_id": trunks[2]["id"]}, False, cc, {"trunk_id": trunks[2]["id"]}),
        Expectation(f"edge {edge['name']} offline, then back", "GenesysEdgeOffline",
                    {"edge_id": edge["id"]}, True, "edge_offline", {"edge_id": edge["id"]}),
        # Driven by `drive` along with the edge outage.
        Expectation(f"site {BROKEN_SITE} registration low", "GenesysSiteRegistrationLow",
                    {"site": BROKEN_SITE}, True, "registration_failure",
                    {"scope": "site", "site": BROKEN_SITE}),
        Expectation(f"followed user {user['name']} unregistered", "GenesysUserUnregistered",
                    {"user_id": user["id"]}, True, "registration_failure",
                    {"scope": "user", "user_id": user["id"]}),
        Expectation(f"trunk {FLAPPING_TRUNK} flapping", "GenesysTrunkFlapping",
                    {"trunk_id": flapping["id"]}, False),
    ]
    # The SIP-TLS listeners, one per certificate case.
    for ep in tls["endpoints"]:
        if ep["name"] in ("expired", "self_signed", "wrong_host"):
            ex.append(Expectation(f"TLS {ep['name']} certificate invalid", "GenesysTLSCertInvalid",
                                  {"target": ep["address"]}, False, "tls_cert_expiry",
                                  {"target": ep["address"]}))
        elif ep["name"] in ("expiring", "intermediate_expiring"):
            ex.append(Expectation(f"TLS {ep['name']} certificate expiring", "GenesysTLSCertExpiringSoon",
                                  {"target": ep["address"]}, False, "tls_cert_expiry",
                                  {"target": ep["address"]}))
    if probe_fail:
        ex.append(Expectation(f"TLS probe of {probe_fail} (nothing listens) failing",
                              "GenesysTLSProbeFailing", {"target": probe_fail}, False))
    if failing_receiver:
        ex.append(Expectation(f"webhook receiver {failing_receiver} (always 503) failing",
                              "GenesysWebhookDeliveryFailing", {"receiver": failing_receiver}, False))
    return ex


def webhook_alerts(records_path, path_prefix):
    """Every alert of every generic-format webhook body under path_prefix, flattened."""
    out = []
    try:
        with open(records_path, encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if not rec["path"].startswith(path_prefix):
                    continue
                body = rec.get("body")
                if not isinstance(body, dict):
                    continue
                out.extend(body["alerts"] if isinstance(body.get("alerts"), list) else [body])
    except FileNotFoundError:
        pass
    return out


def check_signatures(records_path, path_prefix, secret):
    """Problems with the Standard Webhooks signatures of the recorded requests."""
    key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
    problems, count = [], 0
    with open(records_path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if not rec["path"].startswith(path_prefix):
                continue
            count += 1
            h = rec["headers"]
            wid, ts, sig = h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature", "")
            if not wid or not ts:
                problems.append(f"request without webhook-id/webhook-timestamp: {sorted(h)}")
                continue
            mac = hmac.new(key, f"{wid}.{ts}.{rec['raw']}".encode(), hashlib.sha256).digest()
            want = "v1," + base64.b64encode(mac).decode()
            if want not in sig.split():
                problems.append(f"webhook {wid}: signature {sig!r} does not verify")
    return count, problems


def dead(pids):
    """The pids (children of the calling shell) that exited; zombies count as exited."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    out.append(pid)
        except OSError:
            out.append(pid)
    return out


def cmd_watch(a):
    start = time.monotonic()
    end = start + a.deadline
    prom, am, sim = a.prom.rstrip("/"), a.am.rstrip("/"), a.sim.rstrip("/")
    ex = expectations(sim, a.probe_fail, a.failing_receiver)
    log(start, f"watch: {len(ex)} incidents expected")
    errors = 0
    while True:
        try:
            in_prom = get(prom + "/api/v1/alerts")["data"]["alerts"]
            in_am = get(am + "/api/v2/alerts")
        except (OSError, ValueError) as e:  # a component died or hiccuped: say so, keep polling
            errors += 1
            if errors % 10 == 1:
                log(start, f"watch: poll failed: {e}")
            in_prom, in_am = None, None
        hooks = webhook_alerts(a.records, "/hook")
        now = time.monotonic() - start
        for e in ex:
            def saw(what):
                if what not in e.seen:
                    e.seen[what] = now
                    log(start, f"{e.what}: {what}")
            if in_prom is not None:
                matching = [x for x in in_prom if e.prom_match(x["labels"])]
                if any(x["state"] == "firing" for x in matching):
                    saw("prometheus firing")
                elif e.resolves and "prometheus firing" in e.seen and not matching:
                    saw("prometheus resolved")
                in_am_now = [x for x in in_am if e.prom_match(x["labels"])]
                if in_am_now:
                    saw("alertmanager received")
                elif e.resolves and "alertmanager received" in e.seen and "prometheus resolved" in e.seen:
                    saw("alertmanager resolved")
            if e.hook_type:
                statuses = {h.get("status") for h in hooks if e.hook_match(h)}
                if "firing" in statuses:
                    saw("webhook firing")
                if e.resolves and "resolved" in statuses and "webhook firing" in e.seen:
                    saw("webhook resolved")
        if all(not e.missing() for e in ex) or time.monotonic() > end:
            break
        gone = dead(a.alive_pid)
        if gone:
            log(start, f"watch: process {gone} exited; stopping early")
            break
        time.sleep(a.interval)

    failed = [e for e in ex if e.missing()]
    for e in failed:
        print(f"e2e: FAIL {e.what}: missing {', '.join(e.missing())}"
              f" (Prometheus {e.prom_alert}{e.prom_labels}"
              + (f"; webhook {e.hook_type}{e.hook_labels}" if e.hook_type else "") + ")")
    if failed:
        firing = sorted({(x['labels']['alertname'], x['state']) for x in (in_prom or [])})
        print(f"e2e: Prometheus alerts now: {firing}")
        seen_types = sorted({(h.get('alertType'), h.get('status')) for h in hooks})
        print(f"e2e: webhook alerts received (type, status): {seen_types}")
    sig_problems = []
    if a.hmac_secret:
        count, sig_problems = check_signatures(a.records, "/hook", a.hmac_secret)
        for p in sig_problems[:5]:
            print("e2e: FAIL", p)
        print(f"e2e: {count} webhook requests, {len(sig_problems)} with a bad signature")
    print(f"e2e: {len(ex) - len(failed)}/{len(ex)} incidents fully observed "
          f"in {time.monotonic() - start:.0f}s")
    return 1 if failed or sig_problems else 0


# --------------------------------------------------------------------------------------- panels

def cmd_panels(a):
    """Like live_check.py panels, but a query marked may_be_empty may stay empty (reported)."""
    sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
    import panel_queries
    prom = a.prom.rstrip("/")
    qs = panel_queries.queries(rate_interval="1m", rng="1h")

    def empty(q):
        r = get(prom + "/api/v1/query", {"query": q["expr"]})
        if r.get("status") != "success":
            raise RuntimeError(f"query failed: {q['expr']}: {r}")
        return not r["data"]["result"]

    end = time.monotonic() + a.deadline
    while True:
        missing = [q for q in qs if not q.get("may_be_empty") and empty(q)]
        if not missing or time.monotonic() > end:
            break
        time.sleep(0.5)
    optional_empty = [q for q in qs if q.get("may_be_empty") and empty(q)]
    for q in missing:
        print(f"e2e: FAIL panel {q['panel']} / {q['ref_id']}: no data for {q['expr']}")
    for q in optional_empty:
        print(f"e2e: (may be empty) panel {q['panel']} / {q['ref_id']}: no data")
    required = sum(1 for q in qs if not q.get("may_be_empty"))
    print(f"e2e: {required - len(missing)}/{required} required panel queries return data; "
          f"{len(qs) - required - len(optional_empty)}/{len(qs) - required} optional ones too")
    return 1 if missing else 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("drive")
    d.add_argument("sim")
    d.add_argument("--deadline", type=float, default=180)
    f = sub.add_parser("followed-user")
    f.add_argument("sim")
    w = sub.add_parser("watch")
    for opt in ("--sim", "--prom", "--am", "--records"):
        w.add_argument(opt, required=True)
    w.add_argument("--probe-fail", default="")
    w.add_argument("--failing-receiver", default="")
    w.add_argument("--hmac-secret", default="")
    w.add_argument("--deadline", type=float, default=150)
    w.add_argument("--interval", type=float, default=0.5)
    w.add_argument("--alive-pid", type=int, action="append", default=[],
                   help="stop early when this process (sim, exporter) has exited")
    pn = sub.add_parser("panels")
    pn.add_argument("prom")
    pn.add_argument("--deadline", type=float, default=20)
    a = p.parse_args()
    return {"drive": cmd_drive, "watch": cmd_watch, "followed-user": cmd_followed_user,
            "panels": cmd_panels}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
