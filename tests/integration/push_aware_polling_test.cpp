// Push-aware polling end to end: the real pollers and scheduler, the real notification
// listener wired to it as the app does, and genesys_sim. With a healthy stream, stations,
// trunks, trunk metrics, edges and edge metrics are left to the periodic resync and phones
// skip the pages of pushed phones; when the simulator drops every socket (a gap), the
// covered kinds are re-polled at once, counted at the simulator. The held equivalence of
// /metrics with the simulator's truth holds after a burst of pushed changes and after a gap
// whose events were lost. Bounded by WaitFor deadlines; the covered kinds' own intervals
// (600 s) are far longer than any deadline, so what a test sees within one came from push
// or from the gap's re-poll, never from an interval.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/sources/poll/edges_poller.h"
#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/phones_poller.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/poll/stations_poller.h"
#include "exporter/sources/poll/trunks_poller.h"
#include "tests/integration/notifications_harness.h"
#include "tests/integration/truth_equivalence.h"

namespace gx {
namespace {

using testing::FastNotifications;
using testing::SmallScenario;
using testing::WaitFor;

constexpr double kLong = 600;  // seconds: an interval no test waits for

class PushAwarePolling : public ::testing::Test {
 protected:
  PushAwarePolling() : sim_(SmallScenario(20)) {
    const Status started = sim_.Start(0);
    EXPECT_TRUE(started.ok()) << started.error();
    config_.genesys.client_id = sim_.scenario().client_id;
    config_.genesys.client_secret = sim_.scenario().client_secret;
    config_.genesys.api_url = sim_.base_url();
    config_.genesys.login_url = sim_.base_url();
    config_.rate_limit.requests_per_minute = 100000;
    config_.collection.page_size = 5;  // 4 pages of phones
    for (const auto& u : sim_.GetTruth().users) config_.collection.users.push_back(u.id);  // associated ones
    auto& iv = config_.collection.intervals;
    iv.phones = Seconds(1);
    iv.stations = iv.trunks = iv.trunk_metrics = iv.edges = iv.edge_metrics = Seconds(kLong);
    iv.jitter = 0;
  }
  // After the test has set its intervals: starts polling and the stream, and waits until
  // the stream is settled (the plan changes once the followed users' stations are read,
  // and a re-subscription re-polls what it covers).
  void Start() {
    auto api = MakeApiStack(config_, health_, SystemClock::Instance());
    ASSERT_TRUE(api) << api.error();
    api_ = std::move(api).value();
    scheduler_ = std::make_unique<PollScheduler>(config_, api_->api(), state_, health_, SystemClock::Instance());
    // Topics for every trunk (status + metrics), edge (status + metrics) and followed user
    // (station); with phone_topics_, for the followed users' phones and 10 other phones too:
    // the first two pages of the id-sorted listing then hold pushed phones only, pages 3 and
    // 4 hold phones without a topic.
    NotificationsConfig n = FastNotifications();
    const auto users = config_.collection.users.size();
    n.topic_budget = static_cast<int>(2 * sim_.TrunkIds().size() + 2 * sim_.EdgeIds().size() + users +
                                      (phone_topics_ ? users + 10 : 0));
    listener_ = std::make_unique<NotificationListener>(n, api_->api(), api_->token_source(), state_, health_,
                                                       SystemClock::Instance(),
                                                       [this](const StreamReport& r) { scheduler_->OnStream(r); });
    scheduler_->Start();
    const Status started = listener_->Start();
    ASSERT_TRUE(started.ok()) << started.error();
    ASSERT_TRUE(WaitFor([&] { return Covered() == kAllCovered; })) << "the stream never covered its kinds";
    ASSERT_TRUE(WaitFor([&] { return Settled(); }, std::chrono::seconds(60)))
        << "never settled: " << LastRequests("phones") << " phones requests a cycle, " << PolledRequests()
        << " requests of covered kinds";
  }
  // Phones pages a cycle reads while the stream is healthy.
  std::uint64_t PagesPerCycle() const { return phone_topics_ ? 2 : 4; }
  // Two phones cycles (every second) in which only phones were polled, skipping pushed pages.
  bool Settled() {
    sim_.ResetRequests();
    if (!WaitFor([&] { return sim_.RequestCount(kPhonesEndpoint) >= 2 * PagesPerCycle(); })) return false;
    return Covered() == kAllCovered && PolledRequests() == 0 && LastRequests("phones") == PagesPerCycle();
  }
  ~PushAwarePolling() override {
    if (listener_) listener_->Stop();
    if (api_) api_->Stop();
    if (scheduler_) scheduler_->Stop();
    sim_.Stop();
  }
  std::set<std::string> Covered() {
    auto c = scheduler_->covered();
    return {c.begin(), c.end()};
  }
  std::uint64_t LastRequests(const std::string& source) {
    return health_.Read([&](const HealthData& d) {
      auto it = d.sources.find(source);
      return it == d.sources.end() ? 0 : it->second.last_cycle_requests;
    });
  }
  // Where /metrics differs from the simulator's truth (empty: equal).
  std::vector<std::string> DiffFromTruth() {
    CollectorOptions options;
    options.per_phone = true;
    const std::string text = state_.Read([&](const TelephonyData& t) {
      return health_.Read([&](const HealthData& h) { return WriteAllCollectors(CollectInput{t, h, options}); });
    });
    return testing::DiffFromTruth(sim_.GetTruth(), testing::ParseSamples(text),
                                  config_.collection.qos_mismatch_threshold);
  }
  bool EqualsTruth() { return DiffFromTruth().empty(); }
  // A phone whose station no user is associated with.
  std::string FreePhone() {
    std::set<std::string> taken;
    for (const auto& u : sim_.GetTruth().users) taken.insert(u.phone_id);
    for (const auto& id : sim_.PhoneIds()) {
      if (!taken.count(id)) return id;
    }
    return "";
  }
  std::uint64_t PolledRequests() {
    std::uint64_t n = 0;
    for (const auto& e : {kTrunksEndpoint, kTrunkBasesEndpoint, kTrunkMetricsEndpoint, kEdgesEndpoint,
                          kEdgeMetricsEndpoint, kStationsEndpoint, kUserStationEndpoint}) {
      n += sim_.RequestCount(e);
    }
    return n;
  }

  bool phone_topics_ = true;
  const std::set<std::string> kAllCovered{"stations", "trunks", "trunk_metrics", "edges", "edge_metrics"};
  sim::Simulator sim_;
  Config config_;
  HealthState health_;
  TelephonyState state_;
  std::unique_ptr<ApiStack> api_;
  std::unique_ptr<PollScheduler> scheduler_;
  std::unique_ptr<NotificationListener> listener_;
};

TEST_F(PushAwarePolling, CoveredKindsWaitForTheResyncAndAGapRePollsThem) {
  ASSERT_NO_FATAL_FAILURE(Start());
  // Steady state: phones poll every second (2 of their 4 pages); the covered kinds not at all.
  sim_.ResetRequests();
  ASSERT_TRUE(WaitFor([&] { return sim_.RequestCount(kPhonesEndpoint) >= 6; }));
  ASSERT_EQ(Covered(), kAllCovered) << "the stream had a gap: the steady state was not measured";
  EXPECT_EQ(PolledRequests(), 0u);
  sim_.ResetRequests();

  // A gap: every socket dropped without a close frame, and no new channel can be made. Every
  // covered kind is re-polled at once, while the stream is still down, within its own
  // interval (600 s) and so within this deadline; phones list every page.
  sim::FaultSpec refuse;
  refuse.kind = "server_error";
  refuse.path = "/api/v2/notifications/channels";
  const int fault = sim_.InjectFault(refuse);
  ASSERT_GT(fault, 0);
  ASSERT_GT(sim_.DropSockets(), 0);
  auto all_polled = [&] {
    return sim_.RequestCount(kTrunksEndpoint) > 0 && sim_.RequestCount(kTrunkMetricsEndpoint) > 0 &&
           sim_.RequestCount(kEdgesEndpoint) > 0 && sim_.RequestCount(kEdgeMetricsEndpoint) > 0 &&
           sim_.RequestCount(kUserStationEndpoint) > 0 && sim_.RequestCount(kStationsEndpoint) > 0 &&
           sim_.RequestCount(kTrunkBasesEndpoint) > 0;  // the resync after a gap reads them too
  };
  EXPECT_TRUE(WaitFor(all_polled)) << "the affected kinds were not re-polled after the gap";
  EXPECT_TRUE(WaitFor([&] { return LastRequests("phones") == 4; })) << "no full phones listing after the gap";
  EXPECT_TRUE(Covered().empty()) << "the stream came back: the re-poll may have come from that";

  // The stream comes back and covers them again, and they are re-polled once more (events
  // sent before the new topics were live are lost).
  sim_.ResetRequests();
  ASSERT_TRUE(sim_.RemoveFault(fault));
  EXPECT_TRUE(WaitFor([&] { return Covered() == kAllCovered; }));
  EXPECT_TRUE(WaitFor(all_polled)) << "the covered kinds were not re-polled when the stream came back";
}

// A pushed association names a station no cycle has read: the covered stations source
// reads that station (one request for the followed users' stations), not every user's
// association, within its interval; the user's phone, registration and station type follow.
TEST_F(PushAwarePolling, APushedAssociationToAStationNotReadReadsTheStationsOnly) {
  config_.collection.intervals.stations = Seconds(1);
  phone_topics_ = false;  // the topic plan does not change with the association
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string phone = FreePhone();
  ASSERT_FALSE(phone.empty());
  const std::string user = config_.collection.users.front();
  ASSERT_TRUE(WaitFor([&] { return EqualsTruth(); })) << ::testing::PrintToString(DiffFromTruth());
  sim_.ResetRequests();
  ASSERT_TRUE(sim_.SetStationUser(user, phone));
  EXPECT_TRUE(WaitFor([&] { return sim_.RequestCount(kStationsEndpoint) > 0 && EqualsTruth(); }))
      << ::testing::PrintToString(DiffFromTruth());
  EXPECT_EQ(sim_.RequestCount(kUserStationEndpoint), 0u) << "the association came by push";
  EXPECT_EQ(sim_.RequestCount(kStationsEndpoint), 1u);
  ASSERT_EQ(Covered(), kAllCovered) << "a gap would re-poll: not the case this test shows";
  const bool found = state_.Read([&](const TelephonyData& d) {
    const PhoneEntry* p = d.PhoneOfUser(user);
    return p != nullptr && p->phone.id == phone;
  });
  EXPECT_TRUE(found) << "the user's new phone was not found through the station read";
}

// The held equivalence after a burst of pushed changes (the phones of the pages polling
// skips, every trunk and edge), then after a gap whose events went nowhere: the stream is
// down (the simulator refuses channels) while the org changes, and the re-poll when it is
// back brings /metrics to the truth.
TEST_F(PushAwarePolling, MetricsEqualTheTruthAfterAPushBurstAndAfterAGap) {
  config_.collection.intervals.stations = Seconds(1);  // reads the station an association names
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_TRUE(WaitFor([&] { return EqualsTruth(); })) << ::testing::PrintToString(DiffFromTruth());
  // The two pages polling skips: the 10 lowest ids, all pushed.
  std::vector<std::string> phones = state_.Read([](const TelephonyData& d) {
    std::vector<std::string> out;
    for (const auto& [id, p] : d.phones) {
      if (out.size() < 10 && p.pushed) out.push_back(id);
      if (out.size() < 10 && !p.pushed) return std::vector<std::string>{};
    }
    return out;
  });
  ASSERT_EQ(phones.size(), 10u) << "the first two pages are not all pushed";
  const auto trunks = sim_.TrunkIds("EXTERNAL");  // with proxies and metrics
  const auto edges = sim_.EdgeIds();
  auto change = [&](int round) {
    const bool odd = round % 2 == 1;
    for (std::size_t i = 0; i < phones.size(); ++i) {
      ASSERT_TRUE(sim_.SetLineReachable(phones[i], 0, (i + round) % 3 != 0));
      ASSERT_TRUE(sim_.SetPhoneStatus(phones[i], (i + round) % 4 == 0 ? "DEGRADED" : "OPERATIONAL"));
    }
    for (std::size_t i = 0; i < trunks.size(); ++i) {
      ASSERT_TRUE(sim_.SetTrunkConnected(trunks[i], (i + round) % 2 == 0));
      ASSERT_TRUE(sim_.SetTrunkOptions(trunks[i], 0, odd));
      ASSERT_TRUE(sim_.SetTrunkCalls(trunks[i], 3 + round, 2, odd ? 9 : 0));
    }
    for (std::size_t i = 0; i < edges.size(); ++i) ASSERT_TRUE(sim_.SetEdgeOnline(edges[i], (i + round) % 2 == 1));
  };

  // A burst: every one of them changes, three times over. Only push can show it: the covered
  // kinds are not polled, and phones read pages 3 and 4 only.
  sim_.ResetRequests();
  for (int round = 1; round <= 3; ++round) ASSERT_NO_FATAL_FAILURE(change(round));
  EXPECT_TRUE(WaitFor([&] { return EqualsTruth(); })) << ::testing::PrintToString(DiffFromTruth());
  ASSERT_EQ(Covered(), kAllCovered) << "the stream had a gap: the burst was not shown by push alone";
  EXPECT_EQ(PolledRequests(), 0u) << "a resync ran: the burst was not shown by push alone";
  EXPECT_EQ(LastRequests("phones"), 2u);

  // A gap: no channel can be made while every socket is dropped, and the org changes meanwhile.
  sim::FaultSpec refuse;
  refuse.kind = "server_error";
  refuse.path = "/api/v2/notifications/channels";
  const int fault = sim_.InjectFault(refuse);
  ASSERT_GT(fault, 0);
  ASSERT_GT(sim_.DropSockets(), 0);
  ASSERT_TRUE(WaitFor([&] { return Covered().empty(); })) << "the stream did not go down";
  ASSERT_NO_FATAL_FAILURE(change(4));
  ASSERT_TRUE(sim_.SetStationUser(config_.collection.users.back(), FreePhone()));
  ASSERT_TRUE(sim_.RemoveFault(fault));
  EXPECT_TRUE(WaitFor([&] { return Covered() == kAllCovered && EqualsTruth(); }, std::chrono::seconds(30)))
      << ::testing::PrintToString(DiffFromTruth());
}

}  // namespace
}  // namespace gx
