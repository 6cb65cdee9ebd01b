#include "exporter/outputs/alerts/alert_evaluator.h"

#include <gtest/gtest.h>

#include <map>

#include "exporter/outputs/alerts/alert_state_file.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kDay = 86400 * kSec;

const Alert* Find(const std::vector<Alert>& v, std::string_view name) {
  for (const auto& a : v)
    if (a.name() == name) return &a;
  return nullptr;
}

TEST(AlertFingerprintTest, StableAndOrderIndependent) {
  AlertLabels a = {{"alertname", "edge_offline"}, {"edge_id", "e1"}};
  EXPECT_EQ(AlertFingerprint(a), AlertFingerprint(AlertLabels{{"edge_id", "e1"}, {"alertname", "edge_offline"}}));
  EXPECT_EQ(AlertFingerprint(a).size(), 16u);
  EXPECT_NE(AlertFingerprint(a), AlertFingerprint({{"alertname", "edge_offline"}, {"edge_id", "e2"}}));
  // Pinned: a persisted fingerprint must keep matching after an upgrade.
  EXPECT_EQ(AlertFingerprint({}), "cbf29ce484222325");
}

TEST(AlertConditionsTest, TlsSeverityFollowsTheThresholds) {
  AlertingConfig cfg;
  HealthData h;
  struct Case {
    UnixNanos left;
    bool verified;
    const char* severity;  // nullptr: no alert
  } cases[] = {{200 * kDay, true, nullptr},
               {20 * kDay, true, "warning"},
               {3 * kDay, true, "critical"},
               {-kDay, false, "critical"},
               {200 * kDay, false, "critical"}};
  for (const auto& c : cases) {
    TelephonyState t;
    TlsTarget target;
    target.host = "sip.example.net";
    t.ReplaceTlsTargets({target}, /*complete=*/true);
    t.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", kT0 + c.left, c.verified));
    auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
    const Alert* a = Find(cond.active, kTlsCertExpiry);
    if (!c.severity) {
      EXPECT_EQ(a, nullptr);
      continue;
    }
    ASSERT_NE(a, nullptr) << c.left;
    EXPECT_EQ(a->severity, c.severity) << a->summary;
    EXPECT_EQ(a->labels.at("target"), "sip.example.net:5061");
    EXPECT_EQ(a->facts.tls_valid, c.verified) << "tlsValid says whether the chain verifies, not whether it expires";
  }
}

// The defaults are GenesysSiteRegistrationLow's: warning below 90 % of the lines registered,
// critical below 50 %, for any site with lines.
TEST(AlertConditionsTest, SiteRatioDefaultsAreThePrometheusRules) {
  AlertingConfig cfg;
  HealthData h;
  TelephonyState t;
  std::vector<Phone> phones;
  auto site = [&](const std::string& name, int lines, int unregistered) {
    for (int i = 0; i < lines; ++i) phones.push_back(MakePhone(name + std::to_string(i), name, i >= unregistered));
  };
  site("A", 10, 1);  // 90 % registered: not below
  site("B", 10, 2);  // 80 %: warning
  site("C", 10, 5);  // 50 %: still warning (critical is below 50 %)
  site("D", 10, 6);  // 40 %: critical
  site("E", 2, 2);   // a small site with every phone down: critical
  t.ReplacePhones(phones, kT0);
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  std::map<std::string, std::string> severity;
  for (const auto& a : cond.active) {
    EXPECT_EQ(a.labels.at("scope"), "site");
    severity[a.labels.at("site")] = a.severity;
  }
  EXPECT_EQ(severity, (std::map<std::string, std::string>{{"B", "warning"}, {"C", "warning"}, {"D", "critical"},
                                                          {"E", "critical"}}));
}

// A warning, as GenesysUserUnregistered: one person cannot take calls.
TEST(AlertConditionsTest, FollowedUserUnregisteredIsAWarningAsInTheRules) {
  AlertingConfig cfg;
  HealthData h;
  TelephonyState t;
  std::vector<Phone> phones = {MakePhone("p-user", "HQ", false)};
  for (int i = 0; i < 20; ++i) phones.push_back(MakePhone("p" + std::to_string(i), "HQ", true));  // site at 95 %
  t.ReplacePhones(phones, kT0);
  FollowUserOnPhone(t, "u1", "p-user", kT0);
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  ASSERT_EQ(cond.active.size(), 1u);
  EXPECT_EQ(cond.active[0].labels.at("scope"), "user");
  EXPECT_EQ(cond.active[0].severity, "warning");
}

TEST(AlertConditionsTest, SiteRatioThresholdsAndMinimumAreConfigurable) {
  AlertingConfig cfg;
  cfg.site_unregistered_ratio = 0.2;
  cfg.site_unregistered_ratio_critical = 0.25;
  cfg.site_min_lines = 10;
  HealthData h;
  TelephonyState t;
  std::vector<Phone> phones;
  for (int i = 0; i < 10; ++i) phones.push_back(MakePhone("a" + std::to_string(i), "A", i >= 2));  // 20%: not above
  for (int i = 0; i < 10; ++i) phones.push_back(MakePhone("b" + std::to_string(i), "B", i >= 3));  // 30%
  for (int i = 0; i < 5; ++i) phones.push_back(MakePhone("c" + std::to_string(i), "C", false));    // too small
  t.ReplacePhones(phones, kT0);
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  ASSERT_EQ(cond.active.size(), 1u);
  EXPECT_EQ(cond.active[0].labels.at("site"), "B");
  EXPECT_EQ(cond.active[0].labels.at("scope"), "site");
  EXPECT_EQ(cond.active[0].severity, "critical");
}

TEST(AlertConditionsTest, CarrierSeverityAndConfiguredOverride) {
  AlertingConfig cfg;
  HealthData h;
  TelephonyState t;
  t.ReplaceTrunks({MakeTrunk("down", false), MakeTrunk("deg", true, false), MakeTrunk("ok", true)}, kT0);
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  ASSERT_EQ(cond.active.size(), 2u);
  std::map<std::string, std::string> sev;
  for (const auto& a : cond.active) sev[a.labels.at("trunk_id")] = a.severity + "/" + a.facts.carrier_health;
  EXPECT_EQ(sev["down"], "critical/down");
  EXPECT_EQ(sev["deg"], "warning/degraded");
  cfg.rules["carrier_degradation"].severity = "info";
  cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  for (const auto& a : cond.active) EXPECT_EQ(a.severity, "info");
  cfg.rules["carrier_degradation"].enabled = false;
  cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  EXPECT_TRUE(cond.active.empty());
}

TEST(AlertEvaluatorTest, PendingThenFiringThenResolved) {
  AlertingConfig cfg;
  cfg.rules["edge_offline"].for_duration = Seconds(60);
  HealthData h;
  TelephonyState t;
  t.ReplaceEdges({MakeEdge("e1", "HQ", false)}, kT0);
  auto eval = [&](const AlertSet& prev, UnixNanos now) {
    return t.Read([&](const TelephonyData& d) { return EvaluateAlerts(prev, d, h, cfg, {}, now); });
  };
  auto e1 = eval({}, kT0);
  ASSERT_EQ(e1.alerts.size(), 1u);
  EXPECT_EQ(e1.alerts.begin()->second.status, AlertStatus::kPending);
  EXPECT_TRUE(e1.fired.empty());
  auto e2 = eval(e1.alerts, kT0 + 59 * kSec);
  EXPECT_TRUE(e2.fired.empty());
  auto e3 = eval(e2.alerts, kT0 + 60 * kSec);
  ASSERT_EQ(e3.fired.size(), 1u);
  EXPECT_EQ(e3.fired[0].fired_at, kT0 + 60 * kSec);
  EXPECT_EQ(e3.fired[0].active_since, kT0);
  auto e4 = eval(e3.alerts, kT0 + 70 * kSec);
  EXPECT_TRUE(e4.fired.empty());
  t.ReplaceEdges({MakeEdge("e1", "HQ", true)}, kT0 + 80 * kSec);
  auto e5 = eval(e4.alerts, kT0 + 80 * kSec);
  ASSERT_EQ(e5.resolved.size(), 1u);
  EXPECT_EQ(e5.resolved[0].status, AlertStatus::kResolved);
  EXPECT_TRUE(e5.alerts.empty());
}

TEST(AlertStateFileTest, RoundTripsEverything) {
  const std::string path = ::testing::TempDir() + "/gx-alert-state-" + std::to_string(::getpid());
  Alert a;
  a.labels = {{"alertname", "registration_failure"}, {"user_id", "u\t1\nx\\"}, {"site", "HQ"}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  a.severity = "critical";
  a.summary = "tab\there";
  a.active_since = kT0;
  a.fired_at = kT0 + kSec;
  a.facts.user_id = "u1";
  a.facts.registered = false;
  a.facts.codec = "audio/opus";
  ASSERT_TRUE(SaveAlertState(path, {{a, kT0 + 2 * kSec}}).ok());
  auto loaded = LoadAlertState(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->damaged_lines, 0);
  ASSERT_EQ(loaded->alerts.size(), 1u);
  const auto& b = loaded->alerts[0];
  EXPECT_EQ(b.notified_at, kT0 + 2 * kSec);
  EXPECT_EQ(b.alert.labels, a.labels);
  EXPECT_EQ(b.alert.summary, a.summary);
  EXPECT_EQ(b.alert.fired_at, a.fired_at);
  EXPECT_EQ(b.alert.facts.registered, false);
  EXPECT_FALSE(b.alert.facts.tls_valid.has_value());
  const auto missing = LoadAlertState(path + ".missing");
  ASSERT_TRUE(missing.ok()) << missing.error();
  EXPECT_TRUE(missing->alerts.empty());
  std::remove(path.c_str());
}

// Issue 11: a source stuck in its first run (behind a closed request budget, say) has no
// run to report; the staleness watchdog marks it, and monitoring_blind must see it.
TEST(AlertConditionsTest, MonitoringBlindCoversAStaleSourceThatNeverFinishedARun) {
  AlertingConfig cfg;
  TelephonyState t;
  HealthState health;
  health.Update([](HealthData& h) {
    h.genesys_up = true;
    h.sources["phones"].configured_interval_seconds = 60;
    h.sources["trunks"].configured_interval_seconds = 30;
  });
  health.RecordSourceRun("phones", Status::Ok(), kT0, 1, 1);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "200", 1, kT0);
  health.MarkStaleSources({"phones", "trunks"}, kT0 - 91 * kSec, kT0);
  HealthData h = health.Read([](const HealthData& d) { return d; });
  ASSERT_FALSE(h.sources.at("trunks").ran);
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  const Alert* a = Find(cond.active, kMonitoringBlind);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->labels.at("source"), "api");
  EXPECT_EQ(a->summary, "source trunks is stale");
}

}  // namespace
}  // namespace gx
