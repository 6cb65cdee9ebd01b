// The listener against genesys_sim: pushed changes reach the state and /metrics
// with no poll, the topic plan splits channels and leaves the rest polled, and
// bad frames or an intruding connection never break the stream for good.
#include <algorithm>
#include <future>
#include <thread>

#include "exporter/sources/notifications/push_applier.h"
#include "exporter/sources/notifications/topic_plan.h"
#include "exporter/sources/notifications/ws_client.h"
#include "exporter/state/self_metrics.h"
#include "tests/integration/notifications_harness.h"

namespace gx::testing {
namespace {

TEST(NotificationsPushTest, PhoneLosingRegistrationIsVisibleWithoutAPoll) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const std::string phone = h.sim().PhoneIds().at(0);
  ASSERT_EQ(h.LineReachable(phone), true);
  const int loads = h.inventory_loads();

  ASSERT_TRUE(h.sim().SetLineReachable(phone, 0, false));
  ASSERT_TRUE(WaitFor([&] { return h.LineReachable(phone) == false; }));
  // Nothing re-read the inventory: the push alone carried the change.
  EXPECT_EQ(h.inventory_loads(), loads);
  EXPECT_GE(h.Events("phone"), 1u);
  EXPECT_EQ(h.ResyncCount(), 0u);

  const std::string metrics = h.Metrics();
  EXPECT_NE(metrics.find("genesys_notifications_connected 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("genesys_notifications_events_total{topic_kind=\"phone\"} "), std::string::npos);
  EXPECT_EQ(metrics.find("genesys_notifications_events_total{topic_kind=\"phone\"} 0"), std::string::npos);
  EXPECT_NE(metrics.find("genesys_notifications_pushed_entities{kind=\"phone\"} 20"), std::string::npos);
  // genesys_collector_up{collector="notifications"} is rendered from this entry.
  EXPECT_TRUE(h.health().Read([](const HealthData& d) {
    auto it = d.sources.find("notifications");
    return it != d.sources.end() && it->second.up && it->second.last_success.has_value();
  }));

  // And back: reachability returns through the same path.
  ASSERT_TRUE(h.sim().SetLineReachable(phone, 0, true));
  EXPECT_TRUE(WaitFor([&] { return h.LineReachable(phone) == true; }));
}

TEST(NotificationsPushTest, TrunkAndEdgeChangesArePushed) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const std::string trunk = h.sim().TrunkIds().at(0);
  const std::string edge = h.sim().EdgeIds().at(0);
  ASSERT_TRUE(h.sim().SetTrunkConnected(trunk, false));
  ASSERT_TRUE(h.sim().SetEdgeOnline(edge, false));
  ASSERT_TRUE(h.sim().SetTrunkCalls(trunk, 7, 3, 1));
  EXPECT_TRUE(WaitFor([&] {
    return h.state().Read([&](const TelephonyData& d) {
      auto t = d.trunks.find(trunk);
      auto e = d.edges.find(edge);
      auto m = d.trunk_metrics.find(trunk);
      return t != d.trunks.end() && t->second.trunk.connected == false && e != d.edges.end() &&
             e->second.edge.online_status == "OFFLINE" && m != d.trunk_metrics.end() && m->second.inbound_calls == 7;
    });
  }));
  EXPECT_EQ(h.ResyncCount(), 0u);
}

TEST(NotificationsPushTest, ThousandAndOneTopicsUseTwoChannelsAndTheRestIsPolled) {
  NotificationsHarness h(SmallScenario(1100));
  h.LoadInventory();
  NotificationsConfig config = FastNotifications();
  config.topic_budget = 1001;  // fewer topics than phones: the rest stay polled
  h.StartListener(config);
  ASSERT_TRUE(h.WaitConnected(std::chrono::seconds(30)));
  ASSERT_TRUE(WaitFor([&] { return h.Notifications().subscribed_topics == 1001; }));
  auto channels = h.listener().Channels();
  ASSERT_EQ(channels.size(), 2u);
  EXPECT_EQ(channels[0].topics, 1000u);
  EXPECT_EQ(channels[1].topics, 1u);
  EXPECT_EQ(h.Notifications().channels, 2);

  const auto n = h.Notifications();
  EXPECT_GT(n.pushed_phones, 0);
  EXPECT_GT(n.polled_phones, 0);
  EXPECT_EQ(n.pushed_phones + n.polled_phones, 1100);
  const auto [pushed, polled] = h.state().Read([](const TelephonyData& d) {
    int p = 0;
    for (const auto& [id, e] : d.phones) p += e.pushed;
    return std::pair<int, int>(p, static_cast<int>(d.phones.size()) - p);
  });
  EXPECT_EQ(pushed, n.pushed_phones);
  EXPECT_EQ(polled, n.polled_phones);
  const std::string metrics = h.Metrics();
  EXPECT_NE(metrics.find("genesys_notifications_polled_entities{kind=\"phone\"} " + std::to_string(polled)),
            std::string::npos);
  EXPECT_NE(metrics.find("genesys_notifications_subscribed_topics 1001"), std::string::npos);
  EXPECT_NE(metrics.find("genesys_notifications_channels 2"), std::string::npos);

  // The one topic on the second channel is live too.
  std::string last_pushed;
  h.state().Read([&](const TelephonyData& d) {
    std::vector<std::string> ids;
    for (const auto& [id, e] : d.phones) {
      if (e.pushed) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    last_pushed = ids.back();
  });
  ASSERT_TRUE(h.sim().SetLineReachable(last_pushed, 0, false));
  EXPECT_TRUE(WaitFor([&] { return h.LineReachable(last_pushed) == false; }));
}

TEST(NotificationsPushTest, MalformedAndOversizedFramesAreCountedAndSkipped) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const std::string phone = h.sim().PhoneIds().at(1);

  // A frame that is not JSON: counted, skipped, the socket stays.
  h.sim().core().Publish(PhoneTopic(phone), "{\"id\": oops");
  ASSERT_TRUE(WaitFor([&] { return h.Notifications().malformed >= 1; }));
  ASSERT_TRUE(h.sim().SetLineReachable(phone, 0, false));
  ASSERT_TRUE(WaitFor([&] { return h.LineReachable(phone) == false; }));
  EXPECT_EQ(h.Reconnects("error"), 0u);

  // A frame over the size cap: refused, the channel rebuilt and the gap resynced.
  const auto malformed = h.Notifications().malformed;
  h.sim().core().Publish(PhoneTopic(phone), "\"" + std::string(200 * 1024, 'x') + "\"");
  ASSERT_TRUE(WaitFor([&] { return h.Notifications().malformed > malformed; }));
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("error") >= 1 && h.Connected(); }));
  EXPECT_TRUE(WaitFor([&] { return h.ResyncCount() >= 1; }));
  ASSERT_TRUE(h.sim().SetLineReachable(phone, 0, true));
  EXPECT_TRUE(WaitFor([&] { return h.LineReachable(phone) == true; }));
}

// Frames dropped by a full apply queue are a gap like a lost socket: the poll scheduler
// hears it as a StreamReport asking to re-poll the sources those frames feed.
TEST(NotificationsPushTest, AFullApplyQueueReachesThePollSchedulerAsAResync) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const std::string phone = h.sim().PhoneIds().at(2);
  const std::size_t resyncs = h.ResyncCount();

  // Hold the state's writers: the applier takes its first batch (up to a full queue) and
  // waits, so at most two queues' worth of frames fill the queue behind it.
  std::promise<void> held, release;
  std::thread writer([&] {
    h.state().Write([&](TelephonyWriter&) {
      held.set_value();
      release.get_future().wait();
    });
  });
  held.get_future().wait();
  bool reachable = true, changed = true;
  const std::size_t most = 3 * PushApplier::kDefaultCapacity;
  for (std::size_t i = 0; i < most && changed && h.health().self_metrics().ApplyQueue().overflows == 0; ++i) {
    reachable = !reachable;
    changed = h.sim().SetLineReachable(phone, 0, reachable);
  }
  const bool overflowed = WaitFor([&] { return h.health().self_metrics().ApplyQueue().overflows >= 1; });
  release.set_value();
  writer.join();
  ASSERT_TRUE(changed);
  ASSERT_TRUE(overflowed);

  ASSERT_TRUE(WaitFor([&] { return h.ResyncCount() > resyncs; }));
  const auto asked = h.Resyncs().at(resyncs);
  EXPECT_NE(std::find(asked.begin(), asked.end(), "phones"), asked.end());
  EXPECT_TRUE(h.Connected()) << "the socket itself is never blocked";
}

TEST(NotificationsPushTest, ASecondConnectionToTheChannelIsSurvived) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  auto channels = h.listener().Channels();
  ASSERT_EQ(channels.size(), 1u);
  const std::string uri = "ws://127.0.0.1:" + std::to_string(h.sim().ws_port()) + "/channels/" + channels[0].id;

  // Someone else connects to our channel: the service drops our socket.
  WsClient intruder_client(WsOptions{});
  ASSERT_TRUE(intruder_client.Start().ok());
  std::atomic<bool> intruder_open{false};
  WsHandlers handlers;
  handlers.on_open = [&] { intruder_open = true; };
  handlers.on_message = [](std::string_view) {};
  handlers.on_close = [](const std::string&, const std::string&) {};
  auto intruder = intruder_client.Connect(uri, handlers);
  ASSERT_TRUE(WaitFor([&] { return intruder_open.load(); }));

  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("error") >= 1; }));
  ASSERT_TRUE(h.WaitConnected());
  EXPECT_NE(h.listener().Channels().at(0).id, channels[0].id) << "a fresh channel, not a fight over the old one";
  EXPECT_TRUE(WaitFor([&] { return h.ResyncCount() >= 1; }));

  const std::string phone = h.sim().PhoneIds().at(2);
  ASSERT_TRUE(h.sim().SetLineReachable(phone, 0, false));
  EXPECT_TRUE(WaitFor([&] { return h.LineReachable(phone) == false; }));
  intruder->Abort();
  intruder_client.Stop();
}

TEST(NotificationsPushTest, NewEntitiesAreSubscribedAfterTheInventoryChanges) {
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener();
  ASSERT_TRUE(h.WaitConnected());
  const int before = h.Notifications().subscribed_topics;
  const Result<std::string> new_phone = h.sim().AddPhone("0", "Late Desk");
  ASSERT_TRUE(new_phone.ok()) << new_phone.error();
  const std::string& added = *new_phone;
  h.LoadInventory();  // the poller discovers it
  ASSERT_TRUE(WaitFor([&] { return h.Notifications().subscribed_topics == before + 1; }));
  ASSERT_TRUE(WaitFor([&] {
    return h.state().Read([&](const TelephonyData& d) { return d.phones.at(added).pushed; });
  }));
  ASSERT_TRUE(h.sim().SetLineReachable(added, 0, false));
  EXPECT_TRUE(WaitFor([&] { return h.LineReachable(added) == false; }));
}

}  // namespace
}  // namespace gx::testing
