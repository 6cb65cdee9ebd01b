#include "exporter/outputs/http/landing_page.h"

#include <gtest/gtest.h>

#include "exporter/state/self_metrics.h"
#include "exporter/util/iso_time.h"

namespace gx {
namespace {

TEST(LandingPageTest, SaysWhenTheSpoolFolderCannotBeWritten) {
  HealthData h;
  h.spool.in_use = true;
  h.spool.dir = "/dev/null/spool";
  h.spool.errors[kSpoolFolderWriter] =
      "alerting.spool_dir: create directory /dev/null/spool: /dev/null is not a <directory>";
  const std::string page = RenderLandingPage(h, {}, "/metrics", 0);
  EXPECT_NE(page.find("<h2>Spool folder</h2>"), std::string::npos) << page;
  EXPECT_NE(page.find("/dev/null/spool: <span class=\"down\">not writable</span>"), std::string::npos) << page;
  EXPECT_NE(page.find("/dev/null is not a &lt;directory&gt;"), std::string::npos) << page;  // escaped
}

TEST(LandingPageTest, SaysWhenTheSpoolFolderIsFine) {
  HealthData h;
  h.spool.in_use = true;
  h.spool.dir = "/var/lib/genesys_exporter/spool";
  const std::string page = RenderLandingPage(h, {}, "/metrics", 0);
  EXPECT_NE(page.find("/var/lib/genesys_exporter/spool: <span class=\"up\">writable</span>"), std::string::npos)
      << page;
}

TEST(LandingPageTest, LinksTheStatusPage) {
  EXPECT_NE(RenderLandingPage(HealthData{}, {}, "/metrics", 0).find("<a href=\"/status\">Status</a>"),
            std::string::npos);
}

TEST(LandingPageTest, NoSpoolSectionWhenAlertingIsOff) {
  EXPECT_EQ(RenderLandingPage(HealthData{}, {}, "/metrics", 0).find("Spool folder"), std::string::npos);
}

TEST(LandingPageTest, SaysWhenTheWebConfigLoaded) {
  HealthData h;
  EXPECT_EQ(RenderLandingPage(h, {}, "/metrics", 0).find("Web configuration"), std::string::npos);
  h.web_config.in_use = true;
  h.web_config.path = "/etc/genesys_exporter/web.yml";
  h.web_config.last_successful = true;
  h.web_config.last_success = 1'800'000'000 * kNanosPerSecond;
  const std::string page = RenderLandingPage(h, {}, "/metrics", 0);
  EXPECT_NE(page.find("<h2>Web configuration</h2>\n<p>/etc/genesys_exporter/web.yml: <span class=\"up\">loaded</span> "
                      "at 2027-01-15T08:00:00.000Z</p>"),
            std::string::npos)
      << page;
}

TEST(LandingPageTest, SaysWhenAChangedWebConfigDidNotLoad) {
  HealthData h;
  h.web_config.in_use = true;
  h.web_config.path = "/etc/genesys_exporter/web.yml";
  h.web_config.last_success = 1'800'000'000 * kNanosPerSecond;
  h.web_config.last_successful = false;
  h.web_config.errors = {"/etc/genesys_exporter/web.yml:3: http_server_config.headers.X-Frame-Options: invalid "
                         "value \"<deny>\""};
  const std::string page = RenderLandingPage(h, {}, "/metrics", 0);
  EXPECT_NE(page.find("/etc/genesys_exporter/web.yml: <span class=\"down\">the last change did not load</span>; the "
                      "one loaded at 2027-01-15T08:00:00.000Z stays in force</p>\n<p>/etc/genesys_exporter/web.yml:3: "
                      "http_server_config.headers.X-Frame-Options: invalid value &quot;&lt;deny&gt;&quot;</p>"),
            std::string::npos)
      << page;
}

TEST(LandingPageTest, StaleSourcesAreShownAsStaleWithTheReason) {
  constexpr UnixNanos kT0 = 1'800'000'000 * kNanosPerSecond;
  HealthState health;
  health.Update([](HealthData& d) {
    d.sources["phones"].configured_interval_seconds = 60;
    d.sources["edges"].configured_interval_seconds = 60;
    d.sources["trunks"].configured_interval_seconds = 30;
  });
  health.RecordSourceRun("edges", Status::Ok(), kT0, 1, 1);
  health.RecordApiRequest("/api/v2/telephony/providers/edges", "200", 1, kT0);
  // trunks is stuck in its first run past its bound; phones has not run yet but is in time.
  health.MarkStaleSources({"phones", "edges", "trunks"}, kT0 - 91 * kNanosPerSecond, kT0);
  const std::string html = RenderLandingPage(health.Read([](const HealthData& d) { return d; }), {}, "/metrics", kT0);
  EXPECT_NE(html.find("<tr><td>trunks</td><td><span class=\"down\">stale</span>"), std::string::npos) << html;
  EXPECT_NE(html.find("no successful run for 91 s (stale after 90 s)"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>phones</td><td>pending</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>edges</td><td><span class=\"up\">up</span>"), std::string::npos);
}

TEST(LandingPageTest, ShowsTheLastErrorOfEachSourceWithItsTime) {
  constexpr UnixNanos kT0 = 1'800'000'000 * kNanosPerSecond;
  HealthState health;
  health.RecordSourceRun("phones",
                         Status::Error("phones page 1: no OAuth token: token request to "
                                       "https://login.example/oauth/token failed: <refused>"),
                         kT0, 1, 1);
  health.RecordSourceRun("phones", Status::Ok(), kT0 + 60 * kNanosPerSecond, 1, 1);  // recovered: kept
  health.Update([&](HealthData& d) {
    d.oauth_last_failure = {"token request to https://login.example/oauth/token failed: refused", kT0};
    d.webhook_failures["ops"] = {"HTTP 503", kT0 + 30 * kNanosPerSecond};
  });
  for (int i = 0; i < 4; ++i) health.self_metrics().ObserveWebhookAttempt("ops", true, 0.1);
  health.self_metrics().AddWebhookReceiver("quiet");
  const std::string html =
      RenderLandingPage(health.Read([](const HealthData& d) { return d; }), health.self_metrics().WebhookReceivers(),
                        "/metrics", kT0 + 90 * kNanosPerSecond);
  const std::string at = FormatIsoTime(kT0);
  EXPECT_NE(html.find("<span class=\"up\">up</span>"), std::string::npos) << html;
  EXPECT_NE(html.find("failed: &lt;refused&gt; (at " + at + ", 90s ago)</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("last authentication error: token request to https://login.example/oauth/token failed: "
                      "refused (at " + at + ", 90s ago)"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>ops</td><td>4</td><td>0</td><td>0</td><td>HTTP 503 (at " +
                      FormatIsoTime(kT0 + 30 * kNanosPerSecond) + ", 60s ago)</td></tr>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>quiet</td><td>0</td><td>0</td><td>0</td><td>-</td></tr>"), std::string::npos) << html;
}

TEST(LandingPageTest, ShowsTheFirstPollsProgress) {
  HealthData h;
  h.sources["phones"].pages_done = 40;
  h.sources["phones"].pages_expected = 100;
  h.sources["edges"].pages_done = 1;
  h.sources["edges"].pages_expected = 1;
  h.sources["edges"].last_success = 5 * kNanosPerSecond;
  const std::string html = RenderLandingPage(h, {}, "/metrics", 10 * kNanosPerSecond);
  EXPECT_NE(html.find("<tr><td>phones</td><td>pending<br>first poll: page 40 of 100</td>"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("first poll: page 1 of 1"), std::string::npos) << "only until the first success";
}

TEST(LandingPageTest, ShowsARefusedReloadAndSettingsWaitingForARestart) {
  constexpr UnixNanos kT0 = 1'800'000'000 * kNanosPerSecond;
  HealthData h;
  h.config.last_success = kT0;
  h.config.last_attempt = kT0 + 60 * kNanosPerSecond;
  h.config.last_successful = false;
  h.config.errors = {"c.yml:3: genesys.region: unknown region \"<mars>\""};
  h.config.restart_required = {"genesys.region", "rate_limit"};
  const std::string html = RenderLandingPage(h, {}, "/metrics", kT0 + 120 * kNanosPerSecond);
  EXPECT_NE(html.find("<span class=\"down\">last reload refused</span> (at " + FormatIsoTime(kT0 + 60 * kNanosPerSecond) +
                      ", 60s ago); the configuration loaded (at " + FormatIsoTime(kT0) + ", 120s ago) stays in force"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<li>c.yml:3: genesys.region: unknown region &quot;&lt;mars&gt;&quot;</li>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("restart required</span>: the file changes <code>genesys.region</code>, <code>rate_limit</code>"),
            std::string::npos)
      << html;

  HealthData fine;
  fine.config.last_success = kT0;
  const std::string ok = RenderLandingPage(fine, {}, "/metrics", kT0);
  EXPECT_NE(ok.find("<h2>Configuration</h2>\n<p><span class=\"up\">loaded</span> (at " + FormatIsoTime(kT0)),
            std::string::npos)
      << ok;
  EXPECT_EQ(ok.find("restart required"), std::string::npos);
}

}  // namespace
}  // namespace gx
