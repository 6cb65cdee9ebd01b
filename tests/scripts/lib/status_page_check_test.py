#!/usr/bin/env python3
"""status_page_check.py: it reads the page's structure, passes a page that shows the demo's
failures, and names each failure a page leaves out (so the browser test can fail)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import status_page_check  # noqa: E402

TLS = {"valid": "127.0.0.1:1001", "expiring": "127.0.0.1:1002", "intermediate_expiring": "127.0.0.1:1003",
       "expired": "127.0.0.1:1004", "self_signed": "127.0.0.1:1005", "wrong_host": "127.0.0.1:1006"}


def row(cls, *cells):
    return f'<tr class="{cls}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def page(trunks=None, edge_status="OFFLINE", script=""):
    trunks = trunks if trunks is not None else [
        row("bad", "Carrier TLS expiring", '<span class="badge bad">down</span>', "disconnected", "1 / 2", "-"),
        row("warn", "Carrier TLS valid", "degraded", "OPTIONS down on 1 of 4 proxies (127.0.0.1:1001)", "-", "-"),
        row("warn", "Carrier TLS expired", "degraded", "QoS: 12 mismatches (threshold 0)", "-", "-"),
        row("", "Carrier TLS self_signed", "up", "-", "-", "-"),
    ]
    certs = [
        row("bad", TLS["expired"], "expired 2.0 days ago", "expired", "a", "-"),
        row("bad", TLS["intermediate_expiring"], "5.0", "valid (TLSv1.3)", "a", "-"),
        row("bad", TLS["expiring"], "7.0", "valid (TLSv1.3)", "a", "-"),
        row("", TLS["valid"], "365", "valid (TLSv1.3)", "a<br>b", "-"),
        row("bad", TLS["self_signed"], "365", "fails verification: self-signed certificate", "a", "-"),
        row("bad", TLS["wrong_host"], "365", "fails verification: IP address mismatch", "a", "-"),
    ]

    def section(sid, rows):
        return f'<section id="{sid}"><h2>x</h2><table><thead><tr><th>h</th></tr></thead><tbody>' + \
            "".join(rows) + "</tbody></table></section>"
    return (
        '<html><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="refresh" content="15"></head><body>' + script +
        '<header id="verdict" class="verdict outage" data-verdict="outage"><h1>Outage</h1>'
        '<ul class="why"><li>edge branch-west-edge-1 is OFFLINE</li></ul></header><main>' +
        section("alerts", [
            row("bad", "critical", "tls_cert_expiry", "certificate ...<br><small>target=x</small>",
                '<time datetime="t">10 s ago</time>'),
            row("bad", "critical", "edge_offline", "edge ...", "9 s ago"),
            row("warn", "warning", "carrier_degradation", "trunk ...", "8 s ago")]) +
        section("trunks", trunks) +
        section("sites", [row("", s, "1 / 1", "100.0 %", "1 / 1", "0") for s in ("HQ", "Branch East", "Branch West")]) +
        section("edges", [row("bad", "branch-west-edge-1", "Branch West", edge_status, "1", "-"),
                          row("", "hq-edge-1", "HQ", "ONLINE", "1", "-"),
                          row("", "branch-east-edge-1", "Branch East", "ONLINE", "1", "-")]) +
        section("certificates", certs) +
        section("sources", [row("", k, n, "up<br>more", "-", "-")
                            for k, n in (("API", "Genesys Cloud"), ("poll", "phones"), ("poll", "trunks"),
                                         ("poll", "edges"), ("TLS", "tls"))]) +
        "</main></body></html>")


class StatusPageCheckTest(unittest.TestCase):
    def test_reads_the_structure(self):
        p = status_page_check.parse(page())
        self.assertEqual(p.verdict, "outage")
        self.assertEqual(p.title, "Outage")
        self.assertEqual(p.reasons, ["edge branch-west-edge-1 is OFFLINE"])
        self.assertEqual(p.sections["alerts"][0][2], "certificate ...\ntarget=x")
        self.assertEqual(p.sections["trunks"][0][1], "down")
        self.assertEqual(p.row_classes["trunks"][0], "bad")
        self.assertEqual(p.meta["refresh"], "15")

    def test_a_page_with_the_demos_failures_passes(self):
        self.assertEqual(status_page_check.demo_problems(status_page_check.parse(page()), TLS), [])

    def test_each_missing_failure_is_named(self):
        healthy_trunks = [row("", n, "up", "-", "-", "-") for n in
                          ("Carrier TLS expiring", "Carrier TLS valid", "Carrier TLS expired")]
        problems = status_page_check.demo_problems(status_page_check.parse(page(trunks=healthy_trunks)), TLS)
        self.assertEqual(len([p for p in problems if p.startswith("trunk ")]), 3, problems)
        problems = status_page_check.demo_problems(status_page_check.parse(page(edge_status="ONLINE")), TLS)
        self.assertTrue(any("branch-west-edge-1" in p for p in problems), problems)
        problems = status_page_check.demo_problems(status_page_check.parse(page(script="<script></script>")), TLS)
        self.assertTrue(any("<script>" in p for p in problems), problems)
        # Certificates are checked against the simulator's cases: swapped addresses fail.
        swapped = dict(TLS, expired=TLS["valid"], valid=TLS["expired"])
        problems = status_page_check.demo_problems(status_page_check.parse(page()), swapped)
        self.assertEqual(len([p for p in problems if "certificate" in p]), 2, problems)

    def test_a_404_page_fails_everything(self):
        problems = status_page_check.demo_problems(status_page_check.parse("<html><body>Not Found</body></html>"), TLS)
        self.assertGreater(len(problems), 10, problems)


if __name__ == "__main__":
    unittest.main()
