// The listener against genesys_sim when the stream misbehaves: stalled
// heartbeats, socket_closing, short channel lifetimes, token rotation and
// revocation, and sockets dropped without a close frame. Each case checks the
// reconnect reason, whether a resync was (or was not) needed, and that events
// keep arriving afterwards.
#include <set>

#include "tests/integration/notifications_harness.h"

namespace gx::testing {
namespace {

// Flips a phone line through the simulator and waits for the pushed change.
bool PushArrives(NotificationsHarness& h, const std::string& phone, bool reachable) {
  if (!h.sim().SetLineReachable(phone, 0, reachable)) return false;
  return WaitFor([&] { return h.LineReachable(phone) == reachable; });
}

TEST(NotificationsReconnectTest, StalledHeartbeatsPingThenReconnectAndResync) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const auto first = h.listener().Channels().at(0).id;

  h.sim().SetHeartbeats(false);  // the sim stops heartbeats and ignores pings: a stalled stream
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("heartbeat_timeout") >= 1; }));
  EXPECT_FALSE(h.Connected() && h.listener().Channels().at(0).id == first);
  h.sim().SetHeartbeats(true);
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_TRUE(WaitFor([&] { return h.ResyncCount() >= 1; }));
  const auto resyncs = h.Resyncs();
  const std::set<std::string> sources(resyncs.at(0).begin(), resyncs.at(0).end());
  EXPECT_TRUE(sources.count("phones"));
  EXPECT_TRUE(sources.count("trunks"));
  EXPECT_TRUE(sources.count("edges"));
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(0), false));
}

TEST(NotificationsReconnectTest, HeartbeatsAloneDoNotCauseReconnects) {
  // Heartbeats every 0.3 s against a 1 s watch: the socket stays, a pong is not needed.
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const auto first = h.listener().Channels().at(0).id;
  ASSERT_TRUE(WaitFor([&] { return h.Events("heartbeat") >= 10; }));
  EXPECT_EQ(h.listener().Channels().at(0).id, first);
  EXPECT_EQ(h.Reconnects("heartbeat_timeout"), 0u);
}

TEST(NotificationsReconnectTest, SocketClosingRollsOverBeforeTheOldSocketCloses) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const auto first = h.listener().Channels().at(0).id;

  ASSERT_EQ(h.sim().SendSocketClosing(1.5), 1);
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("socket_closing") >= 1; }));
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_NE(h.listener().Channels().at(0).id, first);
  // The old socket is gone (closed by us or by the service): only the new one remains.
  ASSERT_TRUE(WaitFor([&] { return h.sim().connected_sockets() == 1; }));
  // An event right after the old socket closed still arrives, by push, with no gap.
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(3), false));
  // Give the service's delayed close its chance to hit the wrong socket, then check again.
  const auto heartbeats = h.Events("heartbeat");
  ASSERT_TRUE(WaitFor([&] { return h.Events("heartbeat") >= heartbeats + 8; }));  // ~2.4 s > the 1.5 s close delay
  EXPECT_TRUE(h.Connected());
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(3), true));
  EXPECT_EQ(h.ResyncCount(), 0u);
  EXPECT_EQ(h.Reconnects("error"), 0u);
}

TEST(NotificationsReconnectTest, ShortChannelLifetimeRollsOverWithoutLosingEvents) {
  auto scenario = SmallScenario();
  scenario.channel_lifetime_s = 3;
  NotificationsHarness h(scenario);
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());

  // Every event must reach the state. Event i sets trunk i mod N's inbound calls to i: frames that
  // arrive together are applied in one batch and published once, so two events of one trunk in
  // a batch would show only the second; N trunks 20 ms apart make that a batch of N x 20 ms.
  std::vector<std::string> trunks = h.sim().TrunkIds();
  trunks.resize(std::min<std::size_t>(trunks.size(), 8));
  ASSERT_GE(trunks.size(), 4u);
  // Shared with the change listener, which outlives this scope inside the state.
  struct Seen {
    std::mutex mu;
    std::set<std::int64_t> values;
  };
  auto seen_ptr = std::make_shared<Seen>();
  std::mutex& mu = seen_ptr->mu;
  std::set<std::int64_t>& seen = seen_ptr->values;
  h.state().AddChangeListener([&h, trunks, seen_ptr] {
    const std::vector<std::int64_t> values = h.state().Read([&](const TelephonyData& d) {
      std::vector<std::int64_t> out;
      for (const auto& trunk : trunks) {
        auto it = d.trunk_metrics.find(trunk);
        if (it != d.trunk_metrics.end() && it->second.inbound_calls) out.push_back(*it->second.inbound_calls);
      }
      return out;
    });
    std::lock_guard lock(seen_ptr->mu);
    seen_ptr->values.insert(values.begin(), values.end());
  });
  int sent = 0;
  // Keep publishing across at least three rollovers.
  while (h.Reconnects("channel_expiry") < 3 && sent < 2000) {
    ++sent;
    ASSERT_TRUE(h.sim().SetTrunkCalls(trunks[sent % trunks.size()], sent, 0, 0));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // pacing the publisher, not waiting
  }
  ASSERT_GE(h.Reconnects("channel_expiry"), 3u);
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard lock(mu);
    return seen.count(sent) == 1;
  }));
  std::vector<int> missing;
  {
    std::lock_guard lock(mu);
    for (int i = 1; i <= sent; ++i) {
      if (!seen.count(i)) missing.push_back(i);
    }
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << sent << " events lost, first " << missing.front();
  EXPECT_EQ(h.ResyncCount(), 0u);
  EXPECT_EQ(h.Reconnects("error"), 0u);
}

TEST(NotificationsReconnectTest, TokenRotationRollsChannelsOverToTheNewToken) {
  auto scenario = SmallScenario();
  scenario.token_lifetime_s = 8;  // refreshed a quarter of the lifetime before expiry
  NotificationsHarness h(scenario);
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const auto generation = h.api().token_source().Generation();
  const auto first = h.listener().Channels().at(0).id;

  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("token_refresh") >= 1; }, std::chrono::seconds(30)));
  EXPECT_GT(h.api().token_source().Generation(), generation);
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_NE(h.listener().Channels().at(0).id, first);
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(4), false));
  EXPECT_EQ(h.ResyncCount(), 0u);
}

TEST(NotificationsReconnectTest, RevokedTokenRebuildsAndResyncs) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  ASSERT_GE(h.sim().RevokeTokens(), 1);
  ASSERT_TRUE(WaitFor([&] { return h.ResyncCount() >= 1; }));
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(5), false));
}

TEST(NotificationsReconnectTest, SocketDroppedWithoutCloseFrameReconnectsAndResyncs) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  ASSERT_EQ(h.sim().DropSockets(), 1);
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("error") >= 1; }));
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_TRUE(WaitFor([&] { return h.ResyncCount() >= 1; }));
  EXPECT_TRUE(PushArrives(h, h.sim().PhoneIds().at(6), false));
  const std::string metrics = h.Metrics();
  EXPECT_NE(metrics.find("genesys_notifications_reconnects_total{reason=\"error\"} "), std::string::npos);
  EXPECT_NE(metrics.find("genesys_notifications_resyncs_total "), std::string::npos);
}

TEST(NotificationsReconnectTest, StopIsPrompt) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  h.listener().Stop();
  EXPECT_FALSE(h.Connected());
  EXPECT_TRUE(WaitFor([&] { return h.sim().connected_sockets() == 0; }));
}

}  // namespace
}  // namespace gx::testing
