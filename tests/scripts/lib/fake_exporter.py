#!/usr/bin/env python3
"""A stand-in for genesys_exporter's /metrics that exposes every contract metric, in one of two
states, so that the rules and the dashboard can be tried against a real Prometheus without the
C++ build.

  fake_exporter.py PORT_FILE          serves on 127.0.0.1:<free port>, writes the port to PORT_FILE
  GET  /metrics                       the exposition; counters grow on every scrape
  GET  /second/metrics                a second exporter of the same scrape job: its scrape fails
                                      (503) in the bad state, and it is healthy in the good one
  POST /state/bad | /state/good       "bad": every alert's condition holds; "good": none does

In the bad state: the API is down, a user and a phone are unregistered, site East has 80 % of its
lines, site West 30 %, trunk t1 is down, t2 degraded, t3 flaps on every scrape, edge e2 is
offline, TLS target a expires in 20 days, b is expired and unverified, c cannot be reached, the
phones collector is stale, the notification stream is down, a tenth of API answers are 429, the
webhook receiver rejects everything, its queue drops notifications (spool_full), the spool folder
cannot be written, a changed web config was refused, and the second exporter cannot be scraped.
"""

import http.server
import os
import sys
import threading
import time

SITES = ["HQ", "East", "West"]
STATUSES = ["OPERATIONAL", "DEGRADED", "OFFLINE", "UNKNOWN"]
COLLECTORS = ["phones", "stations", "trunks", "trunk_metrics", "edges", "edge_metrics", "tls",
              "notifications"]
TRUNKS = [("t1", "Carrier A"), ("t2", "Carrier B"), ("t3", "Carrier C"), ("t4", "Carrier D")]
PHONES_EP = "/api/v2/telephony/providers/edges/phones"
TRUNKS_EP = "/api/v2/telephony/providers/edges/trunks"


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.bad = True
        self.scrapes = 0
        self.counters = {}
        self.started = time.time()

    def add(self, key, delta):
        self.counters[key] = self.counters.get(key, 0) + delta
        return self.counters[key]


STATE = State()


def labels(**kv):
    return "{" + ",".join(f'{k}="{v}"' for k, v in kv.items()) + "}" if kv else ""


def render():
    s = STATE
    with s.lock:
        s.scrapes += 1
        bad, n, now = s.bad, s.scrapes, time.time()
        out = []

        def family(name, kind, help_text):
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")

        def sample(name, value, **kv):
            out.append(f"{name}{labels(**kv)} {value}")

        def counter(name, delta, **kv):
            key = name + labels(**kv)
            sample(name, s.add(key, delta), **kv)

        family("genesys_up", "gauge", "API reachable (fake).")
        sample("genesys_up", 0 if bad else 1)
        family("genesys_collector_up", "gauge", "Collector up (fake).")
        for c in COLLECTORS:
            sample("genesys_collector_up", 0 if bad and c == "phones" else 1, collector=c)
        family("genesys_collector_last_success_timestamp_seconds", "gauge", "Last success (fake).")
        for c in COLLECTORS:
            ts = now - 2000 if bad and c == "phones" else now
            sample("genesys_collector_last_success_timestamp_seconds", ts, collector=c)
        family("genesys_collector_duration_seconds", "gauge", "Run time (fake).")
        for c in COLLECTORS:
            sample("genesys_collector_duration_seconds", 0.25, collector=c)

        family("genesys_api_requests_total", "counter", "API requests (fake).")
        counter("genesys_api_requests_total", 9, endpoint=PHONES_EP, code="200")
        counter("genesys_api_requests_total", 1 if bad else 0, endpoint=PHONES_EP, code="429")
        counter("genesys_api_requests_total", 1 if bad else 0, endpoint=TRUNKS_EP, code="503")
        counter("genesys_api_requests_total", 5, endpoint=TRUNKS_EP, code="200")
        family("genesys_api_request_duration_seconds", "histogram", "API latency (fake).")
        for ep in (PHONES_EP, TRUNKS_EP):
            for le, d in (("0.1", 2), ("0.5", 4), ("1", 5), ("+Inf", 5)):
                counter("genesys_api_request_duration_seconds_bucket", d, endpoint=ep, le=le)
            counter("genesys_api_request_duration_seconds_sum", 1.2, endpoint=ep)
            counter("genesys_api_request_duration_seconds_count", 5, endpoint=ep)
        family("genesys_api_retries_total", "counter", "Retries (fake).")
        counter("genesys_api_retries_total", 1 if bad else 0, endpoint=PHONES_EP, reason="rate_limited")
        family("genesys_api_rate_limit_remaining", "gauge", "Budget left (fake).")
        sample("genesys_api_rate_limit_remaining", 120)
        family("genesys_oauth_token_requests_total", "counter", "Token requests (fake).")
        counter("genesys_oauth_token_requests_total", 1)
        family("genesys_oauth_token_failures_total", "counter", "Token failures (fake).")
        counter("genesys_oauth_token_failures_total", 1 if bad else 0)
        family("genesys_oauth_token_expiry_timestamp_seconds", "gauge", "Token expiry (fake).")
        sample("genesys_oauth_token_expiry_timestamp_seconds", now + 3600)
        family("genesys_exporter_build_info", "gauge", "Build (fake).")
        sample("genesys_exporter_build_info", 1, version="0.0.0", revision="fake", compiler="none")

        family("genesys_phones", "gauge", "Phones by status (fake).")
        for site in SITES:
            for st in STATUSES:
                v = {"OPERATIONAL": 8, "DEGRADED": 1, "OFFLINE": 1, "UNKNOWN": 0}[st]
                sample("genesys_phones", v, site=site, status=st)
        family("genesys_phone_lines", "gauge", "Lines (fake).")
        for site in SITES:
            sample("genesys_phone_lines", 10, site=site)
        family("genesys_phone_lines_reachable", "gauge", "Reachable lines (fake).")
        for site in SITES:
            v = {"HQ": 10, "East": 8, "West": 3}[site] if bad else 10
            sample("genesys_phone_lines_reachable", v, site=site)
        family("genesys_phone_registration_checks_total", "counter", "Checks (fake).")
        for site in SITES:
            counter("genesys_phone_registration_checks_total", 10, site=site)
        family("genesys_phone_registration_failures_total", "counter", "Failures (fake).")
        for site in SITES:
            counter("genesys_phone_registration_failures_total", 2 if bad else 0, site=site)
        family("genesys_phone_line_transitions_total", "counter", "Transitions (fake).")
        for site in SITES:
            for to in ("reachable", "unreachable"):
                counter("genesys_phone_line_transitions_total", 1 if bad else 0, site=site, to=to)
        family("genesys_phone_registered", "gauge", "Per phone (fake).")
        sample("genesys_phone_registered", 1, phone_id="p1", phone_name="Desk 1", site="HQ")
        sample("genesys_phone_registered", 0 if bad else 1, phone_id="p2", phone_name="Desk 2", site="East")
        family("genesys_user_registered", "gauge", "Users (fake).")
        sample("genesys_user_registered", 1, user_id="u1")
        sample("genesys_user_registered", 0 if bad else 1, user_id="u2")

        def health(tid):
            if not bad:
                return "up"
            return {"t1": "down", "t2": "degraded", "t3": "up" if n % 2 else "degraded", "t4": "up"}[tid]

        family("genesys_trunk_info", "gauge", "Trunks (fake).")
        for tid, name in TRUNKS:
            sample("genesys_trunk_info", 1, trunk_id=tid, trunk_name=name, trunk_type="EXTERNAL", edge_id="e1")
        for metric in ("genesys_trunk_in_service", "genesys_trunk_enabled"):
            family(metric, "gauge", "Trunk flag (fake).")
            for tid, _ in TRUNKS:
                sample(metric, 1, trunk_id=tid)
        family("genesys_trunk_connected", "gauge", "Connected (fake).")
        for tid, _ in TRUNKS:
            sample("genesys_trunk_connected", 0 if health(tid) == "down" else 1, trunk_id=tid)
        family("genesys_trunk_connected_state_change_timestamp_seconds", "gauge", "Change (fake).")
        for tid, _ in TRUNKS:
            sample("genesys_trunk_connected_state_change_timestamp_seconds", s.started, trunk_id=tid)
        family("genesys_trunk_options_up", "gauge", "OPTIONS (fake).")
        family_ts = []
        for tid, _ in TRUNKS:
            for proxy in ("sip1.example.net:5061", "sip2.example.net:5061"):
                up = 0 if (health(tid) == "down" or (health(tid) == "degraded" and proxy.startswith("sip2"))) else 1
                sample("genesys_trunk_options_up", up, trunk_id=tid, proxy=proxy)
                family_ts.append((tid, proxy))
        family("genesys_trunk_options_state_change_timestamp_seconds", "gauge", "Change (fake).")
        for tid, proxy in family_ts:
            sample("genesys_trunk_options_state_change_timestamp_seconds", s.started, trunk_id=tid, proxy=proxy)
        family("genesys_trunk_register_up", "gauge", "REGISTER (fake).")
        sample("genesys_trunk_register_up", 1, trunk_id="t4", proxy="reg.example.net:5060")
        family("genesys_trunk_register_state_change_timestamp_seconds", "gauge", "Change (fake).")
        sample("genesys_trunk_register_state_change_timestamp_seconds", s.started, trunk_id="t4",
               proxy="reg.example.net:5060")
        family("genesys_trunk_health", "gauge", "Health state set (fake).")
        for tid, _ in TRUNKS:
            for st in ("up", "degraded", "down"):
                sample("genesys_trunk_health", 1 if health(tid) == st else 0, trunk_id=tid, state=st)
        family("genesys_trunk_calls", "gauge", "Calls (fake).")
        for tid, _ in TRUNKS:
            for d in ("inbound", "outbound"):
                sample("genesys_trunk_calls", 3, trunk_id=tid, direction=d)
        family("genesys_trunk_qos_mismatches", "gauge", "QoS (fake).")
        for tid, _ in TRUNKS:
            sample("genesys_trunk_qos_mismatches", 0, trunk_id=tid)

        family("genesys_edge_info", "gauge", "Edges (fake).")
        sample("genesys_edge_info", 1, edge_id="e1", edge_name="edge-hq", site="HQ", software_version="1.0")
        sample("genesys_edge_info", 1, edge_id="e2", edge_name="edge-east", site="East", software_version="1.0")
        family("genesys_edge_online", "gauge", "Online (fake).")
        sample("genesys_edge_online", 1, edge_id="e1")
        sample("genesys_edge_online", 0 if bad else 1, edge_id="e2")
        family("genesys_edge_uptime_seconds", "gauge", "Uptime (fake).")
        sample("genesys_edge_uptime_seconds", 86400, edge_id="e1")
        sample("genesys_edge_uptime_seconds", 3600, edge_id="e2")

        day = 86400
        tls = {  # target: (days left, verified, success)
            "a.example.net:5061": (20 if bad else 90, 1, 1),
            "b.example.net:5061": (-1 if bad else 90, 0 if bad else 1, 0 if bad else 1),
            "c.example.net:5061": (90, 1, 0 if bad else 1),
            "d.example.net:5061": (90, 1, 1),
        }
        family("genesys_tls_probe_success", "gauge", "Probe (fake).")
        for t, (_, _, ok) in tls.items():
            sample("genesys_tls_probe_success", ok, target=t)
        family("genesys_tls_probe_duration_seconds", "gauge", "Probe time (fake).")
        for t in tls:
            sample("genesys_tls_probe_duration_seconds", 0.05, target=t)
        family("genesys_tls_cert_verified", "gauge", "Verified (fake).")
        for t, (_, ver, _) in tls.items():
            sample("genesys_tls_cert_verified", ver, target=t)
        family("genesys_tls_earliest_cert_expiry_timestamp_seconds", "gauge", "Expiry (fake).")
        for t, (days, _, _) in tls.items():
            sample("genesys_tls_earliest_cert_expiry_timestamp_seconds", now + days * day, target=t)
        for metric, offset in (("genesys_tls_cert_not_after_timestamp_seconds", None),
                               ("genesys_tls_cert_not_before_timestamp_seconds", -300)):
            family(metric, "gauge", "Certificate dates (fake).")
            for t, (days, _, _) in tls.items():
                host = t.split(":")[0]
                for pos, (cn, issuer) in enumerate(((host, "Fake CA"), ("Fake CA", "Fake Root"))):
                    v = now + (days + pos * 100) * day if offset is None else now + offset * day
                    sample(metric, v, target=t, position=pos, serial=f"0{pos}", subject_cn=cn, issuer_cn=issuer)
        family("genesys_tls_probe_info", "gauge", "Probe info (fake).")
        for t, (days, ver, ok) in tls.items():
            vr = "ok" if ver else "certificate has expired"
            sample("genesys_tls_probe_info", 1, target=t, server_name=t.split(":")[0],
                   tls_version="TLSv1.3", cipher="TLS_AES_128_GCM_SHA256", verify_result=vr)
        family("genesys_tls_target_info", "gauge", "Targets (fake).")
        for t in tls:
            sample("genesys_tls_target_info", 1, target=t, source="trunk", trunk_id="t1")

        family("genesys_notifications_connected", "gauge", "Stream (fake).")
        sample("genesys_notifications_connected", 0 if bad else 1)
        family("genesys_notifications_channels", "gauge", "Channels (fake).")
        sample("genesys_notifications_channels", 1)
        family("genesys_notifications_subscribed_topics", "gauge", "Topics (fake).")
        sample("genesys_notifications_subscribed_topics", 42)
        family("genesys_notifications_events_total", "counter", "Events (fake).")
        for kind in ("phone", "trunk", "heartbeat"):
            counter("genesys_notifications_events_total", 2, topic_kind=kind)
        family("genesys_notifications_malformed_messages_total", "counter", "Malformed (fake).")
        counter("genesys_notifications_malformed_messages_total", 0)
        family("genesys_notifications_last_message_timestamp_seconds", "gauge", "Last message (fake).")
        sample("genesys_notifications_last_message_timestamp_seconds", now - 1)
        family("genesys_notifications_reconnects_total", "counter", "Reconnects (fake).")
        counter("genesys_notifications_reconnects_total", 1 if bad else 0, reason="heartbeat_timeout")

        family("genesys_alerts_firing", "gauge", "Exporter alerts (fake).")
        sample("genesys_alerts_firing", 1 if bad else 0, alertname="edge_offline", severity="critical")
        family("genesys_webhook_notifications_total", "counter", "Delivered (fake).")
        counter("genesys_webhook_notifications_total", 0 if bad else 1, receiver="ops")
        family("genesys_webhook_notification_failures_total", "counter", "Failed (fake).")
        counter("genesys_webhook_notification_failures_total", 1 if bad else 0, receiver="ops")
        family("genesys_webhook_dead_letters_total", "counter", "Dead letters (fake).")
        counter("genesys_webhook_dead_letters_total", 1 if bad else 0, receiver="ops")
        family("genesys_webhook_queue_length", "gauge", "Queue (fake).")
        sample("genesys_webhook_queue_length", 5 if bad else 0, receiver="ops")
        family("genesys_webhook_spool_dropped_total", "counter", "Dropped (fake).")
        for reason in ("spool_full", "damaged", "bad_name"):
            counter("genesys_webhook_spool_dropped_total", 1 if bad and reason == "spool_full" else 0,
                    receiver="ops", reason=reason)
        family("genesys_spool_writable", "gauge", "Spool folder writable (fake).")
        sample("genesys_spool_writable", 0 if bad else 1)
        family("genesys_web_config_last_reload_successful", "gauge", "Web config loaded (fake).")
        sample("genesys_web_config_last_reload_successful", 0 if bad else 1)
        family("genesys_web_config_last_reload_success_timestamp_seconds", "gauge", "Web config load time (fake).")
        sample("genesys_web_config_last_reload_success_timestamp_seconds", s.started)

        family("process_cpu_seconds_total", "counter", "CPU (fake).")
        counter("process_cpu_seconds_total", 0.01)
        for name, v in (("process_resident_memory_bytes", 20e6), ("process_virtual_memory_bytes", 200e6),
                        ("process_open_fds", 12), ("process_max_fds", 1024),
                        ("process_start_time_seconds", s.started)):
            family(name, "gauge", "Process (fake).")
            sample(name, v)
        return "\n".join(out) + "\n"


def render_second():
    """The second exporter, when it answers: only what says it is a genesys_exporter."""
    return ("# HELP genesys_exporter_build_info Build (fake).\n# TYPE genesys_exporter_build_info gauge\n"
            'genesys_exporter_build_info{version="0.0.0",revision="fake",compiler="none"} 1\n')


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/second/metrics":
            with STATE.lock:
                bad = STATE.bad
            if bad:
                self.send_error(503)
                return
            body = render_second().encode()
        elif self.path == "/metrics":
            body = render().encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path not in ("/state/bad", "/state/good"):
            self.send_error(404)
            return
        with STATE.lock:
            STATE.bad = self.path == "/state/bad"
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
