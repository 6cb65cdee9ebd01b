// The timeline's order and due times, and the translation of scripted changes.
#include "simulator/timeline.h"

#include <gtest/gtest.h>

#include "simulator/sim_core.h"
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

TimelineEvent Event(double at_s, std::string action, std::string target = "") {
  TimelineEvent ev;
  ev.at_s = at_s;
  ev.action = std::move(action);
  ev.target = std::move(target);
  return ev;
}

std::vector<std::string> Actions(const std::vector<TimelineEvent>& evs) {
  std::vector<std::string> out;
  for (const auto& e : evs) out.push_back(e.action);
  return out;
}

TEST(TimelineTest, EventsComeDueInTimeOrderAndSameTimesKeepTheFileOrder) {
  Timeline t({Event(5, "late"), Event(1, "first"), Event(1, "second"), Event(3, "middle")}, {});
  EXPECT_TRUE(t.TakeEvents(0.5).empty());
  EXPECT_EQ(Actions(t.TakeEvents(1)), (std::vector<std::string>{"first", "second"}));  // due at exactly at_s
  EXPECT_TRUE(t.TakeEvents(1).empty());                                                 // each once
  EXPECT_EQ(Actions(t.TakeEvents(10)), (std::vector<std::string>{"middle", "late"}));
  EXPECT_TRUE(t.TakeEvents(1e9).empty());
}

TEST(TimelineTest, FaultsHaveTheirOwnCursor) {
  FaultSpec a, b;
  a.at_s = 2;
  a.kind = "a";
  b.at_s = 1;
  b.kind = "b";
  Timeline t({Event(1, "x")}, {a, b});
  EXPECT_EQ(Actions(t.TakeEvents(5)), std::vector<std::string>{"x"});
  auto faults = t.TakeFaults(1.5);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].kind, "b");
  faults = t.TakeFaults(2);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].kind, "a");
}

class ApplyTimelineEventTest : public ::testing::Test {
 protected:
  ManualClock clock_{1'790'000'000LL * kNanosPerSecond};
  SimCore core_{testing::SmallScenario(), clock_, {}};
};

TEST_F(ApplyTimelineEventTest, AScriptedChangeReachesTheOrg) {
  const std::string phone = core_.Read([](const Org& org) { return org.phones[2].id; });
  TimelineEvent ev = Event(0, "phone_line", phone);
  ev.args = {{"line", "0"}, {"reachable", "false"}};
  Status applied = ApplyTimelineEvent(core_, ev);
  ASSERT_TRUE(applied.ok()) << applied.error();
  EXPECT_FALSE(core_.Read([](const Org& org) { return org.phones[2].lines.front().reachable; }));
  ev.args["reachable"] = "up";  // the scenario file's words for true
  applied = ApplyTimelineEvent(core_, ev);
  ASSERT_TRUE(applied.ok()) << applied.error();
  EXPECT_TRUE(core_.Read([](const Org& org) { return org.phones[2].lines.front().reachable; }));
}

TEST_F(ApplyTimelineEventTest, AnUnknownActionOrTargetIsAnError) {
  const Status unknown_action = ApplyTimelineEvent(core_, Event(0, "teleport", "x"));
  EXPECT_FALSE(unknown_action.ok());
  EXPECT_EQ(unknown_action.error(), "unknown action 'teleport'");
  const Status unknown_edge = ApplyTimelineEvent(core_, Event(0, "edge_online", "no-such-edge"));
  EXPECT_FALSE(unknown_edge.ok());
  EXPECT_EQ(unknown_edge.error(), "unknown edge 'no-such-edge'");
}

}  // namespace
}  // namespace gx::sim
