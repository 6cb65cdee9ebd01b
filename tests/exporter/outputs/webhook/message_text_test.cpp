// The words the generic, Slack and Teams formats share for a group and its alerts.
#include "exporter/outputs/webhook/message_text.h"

#include <gtest/gtest.h>

#include "tests/exporter/outputs/webhook/receiver_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;

TEST(MessageTextTest, GroupWordsSayWhatWhereAndHowBad) {
  AlertMessage n = SampleMessage();
  EXPECT_EQ(GroupSummary(n), "2 registration_failure alerts firing, 1 resolved (site HQ)");
  EXPECT_EQ(FiringTitle(n), "critical: 2 registration_failure alerts firing, 1 resolved (site HQ)");
  EXPECT_EQ(ResolvedSummary(n), "resolved: 1 registration_failure alert (site HQ)");
  n.firing[1].labels["alertname"] = "edge_offline";
  n.firing[1].severity = "warning";
  EXPECT_EQ(GroupAlertType(n.firing), "mixed");
  EXPECT_EQ(WorstSeverity(n.firing), "critical");
  for (auto& a : n.firing) a.severity.clear();
  EXPECT_EQ(FiringTitle(n), "2 mixed alerts firing, 1 resolved (site HQ)") << "no empty severity prefix";
  EXPECT_EQ(GroupWhere({{"alertname", "x"}, {"site", ""}}), "");
  EXPECT_EQ(GroupWhere({{"alertname", "x"}, {"region", "eu"}, {"site", "HQ"}}), " (region eu, site HQ)");
}

TEST(MessageTextTest, AlertStartsWhenItFiredOrWasFirstSeen) {
  Alert a = SampleAlert("p1", "HQ", AlertStatus::kFiring, kT0);
  EXPECT_EQ(AlertStartsAt(a), kT0);
  EXPECT_EQ(AlertWhere(a), "phone_id p1, site HQ");
  a.fired_at = 0;
  EXPECT_EQ(AlertStartsAt(a), a.active_since);
}

}  // namespace
}  // namespace gx
