#include "exporter/outputs/http/status_alerts.h"

#include <gtest/gtest.h>

namespace gx::status {
namespace {

Alert A(AlertLabels labels, std::string severity, AlertStatus status = AlertStatus::kFiring, UnixNanos since = 1) {
  Alert a;
  a.labels = std::move(labels);
  a.fingerprint = AlertFingerprint(a.labels);
  a.severity = std::move(severity);
  a.status = status;
  a.active_since = since;
  return a;
}

TEST(FiringAlertsTest, CriticalFirstThenOldestFirstAndPendingCounted) {
  const std::vector<Alert> alerts = {
      A({{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}}, "warning", AlertStatus::kFiring, 5),
      A({{"alertname", "edge_offline"}, {"edge_id", "e2"}}, "critical", AlertStatus::kFiring, 9),
      A({{"alertname", "edge_offline"}, {"edge_id", "e1"}}, "critical", AlertStatus::kFiring, 3),
      A({{"alertname", "edge_offline"}, {"edge_id", "e3"}}, "critical", AlertStatus::kPending),
  };
  FiringAlerts fa(alerts);
  ASSERT_EQ(fa.firing().size(), 3u);
  EXPECT_EQ(fa.firing()[0]->labels.at("edge_id"), "e1");
  EXPECT_EQ(fa.firing()[1]->labels.at("edge_id"), "e2");
  EXPECT_EQ(fa.firing()[2]->labels.at("trunk_id"), "t1");
  EXPECT_EQ(fa.pending(), 1);
}

TEST(FiringAlertsTest, LevelOfNeedsEveryLabel) {
  const std::vector<Alert> alerts = {
      A({{"alertname", "registration_failure"}, {"scope", "user"}, {"site", "HQ"}, {"user_id", "u1"}}, "warning"),
      A({{"alertname", "registration_failure"}, {"scope", "site"}, {"site", "Branch"}}, "critical"),
      A({{"alertname", "tls_cert_expiry"}, {"target", "a:5061"}}, "warning"),
      A({{"alertname", "tls_cert_expiry"}, {"target", "b:5061"}}, "critical", AlertStatus::kPending),
  };
  FiringAlerts fa(alerts);
  EXPECT_EQ(fa.LevelOf("registration_failure", {{"scope", "site"}, {"site", "HQ"}}), StatusLevel::kOk);
  EXPECT_EQ(fa.LevelOf("registration_failure", {{"scope", "site"}, {"site", "Branch"}}), StatusLevel::kOutage);
  EXPECT_EQ(fa.LevelOf("tls_cert_expiry", {{"target", "a:5061"}}), StatusLevel::kDegraded);
  EXPECT_EQ(fa.LevelOf("tls_cert_expiry", {{"target", "b:5061"}}), StatusLevel::kOk) << "pending says nothing";
  EXPECT_EQ(fa.LevelOf("edge_offline", {{"target", "a:5061"}}), StatusLevel::kOk) << "another alertname";
}

}  // namespace
}  // namespace gx::status
