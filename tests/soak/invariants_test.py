#!/usr/bin/env python3
"""The soak's checkers on made-up records: each invariant passes on a correct history and
fails, naming the evidence, on the defect it is there to catch. Hermetic and fast (no process,
no network, no clock)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import invariants  # noqa: E402
import timeline as tl  # noqa: E402

T0 = 1_800_000_000.0
EDGE = "edge_offline{edge_id=e1}"
TLS = "tls_cert_expiry{target=127.0.0.1:5061}"
PARAMS = {"for_s": {"edge_offline": 3, "tls_cert_expiry": 0, "registration_failure": 3,
                    "carrier_degradation": 3},
          "slack": 9, "tol": 1.5, "lag": 3.0, "group_interval": 2, "observe_end": T0 + 200,
          "rss_ceiling_mib": 100, "warmup_s": 30, "growth_min_span_s": 120, "growth_abs_mib": 8,
          "growth_frac": 0.1}


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def record(t, wid, alerts, status=200):
    body = {"alerts": alerts} if len(alerts) > 1 else alerts[0]
    import json
    return {"time": t, "path": "/hook", "headers": {"webhook-id": wid}, "body": body,
            "raw": json.dumps(body, sort_keys=True), "status": status}


def alert(status, labels, created, starts, ends=None):
    a = {"status": status, "labels": labels, "timestamp": iso(created), "startsAt": iso(starts)}
    if ends is not None:
        a["endsAt"] = iso(ends)
    return a


EDGE_LABELS = {"alertname": "edge_offline", "edge_id": "e1", "edge_name": "x", "site": "HQ"}
TLS_LABELS = {"alertname": "tls_cert_expiry", "target": "127.0.0.1:5061"}


def history(edge_down=(T0 + 20, T0 + 60), samples_to=T0 + 200):
    """Truth sampled every second: TLS always true, the edge down in edge_down (one window
    or a list of them)."""
    downs = edge_down if isinstance(edge_down, list) else [edge_down]
    t = tl.Timeline()
    s = T0
    while s <= samples_to:
        cond = {TLS: "tls"}
        if any(a <= s < b for a, b in downs):
            cond[EDGE] = "edge down"
        t.add(s, cond)
        s += 1.0
    return t


class WindowsTest(unittest.TestCase):
    def test_subtract_and_longest(self):
        w = tl.subtract([(0, 100)], [(10, 20), (15, 30), (90, 120)])
        self.assertEqual(w, [(0, 10), (30, 90)])
        self.assertEqual(tl.longest_within(w, 5, 50), 20)

    def test_episodes_merge_gaps_the_exporter_could_not_see(self):
        visible = [(0, 30), (40, 100)]
        # The gap 31..39 falls in a blind window: one episode. The gap 50..70 is visible.
        eps = tl.episodes([(0, 31), (39, 50), (70, None)], visible, 9)
        self.assertEqual(eps, [(0, 50), (70, None)])

    def test_timeline_intervals(self):
        t = history()
        self.assertEqual(t.intervals[EDGE], [[T0 + 20, T0 + 60]])
        self.assertEqual(t.intervals[TLS], [[T0, None]])
        self.assertTrue(t.true_at(EDGE, T0 + 30))
        self.assertFalse(t.true_at(EDGE, T0 + 61))


class DeliveryTest(unittest.TestCase):
    visible = [(T0, T0 + 200)]

    def good_records(self):
        return [record(T0 + 1, "msg_tls", [alert("firing", TLS_LABELS, T0 + 1, T0 + 1)]),
                record(T0 + 25, "msg_a", [alert("firing", EDGE_LABELS, T0 + 25, T0 + 24)]),
                record(T0 + 63, "msg_b", [alert("resolved", EDGE_LABELS, T0 + 63, T0 + 24, T0 + 62)])]

    def test_passes_when_firing_and_resolved_arrive(self):
        r = invariants.check_delivery(history(), self.visible, invariants.hook_alerts(self.good_records()), PARAMS)
        self.assertTrue(r.ok, r.problems)
        self.assertEqual(r.stats["firing_delivered"], 2)
        self.assertEqual(r.stats["resolved_delivered"], 1)

    def test_fails_when_the_firing_was_never_accepted(self):
        recs = self.good_records()
        recs[1]["status"] = 503  # tried once, refused, never accepted
        r = invariants.check_delivery(history(), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("no accepted firing notification", r.problems[0])
        self.assertIn(EDGE, r.problems[0])

    def test_fails_when_the_resolve_is_lost(self):
        recs = self.good_records()[:2]
        r = invariants.check_delivery(history(), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("no accepted resolved notification", r.problems[0])

    def test_a_change_the_exporter_could_not_see_is_not_required(self):
        # The exporter was down (or blind) for the whole outage of the edge.
        visible = [(T0, T0 + 15), (T0 + 65, T0 + 200)]
        recs = [self.good_records()[0]]
        r = invariants.check_delivery(history(), visible, invariants.hook_alerts(recs), PARAMS)
        self.assertTrue(r.ok, r.problems)
        self.assertEqual(r.stats["firing_required"], 1)  # only TLS

    def test_a_fault_that_hides_other_alerts_does_not_excuse_this_one(self):
        visible = {"edge_offline": self.visible, "tls_cert_expiry": self.visible,
                   "carrier_degradation": [(T0, T0 + 15), (T0 + 65, T0 + 200)]}
        recs = [self.good_records()[0]]
        r = invariants.check_delivery(history(), visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn(EDGE, r.problems[0])

    def test_a_flap_shorter_than_for_is_not_required(self):
        t = history(edge_down=(T0 + 20, T0 + 25))
        r = invariants.check_delivery(t, self.visible, invariants.hook_alerts([self.good_records()[0]]), PARAMS)
        self.assertTrue(r.ok, r.problems)

    # Seed 2070446024: the edge came back at 60, went down again 2 s later for a second (shorter
    # than `for`, so nothing to fire), then back for good. The gap is shorter than the slack, so
    # the two outages are one episode; the exporter saw the first end and resolved it there.
    BLIP = [(T0 + 20, T0 + 60), (T0 + 62, T0 + 63)]

    def test_a_resolve_at_a_real_end_inside_a_merged_episode_passes(self):
        recs = self.good_records()[:2] + [
            record(T0 + 61, "msg_b", [alert("resolved", EDGE_LABELS, T0 + 61, T0 + 24, T0 + 60.5)])]
        r = invariants.check_delivery(history(edge_down=self.BLIP), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertTrue(r.ok, r.problems)
        self.assertEqual(r.stats["resolved_delivered"], 1)

    def test_a_resolve_before_a_later_firing_of_the_episode_does_not_count(self):
        # The same short gap, but the condition came back for long: the exporter resolved in
        # the gap, fired again, and the last resolve never arrived. The receiver is left firing.
        t = history(edge_down=[(T0 + 20, T0 + 60), (T0 + 62, T0 + 100)])
        recs = self.good_records()[:2] + [
            record(T0 + 61, "msg_b", [alert("resolved", EDGE_LABELS, T0 + 61, T0 + 24, T0 + 60.5)]),
            record(T0 + 66, "msg_c", [alert("firing", EDGE_LABELS, T0 + 66, T0 + 65)])]
        r = invariants.check_delivery(t, self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("no accepted resolved notification", r.problems[0])
        recs.append(record(T0 + 101, "msg_d", [alert("resolved", EDGE_LABELS, T0 + 101, T0 + 65, T0 + 100.5)]))
        r = invariants.check_delivery(t, self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertTrue(r.ok, r.problems)

    def test_a_resolve_before_the_first_real_end_still_fails(self):
        recs = self.good_records()[:2] + [
            record(T0 + 50, "msg_b", [alert("resolved", EDGE_LABELS, T0 + 50, T0 + 24, T0 + 50)])]
        r = invariants.check_delivery(history(edge_down=self.BLIP), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("no accepted resolved notification", r.problems[0])


class FalseResolveTest(unittest.TestCase):
    lives = [{"n": 1, "started": T0, "ended": T0 + 100}, {"n": 2, "started": T0 + 102, "ended": None}]

    def test_a_resolve_while_the_condition_holds_fails(self):
        recs = [record(T0 + 103, "msg_r", [alert("resolved", TLS_LABELS, T0 + 103, T0 + 1, T0 + 102.5)])]
        r = invariants.check_false_resolves(history(), invariants.hook_alerts(recs), self.lives, PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("after exporter life #2 started", r.problems[0])

    def test_a_resolve_after_the_condition_ended_passes(self):
        recs = [record(T0 + 63, "msg_r", [alert("resolved", EDGE_LABELS, T0 + 63, T0 + 24, T0 + 61)])]
        r = invariants.check_false_resolves(history(), invariants.hook_alerts(recs), self.lives, PARAMS)
        self.assertTrue(r.ok, r.problems)


class FalseFiringTest(unittest.TestCase):
    visible = [(T0, T0 + 200)]

    def test_firing_long_after_the_condition_ended_fails(self):
        recs = [record(T0 + 100, "msg_f", [alert("firing", EDGE_LABELS, T0 + 100, T0 + 24)])]
        r = invariants.check_false_firing(history(), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("after its condition ended", r.problems[0])

    def test_firing_for_a_condition_never_true_fails(self):
        labels = dict(EDGE_LABELS, edge_id="e2")
        recs = [record(T0 + 30, "msg_f", [alert("firing", labels, T0 + 30, T0 + 29)])]
        r = invariants.check_false_firing(history(), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertIn("never true", r.problems[0])

    def test_firing_while_true_passes(self):
        recs = [record(T0 + 30, "msg_f", [alert("firing", EDGE_LABELS, T0 + 30, T0 + 24),
                                          alert("firing", TLS_LABELS, T0 + 30, T0 + 1)])]
        r = invariants.check_false_firing(history(), self.visible, invariants.hook_alerts(recs), PARAMS)
        self.assertTrue(r.ok, r.problems)


class WebhookIdTest(unittest.TestCase):
    def test_retried_across_a_kill_and_accepted_passes(self):
        a = [alert("firing", EDGE_LABELS, T0 + 25, T0 + 24)]
        recs = [record(T0 + 25, "msg_a", a, 503), record(T0 + 40, "msg_a", a, 200)]
        r = invariants.check_webhook_ids(recs, kill_times=[T0 + 30])
        self.assertTrue(r.ok, r.problems)
        self.assertEqual(r.stats["ids_delivered_across_a_kill"], 1)

    def test_never_accepted_fails(self):
        a = [alert("firing", EDGE_LABELS, T0 + 25, T0 + 24)]
        r = invariants.check_webhook_ids([record(T0 + 25, "msg_a", a, 503)], [])
        self.assertIn("none accepted", r.problems[0])

    def test_one_id_two_bodies_fails(self):
        recs = [record(T0 + 25, "msg_a", [alert("firing", EDGE_LABELS, T0 + 25, T0 + 24)], 503),
                record(T0 + 26, "msg_a", [alert("firing", EDGE_LABELS, T0 + 26, T0 + 20)], 200)]
        r = invariants.check_webhook_ids(recs, [])
        self.assertIn("different bodies", r.problems[0])

    def test_one_id_announced_again_with_a_new_send_time_passes(self):
        # Ids are derived from the notification: after a kill -9 the same one may be made again.
        recs = [record(T0 + 25, "msg_a", [alert("firing", EDGE_LABELS, T0 + 25, T0 + 24)], 200),
                record(T0 + 90, "msg_a", [alert("firing", EDGE_LABELS, T0 + 90, T0 + 24)], 200)]
        r = invariants.check_webhook_ids(recs, [T0 + 60])
        self.assertTrue(r.ok, r.problems)

    def test_missing_id_fails(self):
        rec = record(T0, "x", [alert("firing", EDGE_LABELS, T0, T0)])
        rec["headers"] = {}
        self.assertFalse(invariants.check_webhook_ids([rec], []).ok)


class CrashTest(unittest.TestCase):
    def life(self, n, how, rc, lines=()):
        return {"n": n, "pid": 100 + n, "how": how, "rc": rc, "rc_text": str(rc), "log_lines": list(lines)}

    def test_kills_and_a_clean_stop_pass(self):
        r = invariants.check_crashes([self.life(1, "kill9", -9), self.life(2, "sigterm", 0)])
        self.assertTrue(r.ok, r.problems)

    def test_a_crash_an_unclean_stop_and_a_sanitizer_report_fail(self):
        r = invariants.check_crashes([
            self.life(1, "crash", -6),
            self.life(2, "sigterm", 1),
            self.life(3, "sigterm", 0, ["==1==ERROR: AddressSanitizer: heap-use-after-free on address"]),
        ])
        self.assertEqual(len(r.problems), 3, r.problems)


class MemoryTest(unittest.TestCase):
    def samples(self, kib_at):
        return [(T0 + s, 1, kib_at(s)) for s in range(0, 300)]

    def test_flat_passes(self):
        r = invariants.check_memory(self.samples(lambda s: 20_000 + (s % 7) * 100), PARAMS)
        self.assertTrue(r.ok, r.problems)

    def test_steady_growth_fails(self):
        r = invariants.check_memory(self.samples(lambda s: 20_000 + s * 100), PARAMS)
        self.assertFalse(r.ok)
        self.assertIn("grew", r.problems[0])

    def test_a_sanitizer_build_is_reported_not_judged(self):
        r = invariants.check_memory(self.samples(lambda s: 200 * 1024 + s * 1000), dict(PARAMS, judge_memory=False))
        self.assertTrue(r.ok, r.problems)
        self.assertIn("quarantine", r.stats["judged"])

    def test_above_the_ceiling_fails(self):
        r = invariants.check_memory(self.samples(lambda s: 200 * 1024), PARAMS)
        self.assertIn("above the ceiling", r.problems[0])


if __name__ == "__main__":
    unittest.main()
