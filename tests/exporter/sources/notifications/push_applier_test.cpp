#include "exporter/sources/notifications/push_applier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "exporter/state/self_metrics.h"

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
  ApplyQueueCounts Queue() { return health.self_metrics().ApplyQueue(); }
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
  EXPECT_EQ(f.Queue().applied, 3u);
  EXPECT_GT(f.Queue().apply_delay_sum, 0);
  EXPECT_EQ(f.Queue().length, 0u);
  EXPECT_EQ(f.Health().stale_events, 1u);  // the unknown edge
  EXPECT_EQ(applier.DrainOnce(), 0u);
}

TEST(PushApplier, AFullQueueRefusesCountsAndAsksForAResync) {
  Fixture f;
  PushApplier applier(f.state, f.health, /*capacity=*/2);
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e0", "OFFLINE"), kT0 + 1));
  ASSERT_TRUE(applier.Enqueue(EdgeFrame("e1", "OFFLINE"), kT0 + 1));
  EXPECT_FALSE(applier.Enqueue(EdgeFrame("e2", "OFFLINE"), kT0 + 1));
  EXPECT_EQ(f.Queue().overflows, 1u);
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

// The queue's series are on /metrics from the applier's construction, at zero, before any frame.
TEST(PushApplier, ItsSeriesExistFromTheStart) {
  Fixture f;
  auto names = [&] {
    std::set<std::string> out;
    for (const auto& family : f.health.self_metrics().Collect()) out.insert(family.name);
    return out;
  };
  EXPECT_EQ(names().count("genesys_notifications_queue_length"), 0u) << "no applier, no series";
  PushApplier applier(f.state, f.health);
  const auto with = names();
  EXPECT_EQ(with.count("genesys_notifications_apply_delay_seconds"), 1u);
  EXPECT_EQ(with.count("genesys_notifications_queue_overflows_total"), 1u);
  EXPECT_EQ(with.count("genesys_notifications_queue_length"), 1u);
  EXPECT_EQ(f.Queue().applied, 0u);
}

// The applier thread counts while the listener's threads enqueue and a scrape reads (TSan).
TEST(PushApplier, CountsFromItsThreadWhileOthersEnqueueAndRead) {
  Fixture f;
  PushApplier applier(f.state, f.health, /*capacity=*/8);
  applier.Start();
  std::atomic<std::uint64_t> accepted{0}, refused{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 500; ++i) {
        const bool ok = applier.Enqueue(EdgeFrame("e" + std::to_string((i + w) % 3), i % 2 ? "ONLINE" : "OFFLINE"),
                                        kT0 + 1 + i);
        ++(ok ? accepted : refused);
      }
    });
  }
  std::thread reader([&] {
    for (int i = 0; i < 200; ++i) f.health.self_metrics().Collect();
  });
  for (auto& t : writers) t.join();
  reader.join();
  applier.Stop();  // applies what is still queued
  EXPECT_EQ(f.Queue().applied, accepted.load());
  EXPECT_EQ(f.Queue().overflows, refused.load());
  EXPECT_EQ(f.Queue().length, 0u);
}

}  // namespace
}  // namespace gx
