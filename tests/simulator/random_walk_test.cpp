// The random walk on a small org: with every chance at 1 a step breaks one thing of each
// kind and schedules its recovery; with every chance at 0 it changes nothing.
#include "simulator/random_walk.h"

#include <gtest/gtest.h>

#include "simulator/sim_core.h"
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

struct Health {
  int unreachable_lines = 0, not_operational = 0, options_down = 0, disconnected = 0, offline_edges = 0;
  bool operator==(const Health&) const = default;
};

Health Count(const SimCore& core) {
  return core.Read([](const Org& org) {
    Health h;
    for (const auto& p : org.phones) {
      h.unreachable_lines += !p.lines.front().reachable;
      h.not_operational += p.status != "OPERATIONAL";
    }
    for (const auto& t : org.trunks) {
      h.disconnected += !t.connected;
      for (const auto& px : t.proxies) h.options_down += !px.options_up;
    }
    for (const auto& e : org.edges) h.offline_edges += !e.online;
    return h;
  });
}

class RandomWalkTest : public ::testing::Test {
 protected:
  RandomWalk Always() {
    RandomWalk w;
    w.phone_line_flip = w.phone_status_change = w.trunk_options_flip = w.trunk_connected_flip = w.edge_online_flip =
        w.trunk_calls_change = 1;
    return w;
  }
  ManualClock clock_{1'790'000'000LL * kNanosPerSecond};
  SimCore core_{testing::SmallScenario(), clock_, {}};
  std::vector<std::pair<double, std::function<void()>>> scheduled_;
  ScheduleFn schedule_ = [this](double after_s, std::function<void()> f) { scheduled_.emplace_back(after_s, f); };
};

TEST_F(RandomWalkTest, AStepBreaksOneOfEachAndSchedulesTheRecoveries) {
  const Health before = Count(core_);
  ASSERT_EQ(before, Health{});
  std::mt19937_64 rng(7);
  WalkStep(core_, Always(), rng, schedule_);
  const Health after = Count(core_);
  // A phone may lose its line and its status in one step, or two phones one each.
  EXPECT_EQ(after.unreachable_lines, 1);
  EXPECT_EQ(after.not_operational, 1);
  EXPECT_EQ(after.options_down, 1);
  EXPECT_EQ(after.disconnected, 1);
  EXPECT_EQ(after.offline_edges, 1);
  ASSERT_EQ(scheduled_.size(), 5u);  // the call counts drift; they have nothing to recover
  for (const auto& [after_s, recover] : scheduled_) {
    EXPECT_GE(after_s, 10);
    EXPECT_LE(after_s, 60);
    recover();
  }
  EXPECT_EQ(Count(core_), Health{});
}

TEST_F(RandomWalkTest, TheSameSeedWalksTheSameWay) {
  std::mt19937_64 a(99), b(99);
  WalkStep(core_, Always(), a, schedule_);
  ManualClock clock{1'790'000'000LL * kNanosPerSecond};
  SimCore other(testing::SmallScenario(), clock, {});
  std::vector<double> delays_a, delays_b;
  for (auto& [s, f] : scheduled_) delays_a.push_back(s);
  scheduled_.clear();
  WalkStep(other, Always(), b, schedule_);
  for (auto& [s, f] : scheduled_) delays_b.push_back(s);
  EXPECT_EQ(delays_a, delays_b);
  EXPECT_EQ(Count(core_), Count(other));
}

TEST_F(RandomWalkTest, NoChanceNoChange) {
  RandomWalk never = Always();
  never.phone_line_flip = never.phone_status_change = never.trunk_options_flip = never.trunk_connected_flip =
      never.edge_online_flip = never.trunk_calls_change = 0;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 50; ++i) WalkStep(core_, never, rng, schedule_);
  EXPECT_TRUE(scheduled_.empty());
  EXPECT_EQ(Count(core_), Health{});
  EXPECT_EQ(core_.events_published.load(), 0u);
}

}  // namespace
}  // namespace gx::sim
