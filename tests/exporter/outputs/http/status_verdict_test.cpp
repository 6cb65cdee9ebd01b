#include "exporter/outputs/http/status_verdict.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

StatusFinding F(StatusLevel level, std::string key, std::string text) {
  return {level, std::move(key), std::move(text)};
}

TEST(StatusVerdictTest, NothingFoundIsOkOnceTheFirstPollIsDone) {
  EXPECT_EQ(DecideVerdict({}, true).level, StatusLevel::kOk);
  EXPECT_EQ(DecideVerdict({}, false).level, StatusLevel::kStarting);
  EXPECT_TRUE(DecideVerdict({}, true).reasons.empty());
  // A finding at kOk says nothing.
  EXPECT_EQ(DecideVerdict({F(StatusLevel::kOk, "a", "fine")}, true).level, StatusLevel::kOk);
}

TEST(StatusVerdictTest, TheWorstFindingWinsAndTheRestAreCounted) {
  const auto v = DecideVerdict(
      {F(StatusLevel::kDegraded, "trunk_id=1", "trunk 1 degraded"),
       F(StatusLevel::kOutage, "edge_id=2", "edge 2 offline"), F(StatusLevel::kBlind, "source=api", "API failing"),
       F(StatusLevel::kOutage, "trunk_id=3", "trunk 3 down")},
      false);
  EXPECT_EQ(v.level, StatusLevel::kOutage);
  EXPECT_EQ(v.reasons, (std::vector<std::string>{"edge 2 offline", "trunk 3 down"})) << "in the order found";
  EXPECT_EQ(v.other_findings, 2);
}

TEST(StatusVerdictTest, RanksOutageOverBlindOverDegradedOverStarting) {
  EXPECT_EQ(DecideVerdict({F(StatusLevel::kDegraded, "a", "")}, false).level, StatusLevel::kDegraded);
  EXPECT_EQ(DecideVerdict({F(StatusLevel::kDegraded, "a", ""), F(StatusLevel::kBlind, "b", "")}, true).level,
            StatusLevel::kBlind);
  EXPECT_EQ(DecideVerdict({F(StatusLevel::kOutage, "c", ""), F(StatusLevel::kBlind, "b", "")}, true).level,
            StatusLevel::kOutage);
}

TEST(StatusVerdictTest, OneSubjectCountsOnceAtItsWorstWithItsFirstText) {
  const auto v = DecideVerdict({F(StatusLevel::kDegraded, "trunk_id=1", "trunk 1 is degraded: OPTIONS down"),
                                F(StatusLevel::kOutage, "trunk_id=1", "trunk 1 is down")},
                               true);
  EXPECT_EQ(v.level, StatusLevel::kOutage);
  EXPECT_EQ(v.reasons, std::vector<std::string>{"trunk 1 is degraded: OPTIONS down"});
  EXPECT_EQ(v.other_findings, 0);
}

Alert A(std::string name, std::string severity, AlertLabels labels = {}) {
  Alert a;
  a.labels = std::move(labels);
  a.labels["alertname"] = std::move(name);
  a.fingerprint = AlertFingerprint(a.labels);
  a.severity = std::move(severity);
  return a;
}

TEST(StatusVerdictTest, AlertLevels) {
  EXPECT_EQ(AlertStatusLevel(A("edge_offline", "critical")), StatusLevel::kOutage);
  EXPECT_EQ(AlertStatusLevel(A("carrier_degradation", "warning")), StatusLevel::kDegraded);
  EXPECT_EQ(AlertStatusLevel(A("registration_failure", "info")), StatusLevel::kOk);
  EXPECT_EQ(AlertStatusLevel(A("monitoring_blind", "critical")), StatusLevel::kBlind);
  EXPECT_EQ(AlertStatusLevel(A("monitoring_blind", "warning")), StatusLevel::kDegraded);
  EXPECT_EQ(AlertStatusLevel(A("x", "")), StatusLevel::kOk);
}

TEST(StatusVerdictTest, AlertKeysNameTheirSubject) {
  EXPECT_EQ(AlertFindingKey(A("carrier_degradation", "warning", {{"trunk_id", "t1"}, {"trunk_name", "x"}})),
            "trunk_id=t1");
  EXPECT_EQ(AlertFindingKey(A("edge_offline", "critical", {{"edge_id", "e1"}, {"site", "HQ"}})), "edge_id=e1");
  EXPECT_EQ(AlertFindingKey(A("monitoring_blind", "critical", {{"source", "api"}})), "source=api");
  const Alert site = A("registration_failure", "warning", {{"scope", "site"}, {"site", "HQ"}});
  EXPECT_EQ(AlertFindingKey(site), site.fingerprint);
}

TEST(StatusVerdictTest, NamesAndTitles) {
  EXPECT_EQ(StatusLevelName(StatusLevel::kBlind), "blind");
  EXPECT_EQ(StatusLevelTitle(StatusLevel::kOk), "All good");
  EXPECT_EQ(StatusLevelTitle(StatusLevel::kOutage), "Outage");
}

}  // namespace
}  // namespace gx
