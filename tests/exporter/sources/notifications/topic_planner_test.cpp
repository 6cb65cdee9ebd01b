#include "exporter/sources/notifications/topic_planner.h"

#include <gtest/gtest.h>

#include <random>

#include "exporter/sources/notifications/push_coverage.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'790'000'000LL * kNanosPerSecond;

std::string Id(const char* prefix, int i) { return prefix + std::to_string(i); }

// A small org whose inventory, lines, stations and followed users change at
// random, through the same writer the sources use.
class RandomOrg {
 public:
  explicit RandomOrg(unsigned seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(int percent) { return Pick(100) < percent; }

  Phone MakePhone(int i) {
    Phone p;
    p.id = Id("p", i);
    p.name = "Phone " + p.id;
    p.state = "active";
    p.line_ids = {Id("l", Pick(kLines))};
    if (Coin(20)) p.web_rtc_user_id = Id("w", Pick(8));
    p.status = MakeStatus();
    return p;
  }
  PhoneStatus MakeStatus() {
    PhoneStatus s;
    s.operational_status = Coin(70) ? "OPERATIONAL" : "OFFLINE";
    s.event_creation_time = (now_ += kNanosPerSecond);
    const int lines = 1 + Pick(2);
    for (int i = 0; i < lines; ++i) {
      LineStatus l;
      l.id = Id("l", Pick(kLines));
      l.reachable = Coin(60);
      s.lines.push_back(l);
    }
    return s;
  }

  // One random write batch. `inventory` false: status changes only.
  void Step(TelephonyState& state, bool inventory) {
    now_ += kNanosPerSecond;
    const UnixNanos now = now_;
    const int kind = inventory ? Pick(9) : Pick(3);
    state.Write([&](TelephonyWriter& w) {
      switch (kind) {
        case 0: {  // a pushed phone status: may move a line to another phone
          PhoneStatusUpdate u;
          u.phone_id = Id("p", Pick(kPhones));
          u.status = MakeStatus();
          w.ApplyPhoneStatus(u, now);
          break;
        }
        case 1: {  // a pushed trunk status
          TrunkStatusUpdate u;
          u.trunk_id = Id("t", Pick(kTrunks));
          u.connected = Coin(50);
          u.connected_state_time = now;
          w.ApplyTrunkStatus(u, now);
          break;
        }
        case 2: {  // a pushed edge status
          w.ApplyEdgeStatus({Id("e", Pick(kEdges)), Coin(50) ? "ONLINE" : "OFFLINE"}, now);
          break;
        }
        case 3: {  // a phones poll: some phones come, some go, lines move
          std::vector<Phone> phones;
          for (int i = 0; i < kPhones; ++i) {
            if (Coin(85)) phones.push_back(MakePhone(i));
          }
          w.ReplacePhones(std::move(phones), now);
          break;
        }
        case 4: {
          std::vector<Trunk> trunks;
          for (int i = 0; i < kTrunks; ++i) {
            if (!Coin(80)) continue;
            Trunk t;
            t.id = Id("t", i);
            t.trunk_type = "EXTERNAL";
            trunks.push_back(t);
          }
          w.ReplaceTrunks(std::move(trunks), now);
          break;
        }
        case 5: {
          std::vector<Edge> edges;
          for (int i = 0; i < kEdges; ++i) {
            if (!Coin(80)) continue;
            Edge e;
            e.id = Id("e", i);
            e.online_status = "ONLINE";
            edges.push_back(e);
          }
          w.ReplaceEdges(std::move(edges), now);
          break;
        }
        case 6: {  // stations point at lines or WebRTC users
          std::vector<Station> stations;
          for (int i = 0; i < kStations; ++i) {
            Station s;
            s.id = Id("s", i);
            if (Coin(70)) {
              s.line_appearance_id = Id("l", Pick(kLines));
            } else {
              s.web_rtc_user_id = Id("w", Pick(8));
            }
            stations.push_back(s);
          }
          w.ReplaceStations(std::move(stations), now);
          break;
        }
        case 7: {  // the followed users change (a reload)
          std::vector<std::string> users;
          for (int i = 0; i < kUsers; ++i) {
            if (Coin(70)) users.push_back(Id("u", i));
          }
          w.SetFollowedUsers(users);
          break;
        }
        default: {  // a user's station (polled or pushed)
          UserStation st;
          st.user_id = Id("u", Pick(kUsers));
          st.station_id = Coin(85) ? Id("s", Pick(kStations)) : "";
          w.ApplyUserStation(st, now);
          break;
        }
      }
    });
  }

 private:
  static constexpr int kPhones = 40, kLines = 30, kTrunks = 6, kEdges = 4, kStations = 10, kUsers = 8;
  std::mt19937 rng_;
  UnixNanos now_ = kT0;
};

std::vector<std::string> FollowedUsers(const TelephonyData& d) {
  std::vector<std::string> users;
  for (const auto& [id, u] : d.users) users.push_back(id);
  return users;
}

void ExpectSamePlan(const TopicPlan& got, const TopicPlan& want) {
  EXPECT_EQ(got.channels, want.channels);
  EXPECT_EQ(got.pushed_phones, want.pushed_phones);
  EXPECT_EQ(got.pushed_trunks, want.pushed_trunks);
  EXPECT_EQ(got.pushed_edges, want.pushed_edges);
  EXPECT_EQ(got.station_users, want.station_users);
  EXPECT_EQ(got.polled_phones, want.polled_phones);
  EXPECT_EQ(got.dropped_topics, want.dropped_topics);
}

// The property: after any sequence of writes, the kept plan is the plan a full
// PlanTopics over the same snapshot gives. A budget smaller than the org makes
// every inventory change move the cut between pushed and polled phones.
TEST(TopicPlannerTest, KeptPlanEqualsAFullPlanAfterEveryRandomWrite) {
  TopicBudget budget;
  budget.total = 40;
  budget.per_channel = 7;
  budget.max_channels = 8;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    RandomOrg org(seed);
    TelephonyState state;
    TopicPlanner planner;
    for (int step = 0; step < 300; ++step) {
      org.Step(state, /*inventory=*/true);
      const TelephonySnapshot s = state.Snapshot();
      const TopicPlan& kept = planner.Plan(*s, budget);
      const TopicPlan full = PlanTopics(*s, FollowedUsers(*s), budget);
      SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
      ExpectSamePlan(kept, full);
      EXPECT_EQ(FullyPushedSources(kept, *s), FullyPushedSources(full, *s));
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(TopicPlannerTest, PushedStatusesDoNotRePlan) {
  RandomOrg org(7);
  TelephonyState state;
  for (int i = 0; i < 100; ++i) org.Step(state, /*inventory=*/true);
  const UnixNanos t1 = kT0 + 1000000 * kNanosPerSecond;  // after every random write
  // Statuses that keep every phone's lines as they are.
  state.Write([&](TelephonyWriter& w) {
    std::vector<Phone> phones;
    for (int i = 0; i < 20; ++i) {
      Phone p;
      p.id = Id("p", i);
      p.line_ids = {Id("l", i)};
      PhoneStatus st;
      st.event_creation_time = t1;
      st.lines = {LineStatus{Id("l", i), true}};
      p.status = st;
      phones.push_back(p);
    }
    w.ReplacePhones(std::move(phones), t1);
  });
  TopicPlanner planner;
  planner.Plan(*state.Snapshot(), TopicBudget{});
  const std::uint64_t version = state.version();
  for (int i = 0; i < 50; ++i) {
    PhoneStatusUpdate u;
    u.phone_id = Id("p", i % 20);
    PhoneStatus st;
    st.operational_status = i % 2 ? "OFFLINE" : "OPERATIONAL";
    st.event_creation_time = t1 + (i + 1) * kNanosPerSecond;
    st.lines = {LineStatus{Id("l", i % 20), i % 2 == 0}};
    u.status = st;
    ASSERT_TRUE(state.ApplyPhoneStatus(u, t1 + (i + 1) * kNanosPerSecond));
    planner.Plan(*state.Snapshot(), TopicBudget{});
    EXPECT_FALSE(planner.replanned()) << "status " << i;
  }
  EXPECT_GT(state.version(), version);
  EXPECT_EQ(planner.plans(), 1u);

  // A status that moves a line is an inventory change for the plan.
  PhoneStatusUpdate moved;
  moved.phone_id = "p0";
  PhoneStatus st;
  st.event_creation_time = t1 + 100 * kNanosPerSecond;
  st.lines = {LineStatus{"l-new", true}};
  moved.status = st;
  ASSERT_TRUE(state.ApplyPhoneStatus(moved, t1 + 100 * kNanosPerSecond));
  planner.Plan(*state.Snapshot(), TopicBudget{});
  EXPECT_TRUE(planner.replanned());
}

TEST(TopicPlannerTest, ABudgetChangeRePlans) {
  RandomOrg org(3);
  TelephonyState state;
  for (int i = 0; i < 50; ++i) org.Step(state, /*inventory=*/true);
  TopicPlanner planner;
  planner.Plan(*state.Snapshot(), TopicBudget{});
  TopicBudget smaller;
  smaller.total = 5;
  const TopicPlan& plan = planner.Plan(*state.Snapshot(), smaller);
  EXPECT_TRUE(planner.replanned());
  EXPECT_LE(plan.topic_count(), 5u);
}

}  // namespace
}  // namespace gx
