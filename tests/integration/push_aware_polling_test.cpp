// Push-aware polling end to end: the real pollers and scheduler, the real notification
// listener wired to it as the app does, and genesys_sim. With a healthy stream, trunks,
// trunk metrics, edges and edge metrics are left to the periodic resync and phones skip the
// pages of pushed phones; when the simulator drops every socket (a gap), the covered kinds
// are re-polled at once, counted at the simulator. Bounded by WaitFor deadlines.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/sources/poll/edges_poller.h"
#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/phones_poller.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/poll/trunks_poller.h"
#include "tests/integration/notifications_harness.h"

namespace gx {
namespace {

using testing::FastNotifications;
using testing::SmallScenario;
using testing::WaitFor;

class PushAwarePolling : public ::testing::Test {
 protected:
  PushAwarePolling() : sim_(SmallScenario(20)) {
    std::string error;
    EXPECT_TRUE(sim_.Start(0, &error)) << error;
    config_.genesys.client_id = sim_.scenario().client_id;
    config_.genesys.client_secret = sim_.scenario().client_secret;
    config_.genesys.api_url = sim_.base_url();
    config_.genesys.login_url = sim_.base_url();
    config_.rate_limit.requests_per_minute = 100000;
    config_.collection.page_size = 5;  // 4 pages of phones
    auto& iv = config_.collection.intervals;
    iv.phones = iv.stations = iv.trunks = iv.trunk_metrics = iv.edges = iv.edge_metrics = Seconds(1);
    iv.jitter = 0;
    api_ = MakeApiStack(config_, health_, SystemClock::Instance(), &error);
    EXPECT_TRUE(api_) << error;
    scheduler_ = std::make_unique<PollScheduler>(config_, api_->api(), state_, health_, SystemClock::Instance());
    // Topics for every trunk (status + metrics) and edge (status + metrics), and 10 of the 20
    // phones: the first two pages of the id-sorted listing hold pushed phones only.
    NotificationsConfig n = FastNotifications();
    n.topic_budget = static_cast<int>(2 * sim_.TrunkIds().size() + 2 * sim_.EdgeIds().size()) + 10;
    listener_ = std::make_unique<NotificationListener>(n, api_->api(), api_->token_source(), state_, health_,
                                                       SystemClock::Instance(),
                                                       [this](const StreamReport& r) { scheduler_->OnStream(r); });
  }
  ~PushAwarePolling() override {
    listener_->Stop();
    api_->Stop();
    scheduler_->Stop();
    sim_.Stop();
  }
  std::set<std::string> Covered() {
    auto c = scheduler_->covered();
    return {c.begin(), c.end()};
  }
  std::uint64_t LastRequests(const std::string& collector) {
    return health_.Read([&](const HealthData& d) {
      auto it = d.collectors.find(collector);
      return it == d.collectors.end() ? 0 : it->second.last_cycle_requests;
    });
  }

  sim::Simulator sim_;
  Config config_;
  HealthState health_;
  TelephonyState state_;
  std::unique_ptr<ApiStack> api_;
  std::unique_ptr<PollScheduler> scheduler_;
  std::unique_ptr<NotificationListener> listener_;
};

TEST_F(PushAwarePolling, CoveredKindsWaitForTheResyncAndAGapRePollsThem) {
  const std::set<std::string> all_covered{"trunks", "trunk_metrics", "edges", "edge_metrics"};
  scheduler_->Start();
  std::string error;
  ASSERT_TRUE(listener_->Start(&error)) << error;
  ASSERT_TRUE(WaitFor([&] { return Covered() == all_covered; })) << "the stream never covered trunks and edges";
  // The resync that coverage starts with, and a full phones listing while the stream is up.
  ASSERT_TRUE(WaitFor([&] { return LastRequests("phones") == 2; })) << "phones never skipped the pushed pages";

  // Steady state: phones poll every second (2 of their 4 pages); the covered kinds not at all.
  sim_.ResetRequests();
  ASSERT_TRUE(WaitFor([&] { return sim_.RequestCount(kPhonesEndpoint) >= 6; }));
  ASSERT_EQ(Covered(), all_covered) << "the stream had a gap: the steady state was not measured";
  EXPECT_EQ(sim_.RequestCount(kTrunksEndpoint), 0u);
  EXPECT_EQ(sim_.RequestCount(kTrunkBasesEndpoint), 0u);
  EXPECT_EQ(sim_.RequestCount(kTrunkMetricsEndpoint), 0u);
  EXPECT_EQ(sim_.RequestCount(kEdgesEndpoint), 0u);
  EXPECT_EQ(sim_.RequestCount(kEdgeMetricsEndpoint), 0u);

  // A gap: every socket dropped without a close frame. The covered kinds are re-polled.
  ASSERT_GT(sim_.DropSockets(), 0);
  EXPECT_TRUE(WaitFor([&] {
    return sim_.RequestCount(kTrunksEndpoint) > 0 && sim_.RequestCount(kTrunkMetricsEndpoint) > 0 &&
           sim_.RequestCount(kEdgesEndpoint) > 0 && sim_.RequestCount(kEdgeMetricsEndpoint) > 0;
  })) << "the affected kinds were not re-polled after the gap";
  // The resync after a gap reads the trunk base settings too (after the trunks: wait for it).
  EXPECT_TRUE(WaitFor([&] { return sim_.RequestCount(kTrunkBasesEndpoint) > 0; }))
      << "the trunk base settings were not re-read after the gap";
  // The stream comes back and covers them again.
  EXPECT_TRUE(WaitFor([&] { return Covered() == all_covered; }));
}

}  // namespace
}  // namespace gx
