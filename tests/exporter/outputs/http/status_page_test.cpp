#include "exporter/outputs/http/status_page.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "exporter/util/iso_time.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kNow = kT0 + 120 * kSec;

// The part of the page inside <section id="ID">.
std::string SectionOf(const std::string& html, const std::string& id) {
  const auto start = html.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</section>", start) - start);
}

// The table rows of a section, in order.
std::vector<std::string> RowsOf(const std::string& section) {
  std::vector<std::string> rows;
  for (auto pos = section.find("<tbody>"); (pos = section.find("<tr", pos + 1)) != std::string::npos;) {
    rows.push_back(section.substr(pos, section.find("</tr>", pos) - pos));
  }
  return rows;
}

std::string VerdictOf(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("data-verdict=\"([a-z]+)\""))) return "";
  return m[1];
}

Alert Firing(AlertLabels labels, std::string severity, std::string summary, UnixNanos since = kT0) {
  Alert a;
  a.labels = std::move(labels);
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  a.severity = std::move(severity);
  a.summary = std::move(summary);
  a.active_since = since;
  a.fired_at = since + 30 * kSec;
  return a;
}

SourceHealth Ran(bool up, std::string error = "") {
  SourceHealth c;
  c.ran = true;
  c.up = up;
  c.last_success = kT0;
  c.last_error = std::move(error);
  if (!c.last_error.empty()) c.last_failure = {c.last_error, kT0 + 60 * kSec};
  return c;
}

class StatusPageTest : public ::testing::Test {
 protected:
  // A healthy org: two sites, two carrier trunks up, an edge online, a valid certificate.
  void SetUp() override {
    health_.first_poll_complete = true;
    health_.genesys_up = true;
    health_.sources["phones"] = Ran(true);
    health_.sources["trunks"] = Ran(true);
    phones_ = {MakePhone("p1", "HQ", true), MakePhone("p2", "HQ", true), MakePhone("p3", "Branch", true)};
    trunks_ = {MakeTrunk("t-a", true), MakeTrunk("t-b", true)};
    edges_ = {MakeEdge("e1", "HQ", true)};
  }

  std::string Render(StatusPageOptions options = {}) {
    TelephonyState tel;
    tel.ReplacePhones(phones_, kT0);
    tel.ReplaceTrunks(trunks_, kT0);
    tel.ReplaceEdges(edges_, kT0);
    if (!tls_.empty()) {
      std::vector<TlsTarget> targets;
      for (const auto& r : tls_) {
        TlsTarget target;
        target.host = r.target.substr(0, r.target.rfind(':'));
        target.trunk_ids = {"t-a"};
        targets.push_back(target);
      }
      tel.ReplaceTlsTargets(targets, true);
      for (const auto& r : tls_) tel.ApplyTlsResult(r);
    }
    return tel.Read(
        [&](const TelephonyData& t) { return RenderStatusPage(t, health_, webhooks_, alerts_, options, kNow); });
  }

  HealthData health_;
  std::map<std::string, WebhookCounts> webhooks_;  // the delivery counts (SelfMetrics')
  std::vector<Phone> phones_;
  std::vector<Trunk> trunks_;
  std::vector<Edge> edges_;
  std::vector<TlsProbeResult> tls_;
  std::vector<Alert> alerts_;
};

TEST_F(StatusPageTest, HealthyOrgIsAllGood) {
  const std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "ok") << html;
  EXPECT_NE(html.find("<h1>All good</h1>"), std::string::npos);
  EXPECT_NE(SectionOf(html, "alerts").find("No alert is firing."), std::string::npos);
}

TEST_F(StatusPageTest, StandsAloneRefreshesItselfAndFitsAPhone) {
  const std::string html = Render();
  EXPECT_NE(html.find("<meta http-equiv=\"refresh\" content=\"15\">"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no script: it works with JavaScript off";
  EXPECT_EQ(html.find("src="), std::string::npos) << "no external asset";
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("://"), std::string::npos) << "every link is relative";
  StatusPageOptions o;
  o.refresh_seconds = 30;
  EXPECT_NE(Render(o).find("content=\"30\""), std::string::npos);
}

TEST_F(StatusPageTest, EmptyStateSaysWhatIsNotKnownYet) {
  const std::string html = RenderStatusPage(TelephonyData{}, HealthData{}, {}, {}, StatusPageOptions{}, kNow);
  EXPECT_EQ(VerdictOf(html), "starting") << html;
  EXPECT_NE(html.find("Waiting for the first full poll"), std::string::npos);
  EXPECT_NE(SectionOf(html, "trunks").find("No trunk known yet."), std::string::npos);
  EXPECT_NE(SectionOf(html, "sites").find("No phone known yet."), std::string::npos);
  EXPECT_NE(SectionOf(html, "edges").find("No edge known yet."), std::string::npos);
  EXPECT_NE(SectionOf(html, "certificates").find("No TLS target is probed"), std::string::npos);
  EXPECT_NE(SectionOf(html, "alerts").find("No alert is firing."), std::string::npos);
  const auto sources = RowsOf(SectionOf(html, "sources"));
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_NE(sources[0].find("not contacted yet"), std::string::npos);
  // Every tile says that nothing is known, not that everything is fine.
  EXPECT_NE(html.find("<div class=\"tile none\"><b>0/0</b>carrier trunks up</div>"), std::string::npos) << html;
}

TEST_F(StatusPageTest, AlertingOffIsSaid) {
  StatusPageOptions o;
  o.alerting = false;
  EXPECT_NE(SectionOf(Render(o), "alerts").find("Alerting is off"), std::string::npos);
}

TEST_F(StatusPageTest, HostileValuesFromTheApiAreEscapedEverywhere) {
  const std::string script = "<script>alert(1)</script>";
  phones_[0].site.name = "\"HQ\" & 'Annex' " + script;
  trunks_[0].name = script;
  trunks_[0].options[0].up = false;
  trunks_[0].options[0].proxy_address = "<img src=x onerror=alert(2)>:5061";
  edges_[0].name = "edge\" onmouseover=\"alert(3)";
  edges_[0].online_status = "<b>OFFLINE</b>";
  edges_[0].software_version = "1.0 & <i>beta</i>";
  TlsProbeResult r = MakeTlsResult("evil'host:5061", kNow + 3 * 86400 * kSec, false);
  r.verify_result = "<u>self signed</u>";
  tls_ = {r};
  alerts_.push_back(Firing({{"alertname", "carrier_degradation"}, {"trunk_id", "t-a"}, {"trunk_name", script}},
                           "warning", "trunk " + script + " is degraded"));
  health_.sources["trunks"] = Ran(false, "HTTP 503: <html>\"busy\" & 'later'</html>");
  health_.oauth_last_failure = {"token <request> failed", kT0};
  health_.webhook_failures["<ops>"] = {"<refused>", kT0};
  webhooks_["<ops>"].queue_length = 2;
  health_.spool.in_use = true;
  health_.spool.dir = "/var/<spool>";
  health_.spool.errors["alert state"] = "open '/var/<spool>/x': denied";

  const std::string html = Render();
  // Only the page's own elements appear as markup.
  const std::set<std::string> own = {"!DOCTYPE", "html",    "head",  "meta",  "title", "style", "body", "header",
                                     "h1",       "h2",      "ul",    "li",    "p",     "a",     "div",  "b",
                                     "main",     "section", "table", "thead", "tbody", "tr",    "th",   "td",
                                     "span",     "time",    "br",    "code",  "small"};
  const std::regex tag("</?([!A-Za-z][A-Za-z0-9]*)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(own.count((*it)[1])) << "unexpected element <" << (*it)[1] << "> in\n" << html;
  }
  for (const char* raw : {"<script", "<img", "onmouseover=\"", "<b>OFFLINE", "<i>", "<u>", "<ops>", "<spool>",
                          "<request>", "<refused>", "evil'host"}) {
    EXPECT_EQ(html.find(raw), std::string::npos) << raw << " in\n" << html;
  }
  for (const char* escaped :
       {"&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;HQ&quot; &amp; &#39;Annex&#39;",
        "&lt;img src=x onerror=alert(2)&gt;:5061", "edge&quot; onmouseover=&quot;alert(3)",
        "&lt;b&gt;OFFLINE&lt;/b&gt;", "1.0 &amp; &lt;i&gt;beta&lt;/i&gt;", "evil&#39;host:5061",
        "&lt;u&gt;self signed&lt;/u&gt;", "HTTP 503: &lt;html&gt;&quot;busy&quot; &amp; &#39;later&#39;&lt;/html&gt;",
        "token &lt;request&gt; failed", "&lt;ops&gt;", "&lt;refused&gt;", "/var/&lt;spool&gt;"}) {
    EXPECT_NE(html.find(escaped), std::string::npos) << escaped << " missing in\n" << html;
  }
}

TEST_F(StatusPageTest, TrunksByHealthWithTheReason) {
  trunks_.push_back(MakeTrunk("t-c", false));
  trunks_[1].options[0].up = false;  // t-b: one of two OPTIONS proxies down
  trunks_.push_back(MakeTrunk("t-d", true));
  trunks_.back().trunk_type = "PHONE";  // internal: not listed
  const std::string html = Render();
  const auto rows = RowsOf(SectionOf(html, "trunks"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].rfind("<tr class=\"bad\"><td>Carrier t-c</td>", 0), 0u) << rows[0];
  EXPECT_NE(rows[0].find(">down</span></td><td>disconnected</td>"), std::string::npos) << rows[0];
  EXPECT_EQ(rows[1].rfind("<tr class=\"warn\"><td>Carrier t-b</td>", 0), 0u) << rows[1];
  EXPECT_NE(rows[1].find("OPTIONS down on 1 of 2 proxies (sip1.example.net:5061)"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[2].rfind("<tr><td>Carrier t-a</td>", 0), 0u) << rows[2];
  EXPECT_NE(SectionOf(html, "trunks").find("1 phone and tie trunks"), std::string::npos);
  EXPECT_NE(html.find("<b>1/3</b>carrier trunks up"), std::string::npos);
}

TEST_F(StatusPageTest, QosMismatchesAreTheReason) {
  TelephonyState tel;
  tel.ReplaceTrunks(trunks_, kT0);
  TrunkMetrics m;
  m.trunk_id = "t-a";
  m.qos_mismatches = 12;
  m.inbound_calls = 14;
  m.outbound_calls = 9;
  tel.ApplyTrunkMetrics(m, kT0);
  const std::string html =
      tel.Read([&](const TelephonyData& t) {
        return RenderStatusPage(t, health_, webhooks_, {}, StatusPageOptions{}, kNow);
      });
  const auto rows = RowsOf(SectionOf(html, "trunks"));
  ASSERT_FALSE(rows.empty());
  EXPECT_NE(rows[0].find("QoS: 12 mismatches (threshold 0)"), std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find("14 / 9"), std::string::npos) << rows[0];
  EXPECT_EQ(VerdictOf(html), "degraded");
}

TEST_F(StatusPageTest, VerdictIsTheWorstFinding) {
  // Degraded: a carrier with a proxy down.
  trunks_[0].options[0].up = false;
  std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "degraded");
  EXPECT_NE(html.find("<li>trunk Carrier t-a is degraded: OPTIONS down on 1 of 2 proxies"), std::string::npos);
  // Blind: a poller fails; worse than degraded.
  health_.sources["phones"] = Ran(false, "HTTP 500");
  html = Render();
  EXPECT_EQ(VerdictOf(html), "blind");
  EXPECT_NE(html.find("<li>source phones is down</li>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>and 1 more below</li>"), std::string::npos);
  // Outage: an edge offline; what is seen to be down outranks what cannot be seen.
  edges_[0].online_status = "OFFLINE";
  html = Render();
  EXPECT_EQ(VerdictOf(html), "outage");
  EXPECT_NE(html.find("<h1>Outage</h1>"), std::string::npos);
  EXPECT_NE(html.find("<li>edge Edge e1 is OFFLINE</li>"), std::string::npos);
}

TEST_F(StatusPageTest, ThePushStreamDownOnlyDegrades) {
  health_.sources["notifications"] = Ran(false, "socket closed");
  const std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "degraded");
  const auto rows = RowsOf(SectionOf(html, "sources"));
  bool found = false;
  for (const auto& r : rows) {
    if (r.find("<td>push</td><td>notifications</td>") == std::string::npos) continue;
    found = true;
    EXPECT_NE(r.find("not connected"), std::string::npos) << r;
    EXPECT_NE(r.find("socket closed (at "), std::string::npos) << r;
  }
  EXPECT_TRUE(found);
}

TEST_F(StatusPageTest, FiringAlertsWithSinceAndTheirVerdict) {
  alerts_.push_back(Firing({{"alertname", "registration_failure"}, {"scope", "site"}, {"site", "HQ"}}, "warning",
                           "site HQ: 50% of 2 lines unregistered", kT0));
  Alert pending = Firing({{"alertname", "edge_offline"}, {"edge_id", "e9"}}, "critical", "edge e9 is OFFLINE");
  pending.status = AlertStatus::kPending;
  alerts_.push_back(pending);
  std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "degraded") << "a pending alert does not count";
  const auto rows = RowsOf(SectionOf(html, "alerts"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find("site HQ: 50% of 2 lines unregistered"), std::string::npos);
  // Since it fired (the startsAt receivers get), 90 s before now.
  EXPECT_NE(rows[0].find("<time datetime=\"" + FormatIsoTime(kT0 + 30 * kSec) + "\""), std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find(">90 s ago</time>"), std::string::npos) << rows[0];
  EXPECT_NE(SectionOf(html, "alerts").find("1 more pending"), std::string::npos);
  // The site row takes its colour from the site's alert (the thresholds are the rule's).
  const auto sites = RowsOf(SectionOf(html, "sites"));
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].rfind("<tr><td>Branch</td>", 0), 0u) << sites[0];
  EXPECT_EQ(sites[1].rfind("<tr class=\"warn\"><td>HQ</td>", 0), 0u) << sites[1];

  alerts_.push_back(Firing({{"alertname", "monitoring_blind"}, {"source", "api"}}, "critical", "the API is failing"));
  EXPECT_EQ(VerdictOf(Render()), "blind");
  alerts_.push_back(Firing({{"alertname", "edge_offline"}, {"edge_id", "e1"}}, "critical", "edge e1 is OFFLINE"));
  html = Render();
  EXPECT_EQ(VerdictOf(html), "outage");
  // Critical first.
  EXPECT_NE(RowsOf(SectionOf(html, "alerts"))[0].find("edge e1 is OFFLINE"), std::string::npos);
}

TEST_F(StatusPageTest, ASiteRowTakesOnlyTheSiteAlertsColour) {
  // A user's alert carries the user's site too; it says nothing about the site as a whole.
  alerts_.push_back(
      Firing({{"alertname", "registration_failure"}, {"scope", "user"}, {"user_id", "u1"}, {"site", "HQ"}}, "warning",
             "user u1 is not registered"));
  alerts_.push_back(Firing({{"alertname", "registration_failure"}, {"scope", "site"}, {"site", "Branch"}}, "critical",
                           "site Branch: 60% of 5 lines unregistered"));
  const auto sites = RowsOf(SectionOf(Render(), "sites"));
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].rfind("<tr class=\"bad\"><td>Branch</td>", 0), 0u) << sites[0];
  EXPECT_EQ(sites[1].rfind("<tr><td>HQ</td>", 0), 0u) << sites[1];
}

TEST_F(StatusPageTest, AnAlertAndTheFactItIsAboutCountOnce) {
  trunks_[0].connected = false;
  alerts_.push_back(
      Firing({{"alertname", "carrier_degradation"}, {"trunk_id", "t-a"}}, "critical", "trunk Carrier t-a is down"));
  const std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "outage");
  EXPECT_NE(html.find("<li>trunk Carrier t-a is down: disconnected</li>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<li>trunk Carrier t-a is down</li>"), std::string::npos);
}

TEST_F(StatusPageTest, SitesWithRegistrationRatiosWorstFirst) {
  phones_.push_back(MakePhone("p4", "Branch", false));
  phones_.push_back(MakePhone("p5", "Branch", false, 2));
  const auto rows = RowsOf(SectionOf(Render(), "sites"));
  ASSERT_EQ(rows.size(), 2u);
  // Branch: 1 of 4 lines, 1 of 3 phones; HQ: all.
  EXPECT_NE(rows[0].find("<td>Branch</td><td><span class=\"num\">1 / 4</span></td><td><span class=\"num\">25.0 %"),
            std::string::npos)
      << rows[0];
  EXPECT_NE(rows[0].find("1 / 3"), std::string::npos);
  EXPECT_NE(rows[1].find("<td>HQ</td><td><span class=\"num\">2 / 2</span></td><td><span class=\"num\">100.0 %"),
            std::string::npos)
      << rows[1];
}

TEST_F(StatusPageTest, CertificatesByDaysLeft) {
  tls_ = {MakeTlsResult("later.example:5061", kNow + 300 * 86400 * kSec),
          MakeTlsResult("soon.example:5061", kNow + 3 * 86400 * kSec),
          MakeTlsResult("gone.example:5061", kNow - 2 * 86400 * kSec, false)};
  TlsProbeResult failed;
  failed.target = "down.example:5061";
  failed.error = "connection refused";
  failed.probed_at = kT0;
  tls_.push_back(failed);
  alerts_.push_back(Firing({{"alertname", "tls_cert_expiry"}, {"target", "soon.example:5061"}}, "critical",
                           "certificate of soon.example:5061 expires in 3.0 days"));
  const std::string html = Render();
  const auto rows = RowsOf(SectionOf(html, "certificates"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find("gone.example:5061"), std::string::npos);
  EXPECT_NE(rows[0].find("expired 2.0 days ago"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find("soon.example:5061</td><td><span class=\"num\">3.0</span>"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[1].rfind("<tr class=\"bad\">", 0), 0u) << "coloured by its alert: " << rows[1];
  EXPECT_NE(rows[2].find("later.example:5061</td><td><span class=\"num\">300</span>"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find("valid ("), std::string::npos);
  EXPECT_NE(rows[2].find("<td>Carrier t-a</td>"), std::string::npos) << "the trunks it serves: " << rows[2];
  EXPECT_NE(rows[3].find("probe failed: connection refused"), std::string::npos) << rows[3];
  EXPECT_EQ(rows[3].rfind("<tr class=\"warn\">", 0), 0u) << rows[3];
}

TEST_F(StatusPageTest, EveryListIsBounded) {
  trunks_.clear();
  for (int i = 0; i < 250; ++i) trunks_.push_back(MakeTrunk("t" + std::to_string(1000 + i), true));
  StatusPageOptions o;
  o.max_rows = 200;
  const std::string section = SectionOf(Render(o), "trunks");
  EXPECT_EQ(RowsOf(section).size(), 200u);
  EXPECT_NE(section.find("50 more not shown"), std::string::npos);
}

TEST_F(StatusPageTest, ACertificateNamesAtMostFiveOfTheTrunksItServes) {
  TelephonyState tel;
  std::vector<Trunk> trunks;
  TlsTarget target;
  target.host = "shared.example";
  for (int i = 0; i < 8; ++i) {
    trunks.push_back(MakeTrunk("t" + std::to_string(i), true));
    target.trunk_ids.push_back("t" + std::to_string(i));
  }
  tel.ReplaceTrunks(trunks, kT0);
  tel.ReplaceTlsTargets({target}, true);
  tel.ApplyTlsResult(MakeTlsResult("shared.example:5061", kNow + 100 * 86400 * kSec));
  const std::string html =
      tel.Read([&](const TelephonyData& t) {
        return RenderStatusPage(t, health_, webhooks_, {}, StatusPageOptions{}, kNow);
      });
  const auto rows = RowsOf(SectionOf(html, "certificates"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find("<td>Carrier t0<br>Carrier t1<br>Carrier t2<br>Carrier t3<br>Carrier t4<br>and 3 more</td>"),
            std::string::npos)
      << rows[0];
}

TEST_F(StatusPageTest, SourcesShowTheirLastError) {
  health_.sources["trunks"] = Ran(true);
  health_.sources["trunks"].last_failure = {"HTTP 429 from /api/v2/telephony/providers/edges/trunks", kT0};
  health_.oauth_last_failure = {"POST http://login.example/oauth/token: 401 invalid_client", kT0};
  webhooks_["ops"].delivered = 3;
  const std::string html = Render();
  EXPECT_EQ(VerdictOf(html), "ok") << "a past error is history, not a finding";
  const std::string sources = SectionOf(html, "sources");
  EXPECT_NE(sources.find("HTTP 429 from /api/v2/telephony/providers/edges/trunks (at "), std::string::npos);
  EXPECT_NE(sources.find("401 invalid_client (at "), std::string::npos);
  EXPECT_NE(sources.find("<td>webhook</td><td>ops</td>"), std::string::npos);
}

}  // namespace
}  // namespace gx
