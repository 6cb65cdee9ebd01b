#include "exporter/sources/notifications/push_applier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1778400000LL * kNanosPerSecond;

NotificationFrame EdgeFrame(const std::string& id, const std::string& status) {
  NotificationFrame n;
  n.topic_name = "v2.telephony.providers.edges." + id;
  n.topic_kind = "edge";
  n.event = EdgeStatusUpdate{id, status};
  return n;
}

struct Fixture {
  TelephonyState state;
  HealthState health;
  Fixture() {
    std::vector<Edge> edges(3);
    for (int i = 0; i < 3; ++i) edges[i].id = "e" + std::to_string(i);
    state.ReplaceEdges(edges, kT0);
  }
  NotificationHealth Health() { return health.Read([](const HealthData& h) { return h.notifications; }); }
};

TEST(PushApplier, AppliesAQueuedBatchAsOneSnapshotAndRecordsTheDelay) {
  Fixture f;
  PushApplier applier(f.state, f.health);
  const auto v0 = f.state.version();
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e0", "OFFLINE"), kT0 + 1));
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e1", "OFFLINE"), kT0 + 1));
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("ghost", "OFFLINE"), kT0 + 1));
  EXPECT_EQ(f.state.version(), v0);  // enqueued, not applied: the caller does not touch the state
  EXPECT_EQ(applier.DrainOnce(), 3u);
  EXPECT_EQ(f.state.version(), v0 + 1);
  const TelephonySnapshot s = f.state.Snapshot();
  EXPECT_EQ(s->edges.at("e0").edge.online_status, "OFFLINE");
  EXPECT_EQ(s->edges.at("e1").edge.online_status, "OFFLINE");
  const NotificationHealth h = f.Health();
  EXPECT_EQ(h.apply_delay.count, 3u);
  EXPECT_EQ(h.stale_events, 1u);  // the unknown edge
  EXPECT_EQ(applier.DrainOnce(), 0u);
}

TEST(PushApplier, AFullQueueRefusesCountsAndAsksForAResync) {
  Fixture f;
  PushApplier applier(f.state, f.health, /*capacity=*/2);
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e0", "OFFLINE"), kT0 + 1));
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e1", "OFFLINE"), kT0 + 1));
  EXPECT_FALSE(applier.Enqueue(EdgeFrame("e2", "OFFLINE"), kT0 + 1));
  EXPECT_EQ(f.Health().queue_overflows, 1u);
  EXPECT_EQ(applier.TakeResync(), std::vector<std::string>{"edges"});
  EXPECT_TRUE(applier.TakeResync().empty());
  EXPECT_EQ(applier.DrainOnce(), 2u);
  EXPECT_TRUE(applier.Enqueue(EdgeFrame("e2", "OFFLINE"), kT0 + 1));  // room again
}

TEST(PushApplier, TheThreadAppliesWhatIsEnqueued) {
  Fixture f;
  PushApplier applier(f.state, f.health);
  applier.Start();
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e2", "OFFLINE"), kT0 + 1));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (f.state.Snapshot()->edges.at("e2").edge.online_status != "OFFLINE" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(f.state.Snapshot()->edges.at("e2").edge.online_status, "OFFLINE");
  applier.Stop();
}

}  // namespace
}  // namespace gx
