"""What was true when: the simulator's truth sampled into condition intervals, and the window
arithmetic the invariants use (when the exporter could see the org at all).

Times are Unix seconds (float). An interval is (start, end); end None means "still true when
the sampling stopped". Not thread-safe: the sampler thread owns a Timeline until it stops.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "lib"))
import truth_check  # noqa: E402


class Timeline:
    """Feed it (time, conditions) samples in time order; it keeps, per alert identity, the
    intervals during which the condition held. A condition first seen in a sample is taken to
    have started at that sample (at most one sampling period late)."""

    def __init__(self):
        self.intervals = {}     # identity -> [[start, end or None], ...]
        self.descriptions = {}  # identity -> the latest description
        self.open = {}          # identity -> the open interval
        self.first = self.last = None
        self.samples = 0
        self.max_gap = 0.0      # the longest time between two samples

    def add(self, t, conditions):
        if self.last is not None:
            self.max_gap = max(self.max_gap, t - self.last)
        if self.first is None:
            self.first = t
        self.last = t
        self.samples += 1
        for ident, what in conditions.items():
            self.descriptions[ident] = what
            if ident not in self.open:
                iv = [t, None]
                self.intervals.setdefault(ident, []).append(iv)
                self.open[ident] = iv
        for ident in [i for i in self.open if i not in conditions]:
            self.open.pop(ident)[1] = t

    def true_at(self, ident, t):
        return any(s <= t and (e is None or t < e) for s, e in self.intervals.get(ident, []))


def conditions_from_truth(truth, tls_endpoints, users, options):
    """{identity: description} of the alerts the truth implies (truth_check.alert_conditions)."""
    return truth_check.alert_conditions(truth, tls_endpoints, users,
                                        site_ratio=options["site_ratio"],
                                        site_min_lines=options["site_min_lines"],
                                        qos_threshold=options["qos_threshold"])


# ------------------------------------------------------------------------------ window arithmetic

def union(windows):
    """Sorted, non-overlapping (start, end) windows covering the same time as `windows`."""
    out = []
    for s, e in sorted(w for w in windows if w[1] > w[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def subtract(windows, holes):
    """The parts of `windows` not covered by any of `holes`."""
    out = []
    holes = union(holes)
    for s, e in union(windows):
        cur = s
        for hs, he in holes:
            if he <= cur or hs >= e:
                continue
            if hs > cur:
                out.append((cur, hs))
            cur = max(cur, he)
            if cur >= e:
                break
        if cur < e:
            out.append((cur, e))
    return out


def longest_within(windows, start, end):
    """The longest contiguous piece of `windows` inside [start, end)."""
    best = 0.0
    for s, e in windows:
        lo, hi = max(s, start), min(e, end)
        best = max(best, hi - lo)
    return best


def episodes(intervals, visible, min_gap):
    """Merges intervals of one identity whose gap the exporter could not have noticed (the
    longest visible piece of the gap shorter than min_gap): an alert that never saw its
    condition end rightly stays one alert. Returns [(start, end or None)]."""
    out = []
    for s, e in intervals:
        if out and out[-1][1] is not None and longest_within(visible, out[-1][1], s) < min_gap:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
