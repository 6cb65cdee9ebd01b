// Every condition tells "known good" from "not known yet": an earlier firing alert
// (one restored after a restart) whose subject the state has not observed again is
// kept as it is, and resolves only on evidence: a fresh observation, or an inventory
// or configuration that no longer lists the subject.
//
// monitoring_blind{source="spool"}: the built-in evaluator's alert for a spool folder
// that cannot be written (the alert message itself is delivered from memory).
#include "exporter/outputs/alerts/alert_conditions.h"

#include <gtest/gtest.h>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kDay = 86400 * kSec;
constexpr UnixNanos kFiredAt = kT0 - 3600 * kSec;  // before the restart

// A firing alert as the state file restores it.
Alert Restored(AlertLabels labels, std::string severity = "critical") {
  Alert a;
  a.labels = std::move(labels);
  a.fingerprint = AlertFingerprint(a.labels);
  a.severity = std::move(severity);
  a.status = AlertStatus::kFiring;
  a.active_since = kFiredAt - 60 * kSec;
  a.fired_at = kFiredAt;
  return a;
}

class AlertConditionsTest : public ::testing::Test {
 protected:
  // One evaluation with `alert` as the only earlier alert.
  AlertEvaluation Evaluate(const Alert& alert) {
    AlertSet previous{{alert.fingerprint, alert}};
    return tel_.Read([&](const TelephonyData& d) { return EvaluateAlerts(previous, d, health_, cfg_, opt_, kT0); });
  }
  // Kept untouched: still firing with its original times, nothing resolved.
  void ExpectKept(const Alert& alert, const std::string& why) {
    AlertEvaluation e = Evaluate(alert);
    EXPECT_TRUE(e.resolved.empty()) << why << ": resolved without evidence";
    EXPECT_TRUE(e.fired.empty()) << why;
    auto it = e.alerts.find(alert.fingerprint);
    ASSERT_NE(it, e.alerts.end()) << why << ": dropped";
    EXPECT_EQ(it->second.status, AlertStatus::kFiring) << why;
    EXPECT_EQ(it->second.fired_at, kFiredAt) << why;
    EXPECT_EQ(it->second.active_since, alert.active_since) << why;
  }
  void ExpectResolved(const Alert& alert, const std::string& why) {
    AlertEvaluation e = Evaluate(alert);
    ASSERT_EQ(e.resolved.size(), 1u) << why;
    EXPECT_EQ(e.resolved[0].fingerprint, alert.fingerprint) << why;
    EXPECT_FALSE(e.alerts.count(alert.fingerprint)) << why;
  }
  void ExpectStillFiring(const Alert& alert, const std::string& why) {
    AlertEvaluation e = Evaluate(alert);
    EXPECT_TRUE(e.resolved.empty()) << why;
    EXPECT_TRUE(e.fired.empty()) << why << ": fired again";
    auto it = e.alerts.find(alert.fingerprint);
    ASSERT_NE(it, e.alerts.end()) << why;
    EXPECT_EQ(it->second.fired_at, kFiredAt) << why;
  }

  AlertingConfig cfg_;
  AlertEvalOptions opt_;
  HealthData health_;
  TelephonyState tel_;
};

TEST_F(AlertConditionsTest, TlsTargetNotRediscoveredYetIsKept) {
  const Alert a = Restored({{"alertname", "tls_cert_expiry"}, {"target", "carrier.example:5061"}});
  ExpectKept(a, "no target list published yet");
  // The first list, before discovery has seen the trunks: only the configured target.
  TlsTarget configured;
  configured.host = "sip.config.example";
  tel_.ReplaceTlsTargets({configured}, /*complete=*/false);
  ExpectKept(a, "discovery incomplete");
  // Discovered, not probed yet.
  TlsTarget carrier;
  carrier.host = "carrier.example";
  tel_.ReplaceTlsTargets({configured, carrier}, /*complete=*/true);
  ExpectKept(a, "not probed yet");
  // Probed: still expiring, then renewed.
  tel_.ApplyTlsResult(MakeTlsResult("carrier.example:5061", kT0 + 3 * kDay));
  ExpectStillFiring(a, "still expiring");
  tel_.ApplyTlsResult(MakeTlsResult("carrier.example:5061", kT0 + 300 * kDay));
  ExpectResolved(a, "renewed");
}

TEST_F(AlertConditionsTest, TlsTargetProbedWhileDiscoveryIsIncompleteIsDecided) {
  const Alert a = Restored({{"alertname", "tls_cert_expiry"}, {"target", "sip.config.example:5061"}});
  TlsTarget configured;
  configured.host = "sip.config.example";
  tel_.ReplaceTlsTargets({configured}, /*complete=*/false);
  tel_.ApplyTlsResult(MakeTlsResult("sip.config.example:5061", kT0 + 3 * kDay));
  ExpectStillFiring(a, "observed expiring");
  tel_.ApplyTlsResult(MakeTlsResult("sip.config.example:5061", kT0 + 300 * kDay));
  ExpectResolved(a, "observed renewed, though other targets are not discovered yet");
}

TEST_F(AlertConditionsTest, TlsTargetGoneFromACompleteListResolves) {
  const Alert a = Restored({{"alertname", "tls_cert_expiry"}, {"target", "carrier.example:5061"}});
  tel_.ReplaceTlsTargets({}, /*complete=*/true);
  ExpectResolved(a, "neither configured nor discovered any more");
}

TEST_F(AlertConditionsTest, TlsAlertsResolveWhenProbingIsTurnedOff) {
  const Alert a = Restored({{"alertname", "tls_cert_expiry"}, {"target", "carrier.example:5061"}});
  opt_.tls_probes_enabled = false;
  ExpectResolved(a, "tls_probes.enabled: false");
}

TEST_F(AlertConditionsTest, CarrierQosAlertIsKeptUntilTrunkMetricsAreLoaded) {
  const Alert a = Restored({{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}, {"trunk_name", "Carrier t1"}},
                           "warning");
  ExpectKept(a, "no trunk inventory");
  tel_.ReplaceTrunks({MakeTrunk("t1", true)}, kT0);
  ExpectKept(a, "trunk listed, its metrics not polled yet");
  TrunkMetrics m;
  m.trunk_id = "t1";
  m.qos_mismatches = 12;
  ASSERT_TRUE(tel_.ApplyTrunkMetrics(m, kT0));
  ExpectStillFiring(a, "QoS still degraded");
  m.qos_mismatches = 0;
  ASSERT_TRUE(tel_.ApplyTrunkMetrics(m, kT0));
  ExpectResolved(a, "QoS back to normal");
}

TEST_F(AlertConditionsTest, CarrierTrunkWithoutMetricsAfterAFullMetricsCycleResolves) {
  const Alert a = Restored({{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}, {"trunk_name", "Carrier t1"}},
                           "warning");
  tel_.ReplaceTrunks({MakeTrunk("t1", true)}, kT0);
  tel_.MarkTrunkMetricsLoaded();
  ExpectResolved(a, "the metrics poll returned nothing for the trunk");
}

TEST_F(AlertConditionsTest, CarrierTrunkDeletedFromTheInventoryResolves) {
  const Alert a = Restored({{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}, {"trunk_name", "Carrier t1"}},
                           "warning");
  tel_.ReplaceTrunks({MakeTrunk("t2", true)}, kT0);
  ExpectResolved(a, "trunk deleted");
}

TEST_F(AlertConditionsTest, CarrierDownIsDecidedWithoutMetrics) {
  const Alert a = Restored({{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}, {"trunk_name", "Carrier t1"}});
  tel_.ReplaceTrunks({MakeTrunk("t1", false)}, kT0);
  ExpectStillFiring(a, "disconnected: down whatever the QoS");
}

TEST_F(AlertConditionsTest, PhoneListedWithoutStatusIsKept) {
  cfg_.phones = {"p1"};
  const Alert a = Restored(
      {{"alertname", "registration_failure"}, {"scope", "phone"}, {"phone_id", "p1"}, {"phone_name", "Phone p1"},
       {"site", "HQ"}},
      "warning");
  Phone p = MakePhone("p1", "HQ", true);
  p.status.reset();
  tel_.ReplacePhones({p}, kT0);
  ExpectKept(a, "phone without status");
  tel_.ReplacePhones({MakePhone("p1", "HQ", true)}, kT0 + kSec);
  ExpectResolved(a, "registered");
}

TEST_F(AlertConditionsTest, SiteWithPhonesWithoutStatusIsKept) {
  cfg_.site_min_lines = 10;
  cfg_.site_unregistered_ratio = 0.2;
  const Alert a = Restored({{"alertname", "registration_failure"}, {"scope", "site"}, {"site", "HQ"}});
  std::vector<Phone> phones;
  for (int i = 0; i < 10; ++i) {
    Phone p = MakePhone("p" + std::to_string(i), "HQ", i >= 5);
    if (i < 5) p.status.reset();  // the unregistered ones have not been read yet
    phones.push_back(p);
  }
  tel_.ReplacePhones(phones, kT0);
  ExpectKept(a, "half of the site unknown");
  for (int i = 0; i < 5; ++i) phones[i] = MakePhone("p" + std::to_string(i), "HQ", true);
  tel_.ReplacePhones(phones, kT0 + kSec);
  ExpectResolved(a, "every line known and registered");
}

TEST_F(AlertConditionsTest, UserNotReadYetIsKept) {
  const Alert a = Restored({{"alertname", "registration_failure"}, {"scope", "user"}, {"user_id", "u1"},
                            {"site", "HQ"}});
  tel_.SetFollowedUsers({"u1"});
  tel_.ReplacePhones({MakePhone("p-user", "HQ", true)}, kT0);
  ExpectKept(a, "station of the user not read yet");
  Station s;
  s.id = "st1";
  s.line_appearance_id = "p-user-line0";
  tel_.ReplaceStations({s}, kT0);
  tel_.ApplyUserStation({"u1", "st1", "Station 1", "inin_remote"}, kT0);
  ExpectResolved(a, "registered");
}

TEST_F(AlertConditionsTest, UserNoLongerFollowedResolves) {
  const Alert a = Restored({{"alertname", "registration_failure"}, {"scope", "user"}, {"user_id", "u1"},
                            {"site", "HQ"}});
  tel_.SetFollowedUsers({});
  tel_.ReplacePhones({}, kT0);
  ExpectResolved(a, "the configuration no longer follows the user");
}

TEST_F(AlertConditionsTest, EdgeWithoutOnlineStatusIsKept) {
  const Alert a = Restored({{"alertname", "edge_offline"}, {"edge_id", "e1"}, {"edge_name", "Edge e1"},
                            {"site", "HQ"}});
  ExpectKept(a, "no edge inventory");
  Edge e = MakeEdge("e1", "HQ", true);
  e.online_status.clear();
  tel_.ReplaceEdges({e}, kT0);
  ExpectKept(a, "listed without onlineStatus");
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", true)}, kT0 + kSec);
  ExpectResolved(a, "online");
  tel_.ReplaceEdges({}, kT0 + 2 * kSec);
  ExpectResolved(a, "deleted");
}

TEST_F(AlertConditionsTest, ApiBlindnessIsKeptUntilEverySourceHasRun) {
  const Alert a = Restored({{"alertname", "monitoring_blind"}, {"source", "api"}});
  // At start the scheduler registers its sources before any of them ran.
  health_.sources["phones"];
  health_.sources["trunks"];
  health_.sources["tls"];
  ExpectKept(a, "sources registered, none ran");
  health_.genesys_up = true;
  health_.sources["phones"].ran = health_.sources["phones"].up = true;
  ExpectKept(a, "trunks not run yet");
  health_.sources["trunks"].ran = true;
  ExpectStillFiring(a, "trunks failing");
  health_.sources["trunks"].up = true;
  ExpectResolved(a, "every source ran and succeeded");
}

TEST_F(AlertConditionsTest, NotificationBlindnessIsKeptUntilTheStreamReports) {
  const Alert a = Restored({{"alertname", "monitoring_blind"}, {"source", "notifications"}}, "warning");
  health_.genesys_up = true;
  ExpectKept(a, "no stream yet");
  health_.sources["notifications"];
  ExpectKept(a, "registered, not run");
  health_.sources["notifications"].ran = true;
  ExpectStillFiring(a, "down");
  health_.sources["notifications"].up = true;
  ExpectResolved(a, "connected");
}

TEST_F(AlertConditionsTest, NotificationBlindnessResolvesWhenTheStreamIsTurnedOff) {
  const Alert a = Restored({{"alertname", "monitoring_blind"}, {"source", "notifications"}}, "warning");
  opt_.notifications_enabled = false;
  ExpectResolved(a, "notifications.enabled: false");
}

std::vector<Alert> SpoolAlerts(const HealthData& h, const AlertingConfig& cfg = {}) {
  TelephonyState t;
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  std::vector<Alert> out;
  for (const auto& a : cond.active) {
    if (a.name() == kMonitoringBlind && a.labels.count("source") && a.labels.at("source") == "spool") out.push_back(a);
  }
  return out;
}

TEST(SpoolConditionTest, AnUnwritableSpoolFolderRaisesMonitoringBlind) {
  HealthState h;
  h.Update([](HealthData& d) {
    d.spool.in_use = true;
    d.spool.dir = "/var/lib/genesys_exporter/spool";
  });
  EXPECT_TRUE(SpoolAlerts(h.Read([](const HealthData& d) { return d; })).empty());
  h.RecordSpoolWrite("alert state",
                     Status::Error("open /var/lib/genesys_exporter/spool/alerts.state.tmp: No space left on device"));
  const auto alerts = SpoolAlerts(h.Read([](const HealthData& d) { return d; }));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, "warning");
  EXPECT_NE(alerts[0].summary.find("/var/lib/genesys_exporter/spool cannot be written"), std::string::npos);
  h.RecordSpoolWrite("alert state", Status::Ok());
  EXPECT_TRUE(SpoolAlerts(h.Read([](const HealthData& d) { return d; })).empty());
}

TEST(SpoolConditionTest, OffWithTheRuleOrWithoutASpool) {
  HealthData h;
  h.spool.errors["folder"] = "broken";
  EXPECT_TRUE(SpoolAlerts(h).empty());  // alerting off: no spool in use
  h.spool.in_use = true;
  AlertingConfig cfg;
  cfg.rules["monitoring_blind"].enabled = false;
  EXPECT_TRUE(SpoolAlerts(h, cfg).empty());
  EXPECT_EQ(SpoolAlerts(h).size(), 1u);
}

}  // namespace
}  // namespace gx
