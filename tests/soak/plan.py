"""The soak's chaos: a plan drawn from one seed (faults, incidents and kill -9s at offsets from
the start), and the code that carries each step out through /sim/v1, the receiver's /-/fault
and signals, logging what it did and when.

The same seed gives the same plan; the run itself also depends on timing, so a replay is close
but not identical. Not thread-safe: the soak's main thread runs it.
"""

import heapq
import random
import time

API_PATHS = ["", "", "/phones", "/trunks", "/edges", "/stations", "/metrics", "/oauth/token",
             "/notifications"]

# kind: (weight, how long the exporter is taken to be blind to the org after it starts, in
# seconds beyond the fault's own duration). Blind windows exempt a state change from the
# delivery invariant: they are not excuses for anything else.
FAULTS = {
    "api_5xx_storm": (4, 4),
    "api_429_storm": (3, 6),
    "api_malformed": (2, 6),
    "api_truncated": (2, 6),
    "token_revoke": (2, 6),
    "socket_closing": (2, 0),
    "socket_drop": (2, 0),
    "receiver_5xx": (3, 0),
    "receiver_429": (2, 0),
    "receiver_no_answer": (1, 0),
    "receiver_outage": (2, 0),
}
ALERTS = ("registration_failure", "carrier_degradation", "edge_offline", "tls_cert_expiry")
# Which alerts an API fault on a path can hide: the alerts whose data comes from it. Every
# telephony path contains /edges; /metrics is trunk and edge metrics (QoS counts for trunk
# health; edge uptime for nothing that alerts); /notifications is the push channel's set-up,
# which polling covers. The push stream itself keeps going, so this is cautious.
BLINDS = {
    "": ALERTS[:3], "/oauth/token": ALERTS[:3], "/edges": ALERTS[:3],
    "/phones": ("registration_failure",), "/stations": ("registration_failure",),
    "/trunks": ("carrier_degradation",), "/metrics": ("carrier_degradation",), "/notifications": (),
}

INCIDENTS = ["site_outage", "edge_offline", "trunk_down", "trunk_options_down", "user_phone_offline"]


def make_plan(seed, chaos_s, kills=True):
    """[(offset_s, kind, params)] sorted by offset. Faults every 4-12 s, incidents every 6-16 s,
    and restarts every 50-110 s in the first 60% (the last life must be long enough to judge
    memory growth): three in four are kill -9, the others SIGTERM; half of them come during a
    receiver outage."""
    rng = random.Random(seed)
    plan = []
    t = rng.uniform(5, 10)
    kinds, weights = zip(*((k, w) for k, (w, _) in FAULTS.items()))
    while t < chaos_s:
        kind = rng.choices(kinds, weights)[0]
        plan.append((t, kind, fault_params(rng, kind)))
        t += rng.uniform(4, 12)
    t = rng.uniform(3, 8)
    while t < chaos_s - 10:
        kind = rng.choice(INCIDENTS)
        plan.append((t, kind, {"seconds": rng.uniform(12, 45), "pick": rng.random(), "share": rng.uniform(0.5, 0.9)}))
        t += rng.uniform(6, 16)
    if kills:
        t = min(rng.uniform(25, 60), chaos_s * 0.3)
        while t < chaos_s * 0.6:
            kind = "exporter_kill" if rng.random() < 0.75 else "exporter_sigterm"
            down = rng.uniform(0.2, 4)
            plan.append((t, kind, {"down_s": down}))
            if rng.random() < 0.5:
                # The receiver refuses everything for a while before the restart, so that
                # notifications sit unacknowledged in the spool: the next life must send them
                # again under the same webhook-id.
                lead = rng.uniform(8, 20)
                plan.append((t - lead, "receiver_5xx", {"status": 503, "retry_after": None,
                                                        "seconds": lead + down + 5}))
            t += rng.uniform(50, 110)
    plan.sort(key=lambda step: step[0])
    return plan


def fault_params(rng, kind):
    if kind == "api_5xx_storm":
        return {"status": rng.choice([500, 502, 503, 504]), "path": rng.choice(API_PATHS), "seconds": rng.uniform(2, 8)}
    if kind == "api_429_storm":
        return {"retry_after_s": rng.randint(1, 3), "path": rng.choice(API_PATHS), "seconds": rng.uniform(2, 8)}
    if kind in ("api_malformed", "api_truncated"):
        return {"count": rng.randint(1, 4), "path": rng.choice(API_PATHS)}
    if kind == "socket_closing":
        return {"close_after_s": rng.choice([0, 0, 1, 2])}
    if kind == "receiver_5xx":
        return {"status": rng.choice([500, 502, 503]), "retry_after": rng.choice([None, None, 1]),
                "seconds": rng.uniform(2, 12)}
    if kind == "receiver_429":
        return {"retry_after": rng.choice([1, 2]), "seconds": rng.uniform(2, 8)}
    if kind in ("receiver_no_answer", "receiver_outage"):
        return {"seconds": rng.uniform(2, 10)}
    return {}


class Chaos:
    """Carries out the plan. `log` gets every step actually taken: (time, kind, params,
    blind_until or None)."""

    def __init__(self, plan, start, sim, receiver, exporter, truth, on_kill, on_restart):
        self.queue = [(start + off, i, kind, params) for i, (off, kind, params) in enumerate(plan)]
        heapq.heapify(self.queue)
        self.seq = len(plan)
        self.sim, self.receiver, self.exporter = sim, receiver, exporter
        self.on_kill, self.on_restart = on_kill, on_restart
        self.log = []
        self.restores = {}  # restore id -> (when, mutations)
        self.counts = {}
        sites, first = [], 0
        for s in truth["sites"]:  # phone indexes follow the sites' order
            sites.append((s["name"], list(range(first, first + s["phones"]))))
            first += s["phones"]
        self.sites = sites
        self.edges = [e["id"] for e in truth["edges"]]
        self.carriers = [t for t in truth["trunks"] if t["trunkType"] == "EXTERNAL"]
        self.user_phones = [u["phoneId"] for u in truth["users"] if u["phoneId"]]

    def later(self, when, kind, params):
        self.seq += 1
        heapq.heappush(self.queue, (when, self.seq, kind, params))

    def next_time(self):
        return self.queue[0][0] if self.queue else None

    def run_due(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, _, kind, params = heapq.heappop(self.queue)
            self.do(kind, params)

    def record(self, kind, params, blind_s=None):
        """Logs a step: (time, kind, params, blind until or None, the alerts it may hide)."""
        now = time.time()
        self.counts[kind] = self.counts.get(kind, 0) + 1
        hides = BLINDS[params.get("path", "")] if blind_s is not None else ()
        self.log.append((now, kind, params, None if blind_s is None else now + blind_s, hides))

    def fault(self, spec):
        status, body = self.sim.post("/sim/v1/faults", spec)
        if status != 201:
            raise RuntimeError(f"genesys_sim refused fault {spec}: {status} {body}")

    def mutate(self, body):
        status, answer = self.sim.post("/sim/v1/mutations", body)
        if status != 200:
            raise RuntimeError(f"genesys_sim refused mutation {body}: {status} {answer}")

    def do(self, kind, p):
        pad = FAULTS.get(kind, (0, 0))[1]
        if kind == "api_5xx_storm":
            self.fault({"kind": "server_error", "status": p["status"], "path": p["path"], "count": -1,
                        "duration_s": p["seconds"]})
            self.record(kind, p, p["seconds"] + pad)
        elif kind == "api_429_storm":
            self.fault({"kind": "rate_limit", "retry_after_s": p["retry_after_s"], "path": p["path"], "count": -1,
                        "duration_s": p["seconds"]})
            self.record(kind, p, p["seconds"] + pad)
        elif kind in ("api_malformed", "api_truncated"):
            self.fault({"kind": "malformed_json" if kind == "api_malformed" else "truncated_json",
                        "path": p["path"], "count": p["count"], "duration_s": 30})
            self.record(kind, p, pad)
        elif kind == "token_revoke":
            self.sim.post("/sim/v1/tokens/revoke", {})
            self.record(kind, p, pad)
        elif kind == "socket_closing":
            self.sim.post("/sim/v1/streaming/socket_closing", p)
            self.record(kind, p)
        elif kind == "socket_drop":
            self.sim.post("/sim/v1/streaming/drop", {})
            self.record(kind, p)
        elif kind in ("receiver_5xx", "receiver_429", "receiver_no_answer"):
            status = {"receiver_5xx": p.get("status"), "receiver_429": 429, "receiver_no_answer": 0}[kind]
            if self.receiver.running():
                self.receiver.fault(status, p["seconds"], p.get("retry_after"))
                self.record(kind, p)
        elif kind == "receiver_outage":
            if self.receiver.running():
                self.receiver.stop()
                self.record(kind, p)
                self.later(time.time() + p["seconds"], "receiver_back", {})
        elif kind == "receiver_back":
            if not self.receiver.running():
                self.receiver.start()
        elif kind in ("exporter_kill", "exporter_sigterm"):
            if not self.exporter.alive():
                return
            life = self.exporter.kill9() if kind == "exporter_kill" else self.exporter.terminate()
            self.record(kind, p)
            self.on_kill(life)
            self.later(time.time() + p["down_s"], "exporter_start", {})
        elif kind == "exporter_start":
            if not self.exporter.alive():
                self.on_restart(self.exporter.start())
        elif kind in INCIDENTS:
            self.incident(kind, p)
        elif kind == "restore":
            for body in self.restores.pop(p["id"], []):
                self.mutate(body)
        else:
            raise ValueError(f"unknown chaos step {kind}")

    def incident(self, kind, p):
        """Breaks something for p["seconds"] and schedules its repair."""
        breaks, repairs = [], []
        if kind == "site_outage":
            name, phones = self.sites[int(p["pick"] * len(self.sites))]
            down = phones[: max(1, int(len(phones) * p["share"]))]
            breaks = [{"action": "phone_status", "target": str(i), "status": "OFFLINE"} for i in down]
            repairs = [{"action": "phone_status", "target": str(i), "status": "OPERATIONAL"} for i in down]
            what = f"site {name}: {len(down)} phones OFFLINE"
        elif kind == "edge_offline":
            edge = self.edges[int(p["pick"] * len(self.edges))]
            breaks = [{"action": "edge_online", "target": edge, "online": False}]
            repairs = [{"action": "edge_online", "target": edge, "online": True}]
            what = f"edge {edge} offline"
        elif kind == "trunk_down":
            t = self.carriers[int(p["pick"] * len(self.carriers))]
            breaks = [{"action": "trunk_connected", "target": t["id"], "connected": False}]
            repairs = [{"action": "trunk_connected", "target": t["id"], "connected": True}]
            what = f"trunk {t['name']} disconnected"
        elif kind == "trunk_options_down":
            t = self.carriers[int(p["pick"] * len(self.carriers))]
            breaks = [{"action": "trunk_options", "target": t["id"], "proxy": i, "up": False}
                      for i in range(len(t["proxies"]))]
            repairs = [dict(b, up=True) for b in breaks]
            what = f"trunk {t['name']}: OPTIONS down on every proxy"
        else:  # user_phone_offline
            phone = self.user_phones[int(p["pick"] * len(self.user_phones))]
            breaks = [{"action": "phone_status", "target": phone, "status": "OFFLINE"}]
            repairs = [{"action": "phone_status", "target": phone, "status": "OPERATIONAL"}]
            what = f"a followed user's phone {phone} OFFLINE"
        for body in breaks:
            self.mutate(body)
        self.seq += 1
        self.restores[self.seq] = repairs
        self.later(time.time() + p["seconds"], "restore", {"id": self.seq})
        self.record(kind, dict(p, what=what))

    def stop(self):
        """The faults stop: every pending repair now, the receiver back and answering, the
        simulator's faults cleared, the exporter running."""
        for rid in list(self.restores):
            self.do("restore", {"id": rid})
        if not self.receiver.running():
            self.receiver.start()
        self.receiver.fault(200, 0)
        status, _ = self.sim.post("/sim/v1/streaming/heartbeats", {"enabled": True})
        cleared, _ = self.sim.delete("/sim/v1/faults")
        if not self.exporter.alive():
            self.on_restart(self.exporter.start())
        self.queue.clear()
        return status == 200 and cleared == 200
