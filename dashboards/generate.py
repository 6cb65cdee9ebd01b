#!/usr/bin/env python3
"""Writes dashboards/genesys-overview.json, the Grafana overview of genesys_exporter.

The JSON is generated so that every query gets the same label filter and the layout stays
consistent; edit this file, run it, and commit both. `generate.py --check` exits 1 when the JSON
is out of date (tests/scripts/dashboards_test.sh runs it).

Queries use only raw contract metrics (no recording rules), so the dashboard works without
rules/ loaded. Every selector carries job=~"$job",instance=~"$instance": there is no hard-coded
job. Targets that are empty in a healthy org (no 429s, no retries yet...) carry
"gxMayBeEmpty": true, which Grafana ignores and tests/scripts/lib/panel_queries.py reports.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "genesys-overview.json")
DS = {"type": "prometheus", "uid": "${datasource}"}
FILTER = 'job=~"$job",instance=~"$instance"'
SITE = 'site=~"$site"'
CODE_429 = 'code="429"'
CODE_NOT_2XX = 'code!~"2.."'


def m(name, *matchers):
    """A metric selector with the dashboard's filter and extra matchers."""
    return name + "{" + ",".join((FILTER,) + matchers) + "}"


def success_ratio(window, by=""):
    """Share of registration observations in which the phone was registered."""
    grp = f" by ({by})" if by else ""
    checks = f"sum{grp} (rate({m('genesys_phone_registration_checks_total', SITE)}[{window}]))"
    fails = f"sum{grp} (rate({m('genesys_phone_registration_failures_total', SITE)}[{window}]))"
    return f"1 - (({fails} or {checks} * 0) / ({checks} > 0))"


def trunk_name(expr):
    """Copies trunk_name (and type) onto a per-trunk_id expression."""
    return (f"{expr} * on (trunk_id) group_left (trunk_name) "
            f"max by (trunk_id, trunk_name) ({m('genesys_trunk_info')})")


def exporter_only(expr):
    """Keeps the process_* series of genesys_exporter targets only: every target has them."""
    return (f"{expr} * on (job, instance) group_left () "
            f"max by (job, instance) ({m('genesys_exporter_build_info')})")


class Builder:
    def __init__(self):
        self.panels = []
        self.next_id = 1
        self.y = 0
        self.x = 0
        self.row_h = 0

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "collapsed": False, "id": self._id(),
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def _newline(self):
        if self.x:
            self.y += self.row_h
            self.x = 0
            self.row_h = 0

    def _place(self, w, h):
        if self.x + w > 24:
            self._newline()
        pos = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def panel(self, kind, title, targets, w=8, h=8, description="", unit=None, options=None,
              field=None, overrides=None, transformations=None, mappings=None, thresholds=None):
        defaults = {}
        if unit:
            defaults["unit"] = unit
        if mappings:
            defaults["mappings"] = mappings
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}
            defaults["color"] = {"mode": "thresholds"}
        if field:
            defaults.update(field)
        p = {
            "type": kind,
            "title": title,
            "id": self._id(),
            "gridPos": self._place(w, h),
            "datasource": DS,
            "description": description,
            "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": options or {},
            "targets": [],
        }
        if transformations:
            p["transformations"] = transformations
        for i, t in enumerate(targets):
            if isinstance(t, str):
                t = {"expr": t}
            tgt = {"datasource": DS, "refId": chr(ord("A") + i), "expr": t["expr"],
                   "legendFormat": t.get("legend", "__auto")}
            if kind in ("table", "stat", "bargauge") and not t.get("range"):
                tgt.update({"instant": True, "range": False})
            else:
                tgt.update({"instant": False, "range": True})
            if kind == "table":
                tgt["format"] = "table"
            if t.get("may_be_empty"):
                tgt["gxMayBeEmpty"] = True
            p["targets"].append(tgt)
        self.panels.append(p)
        return p


def up_down(ok="Up", bad="Down"):
    return [{"type": "value", "options": {
        "1": {"text": ok, "color": "green", "index": 0},
        "0": {"text": bad, "color": "red", "index": 1}}}]


RED_GREEN = [{"color": "red", "value": None}, {"color": "green", "value": 1}]


def table(b, title, targets, w=12, h=8, description="", rename=None, hide=None, overrides=None,
          unit=None, mappings=None, thresholds=None):
    exclude = {"Time": True}
    for k in hide or []:
        exclude[k] = True
    trans = [{"id": "merge", "options": {}},
             {"id": "organize", "options": {"excludeByName": exclude, "renameByName": rename or {}}}]
    return b.panel("table", title, targets, w=w, h=h, description=description,
                   transformations=trans, overrides=overrides, unit=unit, mappings=mappings,
                   thresholds=thresholds,
                   options={"showHeader": True, "cellHeight": "sm",
                            "footer": {"show": False, "reducer": ["sum"], "fields": ""}})


def col(name, **props):
    """A field override for one table column."""
    return {"matcher": {"id": "byName", "options": name},
            "properties": [{"id": k, "value": v} for k, v in props.items()]}


def stat(b, title, targets, w=4, h=4, **kw):
    opts = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background", "graphMode": "none", "textMode": "auto",
            "justifyMode": "auto", "orientation": "auto"}
    return b.panel("stat", title, targets, w=w, h=h, options=opts, **kw)


def series(b, title, targets, w=12, h=8, stack=False, **kw):
    opts = {"legend": {"displayMode": "table", "placement": "right", "showLegend": True,
                       "calcs": ["lastNotNull"]},
            "tooltip": {"mode": "multi", "sort": "desc"}}
    field = {"custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                        "showPoints": "never", "spanNulls": False,
                        "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}
    return b.panel("timeseries", title, targets, w=w, h=h, options=opts, field=field, **kw)


def build():
    b = Builder()
    ri = "$__rate_interval"

    b.row("Overview")
    stat(b, "Genesys API", [m("genesys_up")], mappings=up_down(),
         description="genesys_up: the last attempt to authenticate and call the Genesys Cloud API succeeded.")
    stat(b, "Registration success", [
        {"expr": success_ratio("5m"), "legend": "5m"},
        {"expr": success_ratio("1h"), "legend": "1h"},
        {"expr": success_ratio("24h"), "legend": "24h"},
    ], w=6, unit="percentunit",
        thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.9},
                    {"color": "green", "value": 0.99}],
        description="Share of phone registration observations (polled or pushed) in which the phone was registered, over 5 minutes, 1 hour and 24 hours.")
    stat(b, "Lines registered", [
        f"sum({m('genesys_phone_lines_reachable', SITE)}) / sum({m('genesys_phone_lines', SITE)})"],
        unit="percentunit",
        thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.5},
                    {"color": "green", "value": 0.9}],
        description="Registered (reachable) lines among all known lines of the selected sites.")
    stat(b, "Trunks by health", [
        {"expr": f"sum by (state) ({m('genesys_trunk_health')})", "legend": "{{state}}"}],
        w=6, thresholds=[{"color": "blue", "value": None}],
        description="Number of trunks in each carrier health state.")
    stat(b, "Notification stream", [m("genesys_notifications_connected")],
         mappings=up_down("Connected", "Down"),
         description="1 when every notification channel's socket is open and its heartbeats are fresh.")

    # The pollers are "sources"; the metric names keep "collector" (they are a contract).
    table(b, "Sources", [
        f"max by (collector) ({m('genesys_collector_up')})",
        f"time() - max by (collector) ({m('genesys_collector_last_success_timestamp_seconds')})",
        f"max by (collector) ({m('genesys_collector_duration_seconds')})",
    ], w=10, h=8, rename={"Value #A": "up", "Value #B": "since last success",
                          "Value #C": "last run"},
        overrides=[col("up", mappings=up_down(), **{"custom.cellOptions": {"type": "color-background"}}),
                   col("since last success", unit="s"), col("last run", unit="s")],
        description="Each source's (poller's) last result, the time since its last successful run and how long that "
                    "run took.")
    stat(b, "Exporter alerts firing", [
        {"expr": f"sum({m('genesys_alerts_firing')}) or vector(0)", "legend": "firing"}],
        w=4, h=8, thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}],
        description="Alerts firing now in the exporter's own evaluator (the ones it sends to webhooks).")
    table(b, "Exporter alerts by name", [
        {"expr": f"sum by (alertname, severity) ({m('genesys_alerts_firing')}) > 0",
         "may_be_empty": True}],
        w=10, h=8, rename={"Value": "firing"},
        description="Alerts firing in the exporter's own evaluator, by name and severity.")

    b.row("Registration")
    series(b, "Registration success rate per site", [
        {"expr": success_ratio(ri, "site"), "legend": "{{site}}"}],
        unit="percentunit",
        description="Share of registration observations in which the phone was registered, per site.")
    b.panel("table", "Phones by status per site", [
        f"sum by (site, status) ({m('genesys_phones', SITE)})"],
        w=12, h=8, description="Phones per site by operationalStatus.",
        options={"showHeader": True, "cellHeight": "sm"},
        transformations=[
            {"id": "groupingToMatrix", "options": {"columnField": "status", "rowField": "site",
                                                   "valueField": "Value"}},
            {"id": "organize", "options": {"renameByName": {"site\\status": "site"}}}])
    series(b, "Registered lines ratio per site", [
        {"expr": f"sum by (site) ({m('genesys_phone_lines_reachable', SITE)}) / "
                 f"(sum by (site) ({m('genesys_phone_lines', SITE)}) > 0)",
         "legend": "{{site}}"}],
        unit="percentunit",
        description="Registered (reachable) lines among the known lines of each site.")
    table(b, "Reachable lines per site", [
        f"sum by (site) ({m('genesys_phone_lines_reachable', SITE)})",
        f"sum by (site) ({m('genesys_phone_lines', SITE)})",
    ], rename={"Value #A": "reachable", "Value #B": "lines"},
        description="Registered and known phone lines per site.")
    series(b, "Line transitions", [
        {"expr": f"sum by (site, to) (increase({m('genesys_phone_line_transitions_total', SITE)}[{ri}]))",
         "legend": "{{site}} to {{to}}", "may_be_empty": True}],
        description="Lines that became reachable or unreachable, counted once per real change.")
    table(b, "Followed users", [f"max by (user_id) ({m('genesys_user_registered')})"],
          rename={"Value": "registered"},
          overrides=[col("registered", mappings=up_down("Registered", "Unregistered"),
                         **{"custom.cellOptions": {"type": "color-background"}})],
          description="Each configured user: registered when the associated station's phone is registered.")
    table(b, "Phones of followed users and per-phone registration", [
        {"expr": f"max by (site, phone_name, phone_id) ({m('genesys_phone_registered', SITE)})",
         "may_be_empty": True}],
        rename={"Value": "registered"},
        overrides=[col("registered", mappings=up_down("Registered", "Unregistered"),
                       **{"custom.cellOptions": {"type": "color-background"}})],
        description="Per-phone registration: the phones of configured users, and every phone when per_phone is on.")

    b.row("Carriers (trunks)")
    table(b, "Trunk health", [
        trunk_name(f"max by (trunk_id, state) ({m('genesys_trunk_health')} == 1)"),
        f"max by (trunk_id) ({m('genesys_trunk_connected')})",
        f"max by (trunk_id) ({m('genesys_trunk_in_service')})",
        f"max by (trunk_id) ({m('genesys_trunk_enabled')})",
        f"time() - max by (trunk_id) ({m('genesys_trunk_connected_state_change_timestamp_seconds')})",
        f"max by (trunk_id) ({m('genesys_trunk_qos_mismatches')})",
    ], w=24, h=8, hide=["Value #A"],
        rename={"Value #B": "connected", "Value #C": "in service", "Value #D": "enabled",
                "Value #E": "since connection change", "Value #F": "QoS mismatches (24h)"},
        overrides=[col("connected", mappings=up_down("yes", "no")),
                   col("in service", mappings=up_down("yes", "no")),
                   col("enabled", mappings=up_down("yes", "no")),
                   col("since connection change", unit="s"),
                   col("state", mappings=[{"type": "value", "options": {
                       "up": {"color": "green", "index": 0},
                       "degraded": {"color": "orange", "index": 1},
                       "down": {"color": "red", "index": 2}}}],
                       **{"custom.cellOptions": {"type": "color-background"}})],
        description="Carrier health per trunk (down: not connected, not in service or every proxy down; degraded: a proxy down or QoS mismatches above the threshold).")
    table(b, "Per-proxy SIP OPTIONS state", [
        trunk_name(f"max by (trunk_id, proxy) ({m('genesys_trunk_options_up')})"),
        f"time() - max by (trunk_id, proxy) ({m('genesys_trunk_options_state_change_timestamp_seconds')})",
    ], rename={"Value #A": "OPTIONS", "Value #B": "since change"},
        overrides=[col("OPTIONS", mappings=up_down(),
                       **{"custom.cellOptions": {"type": "color-background"}}),
                   col("since change", unit="s")],
        description="SIP OPTIONS ping state of each proxy of each trunk, and the time since it last changed.")
    table(b, "Per-proxy SIP REGISTER state", [
        {"expr": trunk_name(f"max by (trunk_id, proxy) ({m('genesys_trunk_register_up')})"),
         "may_be_empty": True},
        {"expr": f"time() - max by (trunk_id, proxy) ({m('genesys_trunk_register_state_change_timestamp_seconds')})",
         "may_be_empty": True},
    ], rename={"Value #A": "REGISTER", "Value #B": "since change"},
        overrides=[col("REGISTER", mappings=up_down(),
                       **{"custom.cellOptions": {"type": "color-background"}}),
                   col("since change", unit="s")],
        description="SIP REGISTER state of each proxy of trunks that register; empty when no trunk registers.")
    series(b, "Trunks by health over time", [
        {"expr": f"sum by (state) ({m('genesys_trunk_health')})", "legend": "{{state}}"}],
        w=8, stack=True, description="Number of trunks in each carrier health state.")
    series(b, "Trunk calls", [
        {"expr": trunk_name(f"sum by (trunk_id, direction) ({m('genesys_trunk_calls')})"),
         "legend": "{{trunk_name}} {{direction}}"}],
        w=8, stack=True, description="Current calls per trunk and direction.")
    series(b, "QoS mismatches (24h window)", [
        {"expr": trunk_name(f"max by (trunk_id) ({m('genesys_trunk_qos_mismatches')})"),
         "legend": "{{trunk_name}}"}],
        w=8, description="QoS mismatches per trunk in the API's sliding 24 hour window.")

    b.row("TLS certificates (carrier SIP-TLS hosts)")
    days = [{"color": "red", "value": None}, {"color": "orange", "value": 7},
            {"color": "green", "value": 30}]
    table(b, "Certificates", [
        f"min by (target) (({m('genesys_tls_earliest_cert_expiry_timestamp_seconds')} - time()) / 86400)",
        f"max by (target) ({m('genesys_tls_cert_verified')})",
        f"max by (target) ({m('genesys_tls_probe_success')})",
        f"max by (target) ({m('genesys_tls_probe_duration_seconds')})",
        f"max by (target, verify_result, tls_version) ({m('genesys_tls_probe_info')})",
        f"max by (target, source, trunk_id) ({m('genesys_tls_target_info')})",
    ], w=24, h=8, hide=["Value #E", "Value #F"],
        rename={"Value #A": "days left", "Value #B": "verified", "Value #C": "probe",
                "Value #D": "probe duration"},
        overrides=[col("days left", decimals=1, thresholds={"mode": "absolute", "steps": days},
                       **{"custom.cellOptions": {"type": "color-background"}}),
                   col("verified", mappings=up_down("yes", "no")),
                   col("probe", mappings=up_down("ok", "failing")),
                   col("probe duration", unit="s")],
        description="One row per TLS target (host:port): days until the earliest certificate expires, verification, probe result and where the target came from.")
    table(b, "Certificate chain", [
        f"max by (target, position, subject_cn, issuer_cn, serial) "
        f"(({m('genesys_tls_cert_not_after_timestamp_seconds')} - time()) / 86400)",
        f"max by (target, position, subject_cn, issuer_cn, serial) "
        f"({m('genesys_tls_cert_not_before_timestamp_seconds')}) * 1000",
    ], w=24, h=8, rename={"Value #A": "days left", "Value #B": "not before"},
        overrides=[col("days left", decimals=1, thresholds={"mode": "absolute", "steps": days},
                       **{"custom.cellOptions": {"type": "color-background"}}),
                   col("not before", unit="dateTimeAsIso")],
        description="Every certificate presented by each target (position 0 is the leaf), with days left.")

    b.row("Edges")
    table(b, "Edges", [
        f"max by (edge_id, edge_name, site, software_version) ({m('genesys_edge_info', SITE)})",
        f"max by (edge_id) ({m('genesys_edge_online')})",
        f"max by (edge_id) ({m('genesys_edge_uptime_seconds')})",
    ], w=16, h=8, hide=["Value #A"], rename={"Value #B": "online", "Value #C": "uptime"},
        overrides=[col("online", mappings=up_down("ONLINE", "offline"),
                       **{"custom.cellOptions": {"type": "color-background"}}),
                   col("uptime", unit="s")],
        description="Each edge with its site, software version, online status and uptime.")
    stat(b, "Edges online", [
        {"expr": f"sum({m('genesys_edge_online')})", "legend": "online"},
        {"expr": f"count({m('genesys_edge_online')})", "legend": "known"}],
        w=8, h=8, thresholds=[{"color": "blue", "value": None}],
        description="Edges that are ONLINE, out of all known edges.")

    b.row("Notification stream")
    stat(b, "Stream", [
        {"expr": m("genesys_notifications_connected"), "legend": "connected"},
        {"expr": m("genesys_notifications_channels"), "legend": "channels"},
        {"expr": m("genesys_notifications_subscribed_topics"), "legend": "topics"},
        {"expr": f"time() - {m('genesys_notifications_last_message_timestamp_seconds')}",
         "legend": "since last message"},
    ], w=8, h=8, thresholds=[{"color": "blue", "value": None}],
        overrides=[col("since last message", unit="s")],
        description="WebSocket notification channels: connected, channels, subscribed topics, seconds since the last message (heartbeats included).")
    series(b, "Events by topic kind", [
        {"expr": f"sum by (topic_kind) (rate({m('genesys_notifications_events_total')}[{ri}]))",
         "legend": "{{topic_kind}}"}],
        w=8, unit="ops", description="Pushed events per second, by kind of topic.")
    series(b, "Reconnects and malformed messages", [
        {"expr": f"sum by (reason) (increase({m('genesys_notifications_reconnects_total')}[{ri}]))",
         "legend": "reconnect: {{reason}}", "may_be_empty": True},
        {"expr": f"sum(increase({m('genesys_notifications_malformed_messages_total')}[{ri}]))",
         "legend": "malformed"}],
        w=8, description="Reconnects by reason, and messages that could not be parsed.")

    b.row("Genesys API")
    series(b, "API requests by code", [
        {"expr": f"sum by (code) (rate({m('genesys_api_requests_total')}[{ri}]))",
         "legend": "{{code}}"}],
        w=8, unit="reqps", stack=True, description="API answers per second by HTTP status (error: transport failure).")
    series(b, "429 responses and retries", [
        {"expr": f"sum by (endpoint) (rate({m('genesys_api_requests_total', CODE_429)}[{ri}]))",
         "legend": "429 {{endpoint}}", "may_be_empty": True},
        {"expr": f"sum by (reason) (rate({m('genesys_api_retries_total')}[{ri}]))",
         "legend": "retry: {{reason}}", "may_be_empty": True}],
        w=8, unit="reqps", description="Rate-limited answers per endpoint, and retries by reason.")
    series(b, "API errors", [
        {"expr": f"sum by (endpoint, code) (rate({m('genesys_api_requests_total', CODE_NOT_2XX)}[{ri}]))",
         "legend": "{{code}} {{endpoint}}", "may_be_empty": True}],
        w=8, unit="reqps", description="Answers other than 2xx, per endpoint and status.")
    series(b, "API latency (p95)", [
        {"expr": f"histogram_quantile(0.95, sum by (le, endpoint) "
                 f"(rate({m('genesys_api_request_duration_seconds_bucket')}[{ri}])))",
         "legend": "{{endpoint}}"}],
        w=8, unit="s", description="95th percentile of API request durations, per endpoint.")
    series(b, "Rate-limit budget left", [
        {"expr": f"min({m('genesys_api_rate_limit_remaining')})", "legend": "remaining"}],
        w=8, description="Requests left in the current window (inin-ratelimit headers, or the client-side budget).")
    series(b, "Source run time", [
        {"expr": f"max by (collector) ({m('genesys_collector_duration_seconds')})",
         "legend": "{{collector}}"}],
        w=8, unit="s", description="Wall time of each source's last run.")
    stat(b, "OAuth token", [
        {"expr": f"min({m('genesys_oauth_token_expiry_timestamp_seconds')}) - time()",
         "legend": "expires in"},
        {"expr": f"sum(increase({m('genesys_oauth_token_requests_total')}[$__range]))",
         "legend": "token requests"},
        {"expr": f"sum(increase({m('genesys_oauth_token_failures_total')}[$__range]))",
         "legend": "token failures"}],
        w=24, h=4, thresholds=[{"color": "blue", "value": None}],
        overrides=[col("expires in", unit="s")],
        description="Time until the current OAuth token expires, and token requests and failures over the dashboard's time range.")

    b.row("Webhook delivery")
    series(b, "Webhook deliveries", [
        {"expr": f"sum by (receiver) (increase({m('genesys_webhook_notifications_total')}[{ri}]))",
         "legend": "delivered {{receiver}}"},
        {"expr": f"sum by (receiver) (increase({m('genesys_webhook_notification_failures_total')}[{ri}]))",
         "legend": "failed {{receiver}}", "may_be_empty": True},
        {"expr": f"sum by (receiver) (increase({m('genesys_webhook_dead_letters_total')}[{ri}]))",
         "legend": "dead letter {{receiver}}", "may_be_empty": True}],
        description="Notifications delivered, failed attempts, and notifications given up, per receiver.")
    series(b, "Webhook queue", [
        {"expr": f"sum by (receiver) ({m('genesys_webhook_queue_length')})",
         "legend": "{{receiver}}"}],
        description="Notifications waiting per receiver, the on-disk spool included.")

    b.row("Exporter process")
    series(b, "Exporter memory", [
        {"expr": exporter_only(m('process_resident_memory_bytes')),
         "legend": "resident {{instance}}"},
        {"expr": exporter_only(m('process_virtual_memory_bytes')),
         "legend": "virtual {{instance}}"}],
        w=8, unit="bytes", description="Resident and virtual memory of the exporter process.")
    series(b, "Exporter CPU", [
        {"expr": exporter_only(f"rate({m('process_cpu_seconds_total')}[{ri}])"),
         "legend": "{{instance}}"}],
        w=8, unit="percentunit", description="CPU used by the exporter process (1 = one core).")
    table(b, "Exporter build", [
        f"max by (job, instance, version, revision, compiler) ({m('genesys_exporter_build_info')})",
        exporter_only(f"max by (job, instance) ({m('process_open_fds')})"),
        exporter_only(f"max by (job, instance) ({m('process_max_fds')})"),
        exporter_only(f"time() - max by (job, instance) ({m('process_start_time_seconds')})"),
    ], w=8, hide=["Value #A"],
        rename={"Value #B": "open fds", "Value #C": "max fds", "Value #D": "uptime"},
        overrides=[col("uptime", unit="s")],
        description="Version of each exporter instance, its open and maximum file descriptors, and uptime.")
    b._newline()
    return b.panels


def variable_query(name, label, query, regex_label, multi=True):
    return {
        "type": "query", "name": name, "label": label, "datasource": DS,
        "query": {"query": f"label_values({query}, {regex_label})", "refId": f"{name}-values"},
        "definition": f"label_values({query}, {regex_label})",
        "refresh": 2, "sort": 1, "multi": multi, "includeAll": True, "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [], "hide": 0, "regex": "",
    }


def dashboard():
    return {
        "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "",
                      "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}],
        "__elements": {},
        "__requires": [
            {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "9.0.0"},
            {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
            {"type": "panel", "id": "stat", "name": "Stat", "version": ""},
            {"type": "panel", "id": "table", "name": "Table", "version": ""},
            {"type": "panel", "id": "timeseries", "name": "Time series", "version": ""},
        ],
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "description": "Genesys Cloud telephony as seen by genesys_exporter: registration, trunks, TLS certificates, edges, the notification stream, the API budget and webhook delivery.",
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "liveNow": False,
        "panels": build(),
        "refresh": "30s",
        "schemaVersion": 37,
        "style": "dark",
        "tags": ["genesys", "telephony", "genesys_exporter"],
        "templating": {"list": [
            {"type": "datasource", "name": "datasource", "label": "Data source",
             # Left empty: Grafana then picks the default Prometheus data source. A
             # ${DS_PROMETHEUS} reference would break file provisioning, which never
             # substitutes __inputs (grafana/grafana#10786); the import wizard still offers
             # the choice through __inputs.
             "query": "prometheus", "current": {},
             "hide": 0, "includeAll": False, "multi": False, "options": [], "refresh": 1,
             "regex": ""},
            variable_query("job", "Job", "genesys_up", "job"),
            variable_query("instance", "Instance", 'genesys_up{job=~"$job"}', "instance"),
            variable_query("site", "Site", 'genesys_phones{job=~"$job",instance=~"$instance"}', "site"),
        ]},
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "",
        "title": "Genesys Cloud telephony overview",
        "uid": "genesys-overview",
        "version": 1,
        "weekStart": "",
    }


def render():
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{OUT} is out of date: run dashboards/generate.py", file=sys.stderr)
                return 1
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
