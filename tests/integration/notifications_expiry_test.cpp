// The listener against a genesys_sim that reports hostile channel expiries (far future,
// past, equal to now, absurdly near). The listener's clock is a ManualClock jumped in
// 20-minute steps over 30 hours: channel creations are counted, never timed.
#include <algorithm>

#include "exporter/util/iso_time.h"
#include "tests/integration/notifications_harness.h"

namespace gx::testing {
namespace {

constexpr UnixNanos kStep = 1200 * kNanosPerSecond;
constexpr int kSteps = 90;  // 30 h: one documented rollover (due at 23 h 50 m) and no more

std::size_t ChannelCreations(NotificationsHarness& h) {
  const auto requests = h.sim().Requests();
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(), [](const sim::RequestRecord& r) {
    return r.method == "POST" && r.endpoint == "/api/v2/notifications/channels";
  }));
}

// True once the listener has run a step at `t` (it records its health every clock second).
bool ListenerSaw(NotificationsHarness& h, UnixNanos t) {
  return h.health().Read([&](const HealthData& d) {
    auto it = d.sources.find("notifications");
    return it != d.sources.end() && it->second.last_success && *it->second.last_success >= t;
  });
}

// The clock jumps minutes at a time: the heartbeat watch and the connect deadline are not
// under test here, so they are set beyond the whole simulated period.
NotificationsConfig JumpingClockNotifications() {
  NotificationsConfig config = FastNotifications();
  config.min_rollover_interval = Seconds(120);
  config.heartbeat_timeout = Seconds(4 * 86400);
  config.connect_timeout = Seconds(4 * 86400);
  return config;
}

// Moves the listener's clock on and waits until the listener has run a step at the new time.
bool Jump(NotificationsHarness& h, ManualClock& clock, UnixNanos by) {
  clock.Advance(by);
  h.listener().ReplanSoon();  // wakes the listener now instead of at its next 100 ms tick
  return WaitFor([&] { return ListenerSaw(h, clock.Now()); });
}

struct Case {
  const char* name;
  std::string expires;  // "" = the clock's start, i.e. equal to "now" at the first creation
  UnixNanos offset = 0;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class NotificationsExpiryTest : public ::testing::TestWithParam<Case> {};

TEST_P(NotificationsExpiryTest, HostileExpiryCausesNoRolloverStorm) {
  // A whole second, so that the "equal to now" expiry (printed with milliseconds) is exact.
  ManualClock clock(SystemClock::Instance().Now() / kNanosPerSecond * kNanosPerSecond);
  const Case& c = GetParam();
  NotificationsHarness h(SmallScenario());
  h.sim().SetReportedChannelExpires(c.expires.empty() ? FormatIsoTime(clock.Now() + c.offset, 3) : c.expires);
  h.LoadInventory();
  h.StartListener(JumpingClockNotifications(), clock);
  ASSERT_TRUE(h.WaitConnected());
  ASSERT_EQ(ChannelCreations(h), 1u);

  for (int i = 0; i < kSteps; ++i) {
    ASSERT_TRUE(Jump(h, clock, kStep)) << "step " << i;
    ASSERT_LE(ChannelCreations(h), 2u) << "after " << (i + 1) * 20 << " simulated minutes";
  }
  // The documented lifetime still rolls the channel over once, make-before-break.
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("channel_expiry") == 1; }));
  EXPECT_EQ(ChannelCreations(h), 2u);
  EXPECT_EQ(h.Reconnects("error"), 0u);
  EXPECT_EQ(h.ResyncCount(), 0u);
  EXPECT_TRUE(h.WaitConnected());
}

TEST(NotificationsRolloverIntervalTest, ASecondSocketClosingWithinTheIntervalWaitsForIt) {
  ManualClock clock(SystemClock::Instance().Now());
  NotificationsHarness h(SmallScenario());
  h.LoadInventory();
  h.StartListener(JumpingClockNotifications(), clock);
  ASSERT_TRUE(h.WaitConnected());

  // The listener counts itself connected once its handshake is done, a moment before the
  // simulator has the socket in its list; send only when it has.
  ASSERT_TRUE(WaitFor([&] { return h.sim().connected_sockets() == 1; }));
  // socket_closing without the close (the service closes an hour later): a rollover at once.
  ASSERT_EQ(h.sim().SendSocketClosing(3600), 1);
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("socket_closing") == 1; }));
  EXPECT_EQ(ChannelCreations(h), 2u);
  ASSERT_TRUE(WaitFor([&] { return h.sim().connected_sockets() == 1; }));  // the old socket is closed

  // The service asks again on the new socket at once: the listener waits out the interval.
  const auto system_events = h.Events("system");
  ASSERT_EQ(h.sim().SendSocketClosing(3600), 1);
  ASSERT_TRUE(WaitFor([&] { return h.Events("system") > system_events; }));
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Jump(h, clock, 10 * kNanosPerSecond));  // 100 s of 120
    EXPECT_EQ(ChannelCreations(h), 2u) << "after " << (i + 1) * 10 << " s";
  }
  ASSERT_TRUE(Jump(h, clock, 30 * kNanosPerSecond));
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("socket_closing") == 2; }));
  EXPECT_EQ(ChannelCreations(h), 3u);
  EXPECT_EQ(h.Reconnects("error"), 0u);
  EXPECT_EQ(h.ResyncCount(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Expiries, NotificationsExpiryTest,
                         ::testing::Values(Case{"Year9999", "9999-12-31T23:59:59Z"},
                                           Case{"Past", "2001-01-01T00:00:00Z"},
                                           Case{"EqualToNow", ""},
                                           Case{"OneSecondAway", "", kNanosPerSecond},
                                           Case{"Unparsable", "tomorrow"}),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace gx::testing
