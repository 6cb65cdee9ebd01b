// The REST pollers against an in-process genesys_sim: the real API stack
// (OAuth, budget, retries), the real parsers, the state and the collectors.
// After each cycle, metrics and state are compared with the simulator's truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/exposition_samples.h"
#include "tests/integration/truth_equivalence.h"
#include "exporter/genesys/api/api_factory.h"
#include "exporter/sources/poll/edges_poller.h"
#include "exporter/sources/poll/phones_poller.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/poll/request_cost.h"
#include "exporter/sources/poll/trunks_poller.h"
#include "simulator/simulator.h"
#include "tests/exporter/util/wait_for.h"

namespace gx {
namespace {

sim::Scenario SmallOrg() {
  sim::Scenario s;
  s.name = "poll";
  s.site_count = 3;
  s.phones = 60;
  s.users = 4;
  s.external_trunks = 4;
  s.tls_endpoints = false;
  s.walk.enabled = false;
  s.rate_limit_per_minute = 100000;
  return s;
}

using gx::testing::WaitFor;

struct Harness {
  explicit Harness(sim::Scenario scenario, std::function<void(Config&)> tweak = {},
                   std::function<void(RetryPolicy&)> tweak_retry = {})
      : sim(std::move(scenario)) {
    const Status started = sim.Start(0);
    EXPECT_TRUE(started.ok()) << started.error();
    config.genesys.client_id = sim.scenario().client_id;
    config.genesys.client_secret = sim.scenario().client_secret;
    config.genesys.api_url = sim.base_url();
    config.genesys.login_url = sim.base_url();
    config.genesys.request_timeout = Seconds(5);
    config.rate_limit.requests_per_minute = 60000;
    config.collection.page_size = 500;
    config.collection.users = sim.UserIds();
    if (tweak) tweak(config);
    RetryPolicy retry;
    retry.backoff = {50 * kNanosPerMilli, 500 * kNanosPerMilli};  // keep retried tests short
    if (tweak_retry) tweak_retry(retry);
    auto made = MakeApiStack(config, health, SystemClock::Instance(), retry);
    EXPECT_TRUE(made) << made.error();
    if (made) api = std::move(made).value();
    scheduler = std::make_unique<PollScheduler>(config, api->api(), state, health, SystemClock::Instance());
  }
  ~Harness() {
    api->Stop();  // first, as App does: cuts waits in the budget short so that the pollers can stop
    scheduler->Stop();
    sim.Stop();
  }

  SourceHealth Source(const std::string& name) {
    return health.Read([&](const HealthData& d) {
      auto it = d.sources.find(name);
      return it == d.sources.end() ? SourceHealth{} : it->second;
    });
  }
  std::uint64_t Retries(const std::string& endpoint, const std::string& reason) {
    return health.Read([&](const HealthData& d) {
      auto it = d.api_retries.find({endpoint, reason});
      return it == d.api_retries.end() ? 0 : it->second;
    });
  }
  // The samples of the /metrics collectors, through the serializer /metrics uses.
  testing::ExpositionSamples Metrics(bool per_phone = true) {
    CollectorOptions options;
    options.per_phone = per_phone;
    return state.Read([&](const TelephonyData& t) {
      return health.Read([&](const HealthData& h) {
        return testing::ParseSamples(WriteAllCollectors(CollectInput{t, h, options}));
      });
    });
  }

  sim::Simulator sim;
  Config config;
  HealthState health;
  TelephonyState state;
  std::unique_ptr<ApiStack> api;
  std::unique_ptr<PollScheduler> scheduler;
};

using testing::SeriesCount;
using testing::Value;

// Phone counts by site and status, lines and reachable lines.
void ExpectPhonesEqualTruth(Harness& h) {
  EXPECT_EQ(testing::PhonesDiffFromTruth(h.sim.GetTruth(), h.Metrics()), std::vector<std::string>{});
}

void ExpectMetricsEqualTruth(Harness& h) {
  EXPECT_EQ(testing::DiffFromTruth(h.sim.GetTruth(), h.Metrics(), h.config.collection.qos_mismatch_threshold),
            std::vector<std::string>{});
}

TEST(PollCycle, FullCycleEqualsTheSimulatorsTruth) {
  Harness h(SmallOrg(), [](Config& c) { c.collection.page_size = 7; });
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  ExpectMetricsEqualTruth(h);
  EXPECT_TRUE(h.health.Read([](const HealthData& d) { return d.first_poll_complete; }));
  EXPECT_EQ(h.health.Read([](const HealthData& d) { return d.genesys_up; }), true);

  // Requests per source follow the formula: 60 phones in pages of 7 cost 9.
  EXPECT_EQ(h.Source("phones").last_cycle_requests, 9u);
  EXPECT_EQ(h.sim.RequestCount(kPhonesEndpoint), 9u);
  OrgSize org = h.state.Read([&](const TelephonyData& d) {
    OrgSize o;
    o.phones = static_cast<std::int64_t>(d.phones.size());
    o.stations = static_cast<std::int64_t>(d.stations.size());
    o.followed_users = static_cast<std::int64_t>(h.config.collection.users.size());
    o.trunks = static_cast<std::int64_t>(d.trunks.size());
    o.trunk_bases = static_cast<std::int64_t>(d.trunk_bases.size());
    for (const auto& [id, t] : d.trunks) o.external_trunks += t.trunk.trunk_type == "EXTERNAL";
    o.edges = static_cast<std::int64_t>(d.edges.size());
    return o;
  });
  EXPECT_EQ(org.phones, 60);
  CycleCost cost = FullCycleCost(org, 7);
  EXPECT_EQ(h.Source("stations").last_cycle_requests, static_cast<std::uint64_t>(cost.stations));
  EXPECT_EQ(h.Source("trunks").last_cycle_requests, static_cast<std::uint64_t>(cost.trunks));
  EXPECT_EQ(h.Source("trunk_metrics").last_cycle_requests, static_cast<std::uint64_t>(cost.trunk_metrics));
  EXPECT_EQ(h.Source("edges").last_cycle_requests, static_cast<std::uint64_t>(cost.edges));
  EXPECT_EQ(h.Source("edge_metrics").last_cycle_requests, static_cast<std::uint64_t>(cost.edge_metrics));

  // Changes in the org show up after the next cycle.
  auto trunks = h.sim.TrunkIds("EXTERNAL");
  ASSERT_GE(trunks.size(), 3u);
  ASSERT_TRUE(h.sim.SetTrunkConnected(trunks[0], false));
  ASSERT_TRUE(h.sim.SetTrunkOptions(trunks[1], 0, false));
  ASSERT_TRUE(h.sim.SetTrunkCalls(trunks[2], 4, 2, 9));
  ASSERT_TRUE(h.sim.SetLineReachable(h.sim.PhoneIds()[0], 0, false));
  ASSERT_TRUE(h.sim.SetPhoneStatus(h.sim.PhoneIds()[1], "DEGRADED"));
  ASSERT_TRUE(h.sim.SetEdgeOnline(h.sim.EdgeIds()[0], false));
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  ExpectMetricsEqualTruth(h);
}

TEST(PollCycle, PageSizeFallsBackWhenRefused) {
  sim::Scenario s = SmallOrg();
  s.max_page_size = 100;
  Harness h(s, [](Config& c) { c.collection.page_size = 500; });
  ASSERT_TRUE(h.scheduler->RunOnce("phones").ok());
  auto* phones = dynamic_cast<PhonesPoller*>(h.scheduler->poller("phones"));
  ASSERT_NE(phones, nullptr);
  EXPECT_EQ(phones->page_size(), 100);
  // 500 and 200 refused, then one page of 100.
  EXPECT_EQ(h.Source("phones").last_cycle_requests, 3u);
  ASSERT_TRUE(h.scheduler->RunOnce("phones").ok());
  EXPECT_EQ(h.Source("phones").last_cycle_requests, 1u);
}

TEST(PollCycle, NoRequestBeforeRetryAfterHasPassed) {
  Harness h(SmallOrg(), [](Config& c) { c.collection.page_size = 10; });
  sim::FaultSpec storm;
  storm.kind = "rate_limit";
  storm.path = "/phones";
  storm.count = 3;
  storm.retry_after_s = 1;
  ASSERT_GT(h.sim.InjectFault(storm), 0);
  h.sim.ResetRequests();
  ASSERT_TRUE(h.scheduler->RunOnce("phones").ok());
  auto log = h.sim.Requests();
  int limited = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].status != 429) continue;
    ++limited;
    for (size_t k = i + 1; k < log.size(); ++k) {
      EXPECT_GE(log[k].time, log[i].time + 1 * kNanosPerSecond) << "request " << k << " after the 429 at " << i;
    }
  }
  EXPECT_EQ(limited, 3);
  EXPECT_EQ(h.Retries(kPhonesEndpoint, "rate_limited"), 3u);
  ExpectPhonesEqualTruth(h);
}

TEST(PollCycle, ServerErrorBurstIsRetried) {
  Harness h(SmallOrg());
  sim::FaultSpec burst;
  burst.kind = "server_error";
  burst.path = "/api/v2/telephony/providers/edges/trunks";
  burst.status = 503;
  burst.count = 2;
  ASSERT_GT(h.sim.InjectFault(burst), 0);
  ASSERT_TRUE(h.scheduler->RunOnce("trunks").ok());
  EXPECT_EQ(h.Retries(kTrunksEndpoint, "server_error"), 2u);
  EXPECT_TRUE(h.Source("trunks").up);
}

TEST(PollCycle, LongServerOutageFailsOnlyThatSourceAndKeepsItsState) {
  Harness h(SmallOrg());
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  sim::FaultSpec outage;
  outage.kind = "server_error";
  outage.path = "/api/v2/telephony/providers/edges/phones";
  outage.status = 500;
  outage.count = 4;  // every attempt of one call
  ASSERT_GT(h.sim.InjectFault(outage), 0);
  auto r = h.scheduler->RunOnce("phones");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(h.Source("phones").up);
  EXPECT_FALSE(h.Source("phones").last_error.empty());
  EXPECT_EQ(h.state.Read([](const TelephonyData& d) { return d.phones.size(); }), 60u);  // previous state kept
  EXPECT_TRUE(h.scheduler->RunOnce("trunks").ok());
  EXPECT_TRUE(h.scheduler->RunOnce("phones").ok());
  EXPECT_TRUE(h.Source("phones").up);
}

TEST(PollCycle, MalformedOrTruncatedPageFailsTheCycleAndKeepsThePreviousState) {
  Harness h(SmallOrg(), [](Config& c) { c.collection.page_size = 25; });
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  auto before = h.Metrics();
  for (const char* kind : {"malformed_json", "truncated_json"}) {
    ASSERT_TRUE(h.sim.DeleteEntity("phone", h.sim.PhoneIds()[0]));  // a change the failed cycle must not apply
    sim::FaultSpec bad;
    bad.kind = kind;
    bad.path = "/api/v2/telephony/providers/edges/phones";
    bad.count = 1;
    ASSERT_GT(h.sim.InjectFault(bad), 0);
    auto r = h.scheduler->RunOnce("phones");
    EXPECT_FALSE(r.ok()) << kind;
    auto c = h.Source("phones");
    EXPECT_FALSE(c.up) << kind;
    EXPECT_FALSE(c.last_error.empty()) << kind;
    EXPECT_EQ(SeriesCount(h.Metrics(), "genesys_phone_registered"), SeriesCount(before, "genesys_phone_registered"));
    EXPECT_EQ(Value(h.Metrics(), "genesys_collector_up", {{"collector", "phones"}}), 0);
    EXPECT_EQ(Value(h.Metrics(), "genesys_collector_up", {{"collector", "trunks"}}), 1);
  }
  ASSERT_TRUE(h.scheduler->RunOnce("phones").ok());
  ExpectMetricsEqualTruth(h);
}

TEST(PollCycle, TokenExpiringMidCycleIsRefreshed) {
  sim::Scenario s = SmallOrg();
  s.token_lifetime_s = 1;  // refreshed 0.25 s before expiry
  Harness h(s, [](Config& c) { c.collection.page_size = 5; });
  sim::FaultSpec slow;
  slow.kind = "slow";
  slow.path = "/api/v2/telephony/providers/edges/phones";
  slow.delay_s = 0.15;  // 12 pages: the cycle outlives several tokens
  ASSERT_GT(h.sim.InjectFault(slow), 0);
  ASSERT_TRUE(h.scheduler->RunOnce("phones").ok());
  EXPECT_GE(h.health.Read([](const HealthData& d) { return d.oauth_requests; }), 2u);
  EXPECT_EQ(h.state.Read([](const TelephonyData& d) { return d.phones.size(); }), 60u);
}

TEST(PollCycle, RevokedTokenIsReplacedOnce) {
  Harness h(SmallOrg());
  ASSERT_TRUE(h.scheduler->RunOnce("edges").ok());
  ASSERT_GT(h.sim.RevokeTokens(), 0);
  ASSERT_TRUE(h.scheduler->RunOnce("edges").ok());
  EXPECT_EQ(h.Retries(kEdgesEndpoint, "unauthorized"), 1u);
  EXPECT_EQ(h.health.Read([](const HealthData& d) { return d.genesys_up; }), true);
}

TEST(PollCycle, RevokedCredentialsSetGenesysDown) {
  Harness h(SmallOrg(), [](Config& c) { c.genesys.client_secret = "revoked-secret"; });
  auto r = h.scheduler->RunOnce("phones");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(h.health.Read([](const HealthData& d) { return d.genesys_up; }), false);
  EXPECT_EQ(Value(h.Metrics(), "genesys_up", {}), 0);
  EXPECT_EQ(h.health.Read([](const HealthData& d) { return d.oauth_failures; }), 1u);
  EXPECT_EQ(h.api->tokens->last_error(), "token request to " + h.sim.base_url() +
                                            "/oauth/token answered HTTP 401 error=invalid_client "
                                            "error_description=\"authentication failed\"");
  // The source's error says why there is no token.
  EXPECT_EQ(r.status.error(), std::string(kPhonesEndpoint) + " page 1: no OAuth token: " + h.api->tokens->last_error());
  EXPECT_EQ(h.api->tokens->last_error().find("revoked-secret"), std::string::npos);
  EXPECT_EQ(h.sim.RequestCount(kPhonesEndpoint), 0u);  // nothing sent without a token
}

TEST(PollCycle, SlowResponsesPastTheTimeoutAreRetried) {
  Harness h(SmallOrg(), [](Config& c) { c.genesys.request_timeout = Seconds(0.3); });
  sim::FaultSpec slow;
  slow.kind = "slow";
  slow.path = "/api/v2/telephony/providers/edges";
  slow.delay_s = 1.0;
  slow.count = 2;
  ASSERT_GT(h.sim.InjectFault(slow), 0);
  ASSERT_TRUE(h.scheduler->RunOnce("edges").ok());
  EXPECT_EQ(h.Retries(kEdgesEndpoint, "timeout"), 2u);
}

TEST(PollCycle, EntityDeletedBetweenCyclesDisappears) {
  Harness h(SmallOrg());
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  std::string phone = h.sim.PhoneIds()[3];
  std::string trunk = h.sim.TrunkIds("EXTERNAL")[0];
  std::string edge = h.sim.EdgeIds()[0];
  auto m = h.Metrics();
  ASSERT_TRUE(Value(m, "genesys_phone_registered", {{"phone_id", phone}}));
  ASSERT_TRUE(Value(m, "genesys_trunk_connected", {{"trunk_id", trunk}}));
  ASSERT_TRUE(Value(m, "genesys_edge_online", {{"edge_id", edge}}));
  ASSERT_TRUE(h.sim.DeleteEntity("phone", phone));
  ASSERT_TRUE(h.sim.DeleteEntity("trunk", trunk));
  ASSERT_TRUE(h.sim.DeleteEntity("edge", edge));
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  m = h.Metrics();
  EXPECT_FALSE(Value(m, "genesys_phone_registered", {{"phone_id", phone}}));
  EXPECT_FALSE(Value(m, "genesys_trunk_connected", {{"trunk_id", trunk}}));
  EXPECT_FALSE(Value(m, "genesys_trunk_health", {{"trunk_id", trunk}}));
  EXPECT_FALSE(Value(m, "genesys_edge_online", {{"edge_id", edge}}));
  ExpectMetricsEqualTruth(h);
}

TEST(PollScheduler, RunsOnItsOwnAndResyncsOnDemandAndStopsPromptly) {
  Harness h(SmallOrg());
  h.scheduler->Start();
  ASSERT_TRUE(WaitFor([&] { return h.health.Read([](const HealthData& d) { return d.first_poll_complete; }); }));
  ASSERT_TRUE(WaitFor([&] { return h.Source("trunk_metrics").ran && h.Source("edge_metrics").ran; }));
  auto before = h.sim.RequestCount(kPhonesEndpoint);
  h.scheduler->TriggerResync({"phones"});
  EXPECT_TRUE(WaitFor([&] { return h.sim.RequestCount(kPhonesEndpoint) > before; }));
  auto c = h.Source("phones");
  EXPECT_EQ(c.configured_interval_seconds, 60);
  EXPECT_EQ(c.interval_seconds, 60);  // a small org fits the budget
  auto t0 = std::chrono::steady_clock::now();
  h.scheduler->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(PollScheduler, IntervalsStretchWhenTheOrgOutgrowsTheBudget) {
  sim::Scenario s = SmallOrg();
  s.phones = 300;
  Harness h(s, [](Config& c) { c.collection.page_size = 25; });  // 12 requests per phones cycle
  ASSERT_TRUE(h.scheduler->RunFullCycle());
  EXPECT_EQ(h.scheduler->stretch_factor(), 1.0);
  // The same org under a budget of 20/min (pollers may use 16/min): phones alone need 12/min.
  h.config.rate_limit.requests_per_minute = 20;
  h.scheduler->UpdateIntervals();
  EXPECT_GT(h.scheduler->stretch_factor(), 1.0);
  auto c = h.Source("phones");
  EXPECT_EQ(c.configured_interval_seconds, 60);
  EXPECT_DOUBLE_EQ(c.interval_seconds, 60 * h.scheduler->stretch_factor());
  // Stretched, the estimated demand fits the pollers' share.
  double demand = 0;
  for (const auto& name : h.scheduler->source_names()) {
    demand += h.scheduler->poller(name)->EstimatedRequests() * 60.0 / h.scheduler->effective_interval(name);
  }
  EXPECT_LE(demand, 20 * kPollerBudgetShare + 1e-9);
}

// Issue 11: one answer saying the server-side window is used up and resets in 1e9 s
// (~31 years) stopped every request for good while every _up gauge said 1. Now the wait is
// capped, the sources show as failed while they are stale, and polling resumes.
TEST(PollCycle, HostileRateLimitResetStallsPollingOnlyUpToTheCeiling) {
  constexpr int kCeilingS = 10;  // the default is 180 s; shortened to keep the test short
  Harness h(
      SmallOrg(),
      [](Config& c) {
        auto& iv = c.collection.intervals;
        iv.phones = iv.stations = iv.trunks = iv.trunk_metrics = iv.edges = iv.edge_metrics = Seconds(1);
      },
      [](RetryPolicy& r) { r.max_server_wait = kCeilingS * kNanosPerSecond; });
  auto up = [&](const std::string& source) {
    return Value(h.Metrics(false), "genesys_collector_up", {{"collector", source}});
  };
  auto genesys_up = [&] { return Value(h.Metrics(false), "genesys_up", {}); };
  auto all = [&](double want) {
    for (const auto& name : h.scheduler->source_names()) {
      if (up(name) != want) return false;
    }
    return genesys_up() == want;
  };
  h.scheduler->Start();
  ASSERT_TRUE(WaitFor(std::bind(all, 1.0)));

  sim::FaultSpec exhausted;
  exhausted.kind = "rate_limit_exhausted";
  exhausted.count = 1;
  exhausted.retry_after_s = 1'000'000'000;
  ASSERT_GT(h.sim.InjectFault(exhausted), 0);

  // Nothing is polled: stale after 3 intervals, every source and genesys_up say 0.
  ASSERT_TRUE(WaitFor(std::bind(all, 0.0))) << "a stalled exporter still looks healthy";
  EXPECT_NE(h.Source("trunks").last_error.find("no successful run"), std::string::npos);
  h.sim.ResetRequests();
  // Requests resume once the ceiling has passed, not in 31 years.
  ASSERT_TRUE(WaitFor([&] { return !h.sim.Requests().empty(); }, std::chrono::seconds(3 * kCeilingS)));
  ASSERT_TRUE(WaitFor(std::bind(all, 1.0)));
  ExpectPhonesEqualTruth(h);
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// Trunk base settings are configuration: read on the first cycle and on a resync, and when
// a trunk names a base not read yet, not every trunks cycle.
TEST(PollCycle, TrunkBaseSettingsAreReadOnResyncsOnly) {
  Harness h(SmallOrg());
  Poller* trunks = h.scheduler->poller("trunks");
  ASSERT_NE(trunks, nullptr);
  CycleRequest cycle;
  cycle.resync = false;
  ASSERT_TRUE(trunks->RunCycle(cycle).ok());  // the first: bases never read yet
  EXPECT_EQ(h.sim.RequestCount(kTrunkBasesEndpoint), 1u);
  ASSERT_TRUE(trunks->RunCycle(cycle).ok());
  ASSERT_TRUE(trunks->RunCycle(cycle).ok());
  EXPECT_EQ(h.sim.RequestCount(kTrunksEndpoint), 3u);
  EXPECT_EQ(h.sim.RequestCount(kTrunkBasesEndpoint), 1u);
  cycle.resync = true;
  ASSERT_TRUE(trunks->RunCycle(cycle).ok());
  EXPECT_EQ(h.sim.RequestCount(kTrunkBasesEndpoint), 2u);
  EXPECT_FALSE(h.state.Read([](const TelephonyData& d) { return d.trunk_bases.empty(); }));
}

// With a healthy stream, a phones cycle reads only the pages holding a phone without a
// topic; a phone added meanwhile shifts the pages, and the cycle goes on with a full listing.
TEST(PollCycle, PhonesSkipPagesOfPushedPhonesUntilTheListingMoves) {
  Harness h(SmallOrg(), [](Config& c) { c.collection.page_size = 7; });  // 60 phones: 9 pages
  auto* phones = h.scheduler->poller("phones");
  CycleRequest full;
  ASSERT_TRUE(phones->RunCycle(full).ok());
  EXPECT_EQ(h.sim.RequestCount(kPhonesEndpoint), 9u);
  // The first 21 phones in id order (pages 1-3) have topics.
  auto ids = h.state.Read([](const TelephonyData& d) {
    std::vector<std::string> out;
    for (const auto& [id, e] : d.phones) out.push_back(id);
    return out;
  });
  std::sort(ids.begin(), ids.end());
  ids.resize(21);
  h.state.SetPushed(ids, {}, {});
  CycleRequest live;
  live.resync = false;
  live.pushed_live = true;
  ASSERT_EQ(phones->EstimatedRequests(), 9);  // the last cycle had no live stream
  CycleResult r = phones->RunCycle(live);
  ASSERT_TRUE(r.ok()) << r.status.error();
  EXPECT_EQ(r.requests, 6u);
  EXPECT_EQ(h.sim.RequestCount(kPhonesEndpoint), 15u);
  EXPECT_EQ(phones->EstimatedRequests(), 6);
  // A polled phone's status change arrives through the pages read.
  const std::string polled = h.state.Read([](const TelephonyData& d) {
    std::vector<std::string> out;
    for (const auto& [id, e] : d.phones) {
      if (!e.pushed) out.push_back(id);
    }
    std::sort(out.begin(), out.end());
    return out.back();
  });
  ASSERT_TRUE(h.sim.SetPhoneStatus(polled, "DEGRADED"));
  ASSERT_TRUE(phones->RunCycle(live).ok());
  EXPECT_EQ(h.state.Read([&](const TelephonyData& d) { return d.phones.at(polled).phone.status->operational_status; }),
            "DEGRADED");
  // A new phone: the pages moved, so the cycle lists everything and the state knows it.
  const Result<std::string> new_phone = h.sim.AddPhone(h.sim.SiteIds().front(), "Added Phone");
  ASSERT_TRUE(new_phone.ok()) << new_phone.error();
  const std::string& added = *new_phone;
  const auto before = h.sim.RequestCount(kPhonesEndpoint);
  r = phones->RunCycle(live);
  ASSERT_TRUE(r.ok()) << r.status.error();
  EXPECT_GE(h.sim.RequestCount(kPhonesEndpoint) - before, 9u);  // what the pass read, then 9 pages
  EXPECT_TRUE(h.state.Read([&](const TelephonyData& d) { return d.phones.count(added) == 1; }));
  EXPECT_EQ(h.state.Read([](const TelephonyData& d) { return d.phones.size(); }),
            static_cast<std::size_t>(h.sim.GetTruth().phones));
}

}  // namespace
}  // namespace gx
