// genesys_state_oldest_data_timestamp_seconds: the oldest datum of each kind, polled or pushed.
#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

using testing::kT0;

std::string Render(const TelephonyState& state) {
  return testing::Render(state, HealthState{}, CollectorOptions{}, {"freshness"});
}

std::string Series(const std::string& kind, UnixNanos at) {
  return "\ngenesys_state_oldest_data_timestamp_seconds{kind=\"" + kind + "\"} " +
         std::to_string(at / kNanosPerSecond) + "\n";
}

TEST(FreshnessCollectorTest, ThePhoneReportedLeastRecentlySetsTheKindsTime) {
  TelephonyState state;
  Phone a, b;
  a.id = "a";
  b.id = "b";
  state.ReplacePhones({a, b}, kT0);
  EXPECT_NE(Render(state).find(Series("phones", kT0)), std::string::npos) << Render(state);
  // A pushed status refreshes one phone: the other is still the oldest.
  PhoneStatusUpdate push;
  push.phone_id = "a";
  push.status = PhoneStatus{};
  ASSERT_TRUE(state.ApplyPhoneStatus(push, kT0 + 30 * kNanosPerSecond));
  EXPECT_NE(Render(state).find(Series("phones", kT0)), std::string::npos) << Render(state);
  push.phone_id = "b";
  ASSERT_TRUE(state.ApplyPhoneStatus(push, kT0 + 45 * kNanosPerSecond));
  EXPECT_NE(Render(state).find(Series("phones", kT0 + 30 * kNanosPerSecond)), std::string::npos) << Render(state);
}

TEST(FreshnessCollectorTest, EveryKindHasItsSeries) {
  TelephonyState state;
  Trunk t;
  t.id = "t1";
  t.trunk_type = "EXTERNAL";
  state.ReplaceTrunks({t}, kT0 + 1 * kNanosPerSecond);
  TrunkMetrics tm;
  tm.trunk_id = "t1";
  tm.event_time = kT0 - 20 * kNanosPerSecond;
  state.ApplyTrunkMetrics(tm, kT0 + 2 * kNanosPerSecond);
  Edge e;
  e.id = "e1";
  state.ReplaceEdges({e}, kT0 + 3 * kNanosPerSecond);
  EdgeMetrics em;
  em.edge_id = "e1";
  em.event_time = kT0 - 40 * kNanosPerSecond;
  state.ApplyEdgeMetrics(em, kT0 + 4 * kNanosPerSecond);
  Station s;
  s.id = "s1";
  state.ReplaceStations({s}, kT0 + 5 * kNanosPerSecond);
  const std::string text = Render(state);
  EXPECT_NE(text.find("# TYPE genesys_state_oldest_data_timestamp_seconds gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find(Series("trunks", kT0 + 1 * kNanosPerSecond)), std::string::npos) << text;
  EXPECT_NE(text.find(Series("trunk_metrics", kT0 - 20 * kNanosPerSecond)), std::string::npos) << text;
  EXPECT_NE(text.find(Series("edges", kT0 + 3 * kNanosPerSecond)), std::string::npos) << text;
  EXPECT_NE(text.find(Series("edge_metrics", kT0 - 40 * kNanosPerSecond)), std::string::npos) << text;
  EXPECT_NE(text.find(Series("stations", kT0 + 5 * kNanosPerSecond)), std::string::npos) << text;
  EXPECT_EQ(text.find("kind=\"phones\""), std::string::npos) << "no phones held: no series";
}

TEST(FreshnessCollectorTest, NoSeriesWithoutData) {
  EXPECT_EQ(Render(TelephonyState{}).find("genesys_state_oldest_data_timestamp_seconds{"), std::string::npos);
}

}  // namespace
}  // namespace gx
