#include "exporter/sources/notifications/event_router.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

NotificationFrame Note(NotificationEvent ev) {
  NotificationFrame n;
  n.event = std::move(ev);
  return n;
}

PhoneStatusUpdate PhoneUpdate(bool reachable, UnixNanos event_time) {
  PhoneStatusUpdate u;
  u.phone_id = "p1";
  PhoneStatus s;
  s.operational_status = reachable ? "OPERATIONAL" : "OFFLINE";
  s.event_creation_time = event_time;
  LineStatus l;
  l.id = "l1";
  l.reachable = reachable;
  s.lines.push_back(l);
  u.status = s;
  return u;
}

class EventRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Phone p;
    p.id = "p1";
    p.line_ids = {"l1"};
    state_.ReplacePhones({p}, 1000);
  }
  TelephonyState state_;
};

TEST_F(EventRouterTest, PhoneEventReachesTheState) {
  EXPECT_EQ(RouteNotification(Note(PhoneUpdate(false, 5000)), state_, 2000), RouteOutcome::kApplied);
  const bool reachable = state_.Read([](const TelephonyData& d) {
    return d.phones.at("p1").phone.status->lines.at(0).reachable;
  });
  EXPECT_FALSE(reachable);
}

TEST_F(EventRouterTest, OlderEventIsStale) {
  ASSERT_EQ(RouteNotification(Note(PhoneUpdate(false, 5000)), state_, 2000), RouteOutcome::kApplied);
  EXPECT_EQ(RouteNotification(Note(PhoneUpdate(true, 4000)), state_, 3000), RouteOutcome::kStale);
  const bool reachable = state_.Read([](const TelephonyData& d) {
    return d.phones.at("p1").phone.status->lines.at(0).reachable;
  });
  EXPECT_FALSE(reachable);
}

TEST_F(EventRouterTest, UnknownEntityIsStale) {
  EdgeStatusUpdate e;
  e.edge_id = "nope";
  e.online_status = "OFFLINE";
  EXPECT_EQ(RouteNotification(Note(e), state_, 2000), RouteOutcome::kStale);
}

TEST_F(EventRouterTest, ControlEvents) {
  EXPECT_EQ(RouteNotification(Note(HeartbeatEvent{}), state_, 1), RouteOutcome::kHeartbeat);
  EXPECT_EQ(RouteNotification(Note(PongEvent{}), state_, 1), RouteOutcome::kPong);
  EXPECT_EQ(RouteNotification(Note(SocketClosingEvent{}), state_, 1), RouteOutcome::kSocketClosing);
  EXPECT_EQ(RouteNotification(Note(SystemEvent{"token_revoked", "", ""}), state_, 1), RouteOutcome::kRebuild);
  EXPECT_EQ(RouteNotification(Note(SystemEvent{"no_longer_subscribed", "", ""}), state_, 1),
            RouteOutcome::kRebuild);
  EXPECT_EQ(RouteNotification(Note(SystemEvent{"subscription_changed", "", ""}), state_, 1),
            RouteOutcome::kSystemOther);
  EXPECT_EQ(RouteNotification(Note(UnknownTopicEvent{"v2.x"}), state_, 1), RouteOutcome::kUnknownTopic);
}

}  // namespace
}  // namespace gx
