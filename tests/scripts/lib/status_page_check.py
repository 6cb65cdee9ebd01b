#!/usr/bin/env python3
"""Reads the exporter's /status page as a browser rendered it (chromium --dump-dom) and checks
it for the demo's known failures.

  status_page_check.py dom FILE            print the page as the checker sees it (verdict, rows)
  status_page_check.py demo FILE [--tls SIM_TLS.json]
                                           check FILE for the demo's failures (the certificates
                                           by the simulator's /sim/v1/tls answer); exit 1 with
                                           every problem when one is missing

As a module: parse(html) -> Page, demo_problems(page) -> [sentences].
The demo (docs/simulator.md, "Shipped scenarios") after its timeline, plus two failures that
tests/scripts/status_page_browser_test.sh drives through /sim/v1: trunk 1 disconnected and
edge 2 offline.
"""

import json
import sys
from html.parser import HTMLParser


class Page:
    def __init__(self):
        self.verdict = ""         # data-verdict of the header
        self.title = ""           # the verdict's <h1>
        self.reasons = []         # the verdict's <li>s
        self.sections = {}        # section id -> [[cell text, ...], ...] (table body rows)
        self.row_classes = {}     # section id -> [tr class, ...]
        self.notes = {}           # section id -> text outside tables
        self.tags = set()         # every element name
        self.meta = {}            # http-equiv or name -> content


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.section = None
        self.in_header = self.in_h1 = self.in_li = self.in_tbody = False
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        p = self.page
        p.tags.add(tag)
        if tag == "meta":
            key = a.get("http-equiv") or a.get("name")
            if key:
                p.meta[key.lower()] = a.get("content", "")
        elif tag == "header" and a.get("id") == "verdict":
            self.in_header = True
            p.verdict = a.get("data-verdict", "")
        elif tag == "h1" and self.in_header:
            self.in_h1 = True
        elif tag == "li" and self.in_header:
            self.in_li = True
            p.reasons.append("")
        elif tag == "section":
            self.section = a.get("id", "")
            p.sections.setdefault(self.section, [])
            p.row_classes.setdefault(self.section, [])
            p.notes.setdefault(self.section, "")
        elif tag == "tbody":
            self.in_tbody = True
        elif tag == "tr" and self.in_tbody and self.section:
            self.row = []
            p.row_classes[self.section].append(a.get("class", ""))
        elif tag == "td" and self.row is not None:
            self.cell = ""
        elif tag == "br" and self.cell is not None:
            self.cell += "\n"

    def handle_endtag(self, tag):
        p = self.page
        if tag == "header":
            self.in_header = False
        elif tag == "h1":
            self.in_h1 = False
        elif tag == "li":
            self.in_li = False
        elif tag == "section":
            self.section = None
        elif tag == "tbody":
            self.in_tbody = False
        elif tag == "td" and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            p.sections[self.section].append(self.row)
            self.row = None

    def handle_data(self, data):
        p = self.page
        if self.in_h1:
            p.title += data
        elif self.in_li and self.in_header:
            p.reasons[-1] += data
        elif self.cell is not None:
            self.cell += data
        elif self.section and not self.in_tbody:
            p.notes[self.section] += data


def parse(html):
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def rows_with(page, section, text, column=0):
    """Rows of `section` whose `column` contains `text`."""
    return [r for r in page.sections.get(section, []) if len(r) > column and text in r[column]]


def demo_problems(page, tls_endpoints=None):
    """What the page fails to show of the demo's known failures, as sentences. `tls_endpoints`
    maps the simulator's certificate cases to their addresses (/sim/v1/tls)."""
    tls_endpoints = tls_endpoints or {}
    bad = []

    def expect(ok, what):
        if not ok:
            bad.append(what)

    expect("script" not in page.tags, "the page has a <script> element (it must work with JavaScript off)")
    expect(page.meta.get("refresh", "").isdigit(), f"no meta refresh (meta: {page.meta})")
    expect("width=device-width" in page.meta.get("viewport", ""), "no viewport meta for phones")
    # Expired and unverifiable certificates are critical alerts: an outage, whatever else happens.
    expect(page.verdict == "outage", f"verdict {page.verdict!r}, want 'outage' (reasons: {page.reasons})")
    expect(page.title.strip() == "Outage", f"verdict title {page.title.strip()!r}")
    expect(any(page.reasons), "the verdict gives no reason")

    # Carrier trunks: [trunk, health, reason, calls, changed].
    def trunk(name, health, reason_part):
        rows = [r for r in page.sections.get("trunks", []) if r and r[0] == name]
        if not rows:
            bad.append(f"trunk {name!r} is not listed (trunks: {[r[0] for r in page.sections.get('trunks', [])]})")
            return
        r = rows[0]
        expect(r[1] == health and reason_part in r[2], f"trunk {name!r}: {r[1]!r} {r[2]!r}, want {health!r} "
                                                       f"with {reason_part!r}")
    trunk("Carrier TLS valid", "degraded", "OPTIONS down on 1 of")  # scripted at 25 s, stays
    trunk("Carrier TLS expiring", "down", "disconnected")            # driven by the test
    trunk("Carrier TLS expired", "degraded", "QoS: ")                 # 12 QoS mismatches at 45 s
    trunks = page.sections.get("trunks", [])
    order = {"down": 0, "degraded": 1, "up": 2}
    healths = [order.get(r[1], 9) for r in trunks if len(r) > 1]
    expect(healths == sorted(healths), f"trunks are not ordered by health: {[r[1] for r in trunks]}")

    # Edges: [edge, site, status, version, changed].
    edges = rows_with(page, "edges", "branch-west-edge-1")
    expect(edges and edges[0][2] == "OFFLINE", f"edge branch-west-edge-1 not OFFLINE: {edges}")
    expect(len(page.sections.get("edges", [])) == 3, f"want the demo's 3 edges: {page.sections.get('edges')}")

    # Sites: [site, lines registered, ratio, phones registered, not operational].
    sites = {r[0]: r for r in page.sections.get("sites", []) if r}
    expect(set(sites) == {"HQ", "Branch East", "Branch West"}, f"sites: {sorted(sites)}")
    for name, r in sites.items():
        expect(len(r) > 2 and r[2].endswith("%"), f"site {name}: no registration ratio: {r}")

    # Certificates: [target, days left, certificate, trunks, probed], one per listener of the
    # simulator (tls_endpoints: {case name: address}).
    certs = {r[0]: r for r in page.sections.get("certificates", []) if len(r) > 4}

    def days_left(r):
        try:
            return -float(r[1].split()[1]) if r[1].startswith("expired ") else float(r[1])
        except (ValueError, IndexError):
            return None

    def certificate(case, state_prefix, low, high):
        r = certs.get(tls_endpoints.get(case, "?"))
        d = days_left(r) if r else None
        expect(r is not None and r[2].startswith(state_prefix) and d is not None and low <= d <= high,
               f"the {case} certificate ({tls_endpoints.get(case)}): {r}, want {state_prefix!r} and "
               f"{low}..{high} days left")
    if tls_endpoints:
        certificate("valid", "valid", 300, 400)
        certificate("expiring", "valid", 6, 7.5)            # expiring_days: 7
        certificate("intermediate_expiring", "valid", 4, 5.5)  # intermediate_days: 5
        certificate("expired", "expired", -1000, 0)
        certificate("self_signed", "fails verification", -1000, 1000)
        certificate("wrong_host", "fails verification", -1000, 1000)
    lefts = [days_left(r) for r in page.sections.get("certificates", [])]
    lefts = [float("inf") if d is None else d for d in lefts]
    expect(lefts == sorted(lefts), f"certificates are not ordered by days left: {lefts}")

    # Firing alerts: [severity, alert, what (and its labels), since].
    alerts = page.sections.get("alerts", [])
    names = {r[1] for r in alerts if len(r) > 1}
    for want in ("tls_cert_expiry", "carrier_degradation", "edge_offline"):
        expect(want in names, f"no firing {want} alert (firing: {sorted(names)})")
    expect(all(len(r) > 3 and r[3].endswith(" ago") for r in alerts), f"an alert without since: {alerts}")
    expect(alerts and alerts[0][0] == "critical", "critical alerts are not first")

    # Sources: [kind, source, status, last success, last error].
    sources = {(r[0], r[1]): r for r in page.sections.get("sources", []) if len(r) > 1}
    for kind, name in (("API", "Genesys Cloud"), ("poll", "phones"), ("poll", "trunks"), ("poll", "edges"),
                       ("TLS", "tls")):
        r = sources.get((kind, name))
        expect(r is not None and r[2].split("\n")[0] == "up", f"source {kind} {name}: {r}")
    return bad


def main():
    args = sys.argv[1:]
    tls = None
    if len(args) == 4 and args[2] == "--tls":
        tls, args = args[3], args[:2]
    if len(args) != 2 or args[0] not in ("dom", "demo"):
        sys.exit(__doc__)
    with open(args[1], encoding="utf-8", errors="replace") as f:
        page = parse(f.read())
    if args[0] == "dom":
        print("verdict:", page.verdict, page.title.strip(), page.reasons)
        for sid, rows in page.sections.items():
            print(f"[{sid}] {page.notes.get(sid, '').strip()[:120]}")
            for r in rows:
                print("   ", " | ".join(c.replace("\n", " / ") for c in r))
        return 0
    endpoints = {}
    if tls:
        with open(tls, encoding="utf-8") as f:
            endpoints = {e["name"]: e["address"] for e in json.load(f)["endpoints"]}
    problems = demo_problems(page, endpoints)
    for p in problems:
        print("status_page_check:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
