// Which sources a topic plan covers whole, so that polling can leave them to the resync.
#include "exporter/sources/notifications/push_coverage.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TelephonyData Org(int phones, int trunks, int edges) {
  TelephonyData d;
  char buf[32];
  for (int i = 0; i < phones; ++i) {
    std::snprintf(buf, sizeof buf, "p%05d", i);
    PhoneEntry e;
    e.phone.id = buf;
    d.phones.Put(buf, e);
  }
  for (int i = 0; i < trunks; ++i) {
    std::snprintf(buf, sizeof buf, "t%03d", i);
    TrunkEntry e;
    e.trunk.id = buf;
    d.trunks.Put(buf, e);
  }
  for (int i = 0; i < edges; ++i) {
    std::snprintf(buf, sizeof buf, "e%03d", i);
    EdgeEntry e;
    e.edge.id = buf;
    d.edges.Put(buf, e);
  }
  d.phones_loaded = d.trunks_loaded = d.edges_loaded = true;
  return d;
}

using Names = std::vector<std::string>;

TEST(PushCoverage, EveryTrunkAndEdgeWithTopicsCoversTheirSources) {
  const auto d = Org(50, 10, 4);
  const auto plan = PlanTopics(d, {}, TopicBudget{});
  // Phones are never covered whole: their polling skips pushed phones page by page instead.
  EXPECT_EQ(FullyPushedSources(plan, d), (Names{"trunks", "trunk_metrics", "edges", "edge_metrics"}));
}

TEST(PushCoverage, EdgeMetricsNeedTheirTopics) {
  const auto d = Org(0, 2, 3);
  TopicBudget no_metrics;
  no_metrics.edge_metrics = false;
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {}, no_metrics), d), (Names{"trunks", "trunk_metrics", "edges"}));
  // 4 trunk topics + 3 edge topics fit in 8, the 3 edge metrics topics do not.
  TopicBudget small;
  small.total = 8;
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {}, small), d), (Names{"trunks", "trunk_metrics", "edges"}));
}

TEST(PushCoverage, ATrunkLeftToPollingMeansTrunksArePolled) {
  const auto d = Org(0, 3, 0);
  TopicBudget small;
  small.total = 4;  // two of the three trunks
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {}, small), d), Names{});
}

TEST(PushCoverage, NothingIsCoveredBeforeTheInventoryIsLoadedOrWhenItIsEmpty) {
  auto d = Org(0, 2, 2);
  d.trunks_loaded = false;
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {}, TopicBudget{}), d), (Names{"edges", "edge_metrics"}));
  const auto empty = Org(5, 0, 0);
  EXPECT_EQ(FullyPushedSources(PlanTopics(empty, {}, TopicBudget{}), empty), Names{});
}

void Follow(TelephonyData& d, const Names& users) {
  for (const auto& id : users) {
    UserEntry u;
    u.station.user_id = id;
    d.users.Put(id, u);
  }
}

// The stations source reads the followed users' associations (pushed on
// v2.users.{id}.station) and the stations they name (configuration, read by the resync).
TEST(PushCoverage, EveryFollowedUserWithAStationTopicCoversStations) {
  auto d = Org(0, 1, 1);
  Follow(d, {"u1", "u2"});
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {"u1", "u2"}, TopicBudget{}), d),
            (Names{"trunks", "trunk_metrics", "edges", "edge_metrics", "stations"}));
  // One user's topic does not fit (2 trunk + 2 edge topics + 1 station topic of 6): stations are polled.
  TopicBudget small;
  small.total = 5;
  EXPECT_EQ(FullyPushedSources(PlanTopics(d, {"u1", "u2"}, small), d),
            (Names{"trunks", "trunk_metrics", "edges", "edge_metrics"}));
  // No followed users: the stations source reads nothing, and nothing covers it.
  const auto none = Org(0, 1, 1);
  EXPECT_EQ(FullyPushedSources(PlanTopics(none, {}, TopicBudget{}), none),
            (Names{"trunks", "trunk_metrics", "edges", "edge_metrics"}));
  EXPECT_EQ(WithoutRejected({"edges", "stations"}, {UserStationTopic("u2")}), Names{"edges"});
}

TEST(PushCoverage, RejectedTopicsUncoverTheirSources) {
  const Names all{"trunks", "trunk_metrics", "edges", "edge_metrics"};
  EXPECT_EQ(WithoutRejected(all, {TrunkMetricsTopic("t1")}), (Names{"trunks", "edges", "edge_metrics"}));
  EXPECT_EQ(WithoutRejected(all, {EdgeTopic("e1"), PhoneTopic("p1")}), (Names{"trunks", "trunk_metrics", "edge_metrics"}));
  EXPECT_EQ(WithoutRejected(all, {}), all);
}

}  // namespace
}  // namespace gx
