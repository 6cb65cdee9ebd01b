// The listener against a genesys_sim that reports hostile channel expiries (far future,
// past, equal to now, absurdly near). The listener's clock is a ManualClock jumped in
// 10-minute steps over 30 hours: channel creations are counted, never timed.
#include <algorithm>

#include "exporter/util/iso_time.h"
#include "tests/integration/notifications_harness.h"

namespace gx::testing {
namespace {

constexpr UnixNanos kStep = 600 * kNanosPerSecond;
constexpr int kSteps = 180;  // 30 h: one documented rollover (at 23 h 50 m) and no more

std::size_t ChannelCreations(NotificationsHarness& h) {
  const auto requests = h.sim().Requests();
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(), [](const sim::RequestRecord& r) {
    return r.method == "POST" && r.endpoint == "/api/v2/notifications/channels";
  }));
}

// True once the listener has run a step at `t` (it records its health every clock second).
bool ListenerSaw(NotificationsHarness& h, UnixNanos t) {
  return h.health().Read([&](const HealthData& d) {
    auto it = d.collectors.find("notifications");
    return it != d.collectors.end() && it->second.last_success && *it->second.last_success >= t;
  });
}

struct Case {
  const char* name;
  std::string expires;  // "" = the clock's start, i.e. equal to "now" at the first creation
  UnixNanos offset = 0;
};

class NotificationsExpiryTest : public ::testing::TestWithParam<Case> {};

TEST_P(NotificationsExpiryTest, HostileExpiryCausesNoRolloverStorm) {
  // A whole second, so that the "equal to now" expiry (printed with milliseconds) is exact.
  ManualClock clock(SystemClock::Instance().Now() / kNanosPerSecond * kNanosPerSecond);
  const Case& c = GetParam();
  NotificationsHarness h(SmallScenario());
  h.sim().SetReportedChannelExpires(c.expires.empty() ? FormatIsoTime(clock.Now() + c.offset, 3) : c.expires);
  h.LoadInventory();
  NotificationsConfig config = FastNotifications();
  config.min_rollover_interval = Seconds(120);
  // The clock jumps 10 minutes at a time: the heartbeat watch and the connect deadline are
  // not under test here, so they are set beyond the whole simulated period.
  config.heartbeat_timeout = Seconds(4 * 86400);
  config.connect_timeout = Seconds(4 * 86400);
  h.StartListener(config, clock);
  ASSERT_TRUE(h.WaitConnected());
  ASSERT_EQ(ChannelCreations(h), 1u);

  for (int i = 0; i < kSteps; ++i) {
    clock.Advance(kStep);
    h.listener().ReplanSoon();  // wakes the listener now instead of at its next 100 ms tick
    ASSERT_TRUE(WaitFor([&] { return ListenerSaw(h, clock.Now()); })) << "step " << i;
    ASSERT_LE(ChannelCreations(h), 2u) << "after " << (i + 1) * 10 << " simulated minutes";
  }
  // The documented lifetime still rolls the channel over once, make-before-break.
  ASSERT_TRUE(WaitFor([&] { return h.Reconnects("channel_expiry") == 1; }));
  EXPECT_EQ(ChannelCreations(h), 2u);
  EXPECT_EQ(h.Reconnects("error"), 0u);
  EXPECT_EQ(h.ResyncCount(), 0u);
  EXPECT_TRUE(h.WaitConnected());
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
