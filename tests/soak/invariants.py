"""The chaos soak's invariants, as pure functions of what the soak recorded: the truth timeline,
the windows in which the exporter could see the org, every request the webhook receiver got,
the exporter's lives (how each ended, its log) and its memory samples.

Each check returns a Result: a name, the problems found (sentences with the evidence) and a few
numbers for the report. Nothing here reads a clock or the network.
"""

import datetime
import json
import re
import statistics

import timeline as tl
import truth_check

INF = float("inf")


class Result:
    def __init__(self, name, problems=None, stats=None):
        self.name = name
        self.problems = problems or []
        self.stats = stats or {}

    @property
    def ok(self):
        return not self.problems


def iso_seconds(s):
    """Unix seconds of an ISO-8601 UTC time such as 2026-09-21T14:15:20.123Z."""
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def windows_for(visible, alertname):
    """`visible` is one list of windows for every alert, or {alertname: windows}."""
    return visible[alertname] if isinstance(visible, dict) else visible


def fmt(t, t0):
    return "never" if t is None else f"{t - t0:.1f}s"


# ---------------------------------------------------------------------------- the webhook record

class HookAlert:
    """One alert of one webhook request (a group message lists several)."""

    def __init__(self, record, alert):
        self.time = record["time"]
        self.accepted = 200 <= record.get("status", 200) < 300
        self.webhook_id = record["headers"].get("webhook-id")
        self.status = alert.get("status")
        self.labels = alert.get("labels") or {}
        self.identity = truth_check.alert_identity(self.labels)
        self.alertname = self.labels.get("alertname", "")
        self.created = iso_seconds(alert["timestamp"])
        self.starts = iso_seconds(alert["startsAt"]) if alert.get("startsAt") else None
        self.ends = iso_seconds(alert["endsAt"]) if alert.get("endsAt") else None


def hook_alerts(records):
    out = []
    for rec in records:
        body = rec.get("body")
        if not isinstance(body, dict):
            continue
        for a in body["alerts"] if isinstance(body.get("alerts"), list) else [body]:
            out.append(HookAlert(rec, a))
    return out


def _without_send_time(raw):
    """The body with every "timestamp" (the time it was made, not what it says) left out."""
    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k != "timestamp"}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    try:
        return json.dumps(strip(json.loads(raw)), sort_keys=True)
    except ValueError:
        return raw


def check_webhook_ids(records, kill_times):
    """Every request has a webhook-id; one id always carries the same body (retries and
    restarts re-send, never re-create); every id is accepted (2xx) in the end, so nothing the
    exporter spooled and tried was lost."""
    problems = []
    by_id = {}
    for rec in records:
        wid = rec["headers"].get("webhook-id")
        if not wid:
            problems.append(f"request at {rec['time']:.1f} without webhook-id: headers {sorted(rec['headers'])}")
            continue
        by_id.setdefault(wid, []).append(rec)
    retried = across_restart = accepted_twice = 0
    for wid, recs in by_id.items():
        # Ids are derived from the message (docs/alerting.md, "Message ids"): a
        # message announced again after a kill -9 (its state not saved yet) carries the
        # same id with a new send `timestamp`; anything else must be the same.
        bodies = {_without_send_time(r["raw"]) for r in recs}
        if len(bodies) > 1:
            problems.append(f"{wid}: {len(bodies)} different bodies under one webhook-id")
        ok = [r for r in recs if 200 <= r.get("status", 200) < 300]
        if not ok:
            problems.append(f"{wid}: {len(recs)} attempts, none accepted (statuses "
                            f"{sorted({r.get('status') for r in recs})}): the notification was lost")
            continue
        retried += len(recs) > 1
        accepted_twice += len(ok) > 1
        first, accepted = recs[0]["time"], ok[0]["time"]
        across_restart += any(first < k < accepted for k in kill_times)
    return Result("stable webhook-id, nothing lost", problems, {
        "requests": len(records), "webhook_ids": len(by_id), "retried_ids": retried,
        "ids_delivered_across_a_kill": across_restart, "ids_accepted_twice": accepted_twice})


# ---------------------------------------------------------------------------- alerts vs the truth

def first_end_since(intervals, start, end, since):
    """The first real end of the condition, at or after `since`, in the episode start..end. An
    episode merges intervals across gaps shorter than the slack, but the exporter may still
    have seen such a gap and rightly resolved there; a resolve before the episode's last firing
    began does not count, since that firing must be resolved in turn."""
    ends = [ie for is_, ie in intervals if ie is not None and start <= is_ and since <= ie <= end]
    return min(ends, default=end)


def check_delivery(timeline, visible, alerts, p):
    """Every condition that the exporter could see for longer than the rule's `for` plus the
    detection slack produced an accepted "firing" notification (startsAt inside the episode);
    every such alert whose condition then ended, visibly, produced an accepted "resolved"."""
    problems = []
    fired_ok = [a for a in alerts if a.accepted and a.status == "firing" and a.starts is not None]
    resolved_ok = [a for a in alerts if a.accepted and a.status == "resolved" and a.ends is not None]
    by_ident = {}
    for a in fired_ok + resolved_ok:
        by_ident.setdefault(a.identity, []).append(a)
    n = {"episodes": 0, "firing_required": 0, "firing_delivered": 0, "resolved_required": 0,
         "resolved_delivered": 0}
    t0, end = timeline.first, p["observe_end"]
    for ident, intervals in sorted(timeline.intervals.items()):
        name = ident.split("{", 1)[0]
        need = p["for_s"][name] + p["slack"]
        seen_by = windows_for(visible, name)
        eps = tl.episodes(intervals, seen_by, p["slack"])
        mine = by_ident.get(ident, [])
        for i, (s, e) in enumerate(eps):
            if s >= end:
                continue
            n["episodes"] += 1
            until = end if e is None else min(e, end)
            seen = tl.longest_within(seen_by, s, until)
            fired = [a for a in mine if a.status == "firing" and s - p["tol"] <= a.starts <= (INF if e is None else e) + p["tol"]]
            if seen >= need:
                n["firing_required"] += 1
                if fired:
                    n["firing_delivered"] += 1
                else:
                    problems.append(f"{ident} ({timeline.descriptions.get(ident)}): true {fmt(s, t0)}..{fmt(e, t0)}, "
                                    f"visible for {seen:.1f}s (>= {need:.0f}s), but no accepted firing notification")
            if not fired or e is None or e >= end:
                continue
            nxt = eps[i + 1][0] if i + 1 < len(eps) else None
            gap_end = end if nxt is None else min(nxt, end)
            if tl.longest_within(seen_by, e, gap_end) < p["slack"] + p["group_interval"]:
                continue
            n["resolved_required"] += 1
            last_start = max(a.starts for a in fired)
            ended = first_end_since(intervals, s, e, last_start - p["tol"])
            resolved = [a for a in mine if a.status == "resolved" and ended - p["tol"] <= a.ends <= (INF if nxt is None else nxt) + p["tol"]]
            if resolved:
                n["resolved_delivered"] += 1
            else:
                held = ", ".join(f"{fmt(a, t0)}..{fmt(b, t0)}" for a, b in intervals
                                 if s <= a and b is not None and b <= e)
                problems.append(f"{ident}: fired (last startsAt {fmt(last_start, t0)}), condition held {held} "
                                f"and stayed clear (visible) until {fmt(nxt, t0)}, but no accepted resolved "
                                f"notification with endsAt from {fmt(ended - p['tol'], t0)}")
    return Result("every visible state change longer than `for` reached the receiver", problems, n)


def distinct(alerts, status, alertnames):
    """The alerts of that status and those names, once per (webhook-id, identity): a retry is
    the same claim made again."""
    seen = set()
    for a in alerts:
        key = (a.webhook_id, a.identity)
        if a.status == status and a.alertname in alertnames and key not in seen:
            seen.add(key)
            yield a


def check_false_resolves(timeline, alerts, lives, p):
    """A resolved notification only for an alert whose condition really ended: none may fall in
    a time during which the truth held the condition from `lag` before to `tol` after it."""
    problems, count = [], 0
    t0 = timeline.first
    for a in distinct(alerts, "resolved", p["for_s"]):
        count += 1
        r = a.ends
        if r is None or r - p["lag"] < timeline.first:
            continue
        for s, e in timeline.intervals.get(a.identity, []):
            if s <= r - p["lag"] and (e is None or e >= r + p["tol"]):
                life = next((lv for lv in lives if lv["started"] <= r and (lv["ended"] is None or r < lv["ended"])), None)
                since = f", {r - life['started']:.1f}s after exporter life #{life['n']} started" if life else ""
                problems.append(f"{a.identity}: resolved at {fmt(r, t0)}{since}, but the condition held "
                                f"{fmt(s, t0)}..{fmt(e, t0)} ({timeline.descriptions.get(a.identity)})")
                break
    return Result("no false resolve", problems, {"resolved_notifications": count})


def check_false_firing(timeline, visible, alerts, p):
    """A firing alert in a notification had its condition true recently: at the message's time,
    or within the detection slack before it, or the exporter could not have seen it end."""
    problems, count = [], 0
    t0 = timeline.first
    for a in distinct(alerts, "firing", p["for_s"]):
        count += 1
        t = a.created
        if t - p["slack"] < timeline.first:
            continue
        ivs = timeline.intervals.get(a.identity, [])
        if any(s <= t + p["tol"] and (e is None or e >= t - p["slack"]) for s, e in ivs):
            continue
        ended = [e for s, e in ivs if e is not None and e < t]
        if not ended:
            problems.append(f"{a.identity}: firing at {fmt(t, t0)}, but its condition was never true before")
        elif tl.longest_within(windows_for(visible, a.alertname), max(ended), t) >= p["slack"]:
            problems.append(f"{a.identity}: firing at {fmt(t, t0)}, {t - max(ended):.1f}s after its condition "
                            f"ended at {fmt(max(ended), t0)}")
    return Result("no false firing", problems, {"firing_notifications": count})


# ------------------------------------------------------------------------------- the process

CRASH_PATTERNS = re.compile(
    r"AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:|"
    r"terminate called|Assertion .* failed|Aborted|Segmentation fault|stack smashing|double free|"
    r"free\(\): invalid|corrupted (size|double-linked)|level=fatal")


def check_crashes(lives):
    """No life ended except by the soak's own kill -9 or SIGTERM; SIGTERM exits 0; no log has
    a sanitizer report or an abort message."""
    problems = []
    kinds = {}
    for lv in lives:
        kinds[lv["how"]] = kinds.get(lv["how"], 0) + 1
        if lv["how"] == "crash":
            problems.append(f"exporter life #{lv['n']} (pid {lv['pid']}) exited on its own: {lv['rc_text']}")
        elif lv["how"] == "sigterm" and lv["rc"] != 0:
            problems.append(f"exporter life #{lv['n']} exited {lv['rc_text']} after SIGTERM (want 0)")
        elif lv["how"] == "kill9" and lv["rc"] != -9:
            problems.append(f"exporter life #{lv['n']}: {lv['rc_text']} instead of SIGKILL (it had already exited?)")
        for line in lv.get("log_lines", []):
            if CRASH_PATTERNS.search(line):
                problems.append(f"exporter life #{lv['n']} log: {line.strip()[:300]}")
    return Result("no crash", problems, {"lives": len(lives), **{f"ended_by_{k}": v for k, v in kinds.items()}})


def check_memory(samples, p):
    """RSS stays under the ceiling, and the longest life shows no steady growth: after its
    warm-up, the median of its last third is within the allowance of the median of its first."""
    problems = []
    if not samples:
        return Result("memory bounded", ["no RSS sample taken"])
    _, life, peak = max(samples, key=lambda s: s[2])
    by_life = {}
    for t, n, kib in samples:
        by_life.setdefault(n, []).append((t, kib))
    n, rows = max(by_life.items(), key=lambda kv: kv[1][-1][0] - kv[1][0][0])
    span = rows[-1][0] - rows[0][0]
    stats = {"peak_rss_mib": round(peak / 1024, 1), "longest_life_s": round(span), "samples": len(samples)}
    if not p.get("judge_memory", True):
        stats["judged"] = "no (a sanitizer build holds freed memory in quarantine)"
        return Result("memory bounded", [], stats)
    if peak > p["rss_ceiling_mib"] * 1024:
        problems.append(f"peak RSS {peak / 1024:.1f} MiB (life #{life}) above the ceiling {p['rss_ceiling_mib']} MiB")
    rows = [r for r in rows if r[0] >= rows[0][0] + p["warmup_s"]]
    if span < p["growth_min_span_s"] or len(rows) < 9:
        stats["growth"] = f"not judged (longest life {span:.0f}s < {p['growth_min_span_s']}s)"
        return Result("memory bounded", problems, stats)
    third = len(rows) // 3
    first = statistics.median(k for _, k in rows[:third])
    last = statistics.median(k for _, k in rows[-third:])
    allowance = max(p["growth_abs_mib"] * 1024, p["growth_frac"] * first)
    stats.update(first_third_mib=round(first / 1024, 1), last_third_mib=round(last / 1024, 1))
    if last - first > allowance:
        problems.append(f"life #{n}: RSS grew from {first / 1024:.1f} MiB (median, first third) to "
                        f"{last / 1024:.1f} MiB (last third) over {span:.0f}s; allowed {allowance / 1024:.1f} MiB")
    return Result("memory bounded", problems, stats)
