// The scheduler's staleness watchdog with an injected clock: a collector that has not
// succeeded within its bound is reported failed (and genesys_up 0 once none has), also while
// its run is stuck, say behind a request budget closed by the server's headers.
#include "exporter/sources/poll/poll_scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kStart = 1'800'000'000 * kNanosPerSecond;

// Answers every listing with an empty page and records it as the real client does; while
// held, every request waits for Release() (as behind a closed request budget).
class FakeApi final : public ApiClient {
 public:
  FakeApi(HealthState& health, const Clock& clock) : health_(health), clock_(clock) {}
  ApiResponse Get(const std::string&, const std::string& endpoint) override {
    {
      std::unique_lock lock(mu_);
      ++waiting_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !held_; });
      --waiting_;
    }
    health_.RecordApiRequest(endpoint, "200", 0, clock_.Now());
    health_.Update([](HealthData& d) { d.genesys_up = true; });
    ApiResponse r;
    r.status = 200;
    r.body = R"({"entities":[],"pageNumber":1,"pageSize":500,"total":0,"pageCount":0})";
    return r;
  }
  ApiResponse Send(const std::string&, const std::string& path, const std::string&,
                   const std::string& endpoint) override {
    return Get(path, endpoint);
  }
  void Hold() {
    std::lock_guard lock(mu_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }
  int waiting() {
    std::lock_guard lock(mu_);
    return waiting_;
  }

 private:
  HealthState& health_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int waiting_ = 0;
};

bool WaitFor(const std::function<bool()>& cond) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

class PollSchedulerStaleness : public ::testing::Test {
 protected:
  PollSchedulerStaleness() {
    config_.collection.intervals.jitter = 0;
    config_.collection.edge_metrics = false;
  }
  CollectorHealth Collector(const std::string& name) {
    return health_.Read([&](const HealthData& d) {
      auto it = d.collectors.find(name);
      return it == d.collectors.end() ? CollectorHealth{} : it->second;
    });
  }
  std::optional<bool> GenesysUp() {
    return health_.Read([](const HealthData& d) { return d.genesys_up; });
  }

  Config config_;
  ManualClock clock_{kStart};
  TelephonyState state_;
  HealthState health_;
  FakeApi api_{health_, clock_};
};

TEST_F(PollSchedulerStaleness, CollectorsGoStaleAfterThreeIntervals) {
  PollScheduler scheduler(config_, api_, state_, health_, clock_);
  ASSERT_TRUE(scheduler.RunFullCycle());
  ASSERT_EQ(GenesysUp(), true);

  // trunks and trunk_metrics poll every 30 s: stale after 90 s; phones and edges after 180 s.
  clock_.Advance(90 * kNanosPerSecond);
  EXPECT_FALSE(scheduler.CheckStaleness());
  EXPECT_TRUE(Collector("trunks").up);
  EXPECT_EQ(GenesysUp(), true);
  clock_.Advance(kNanosPerSecond);
  // No request for 91 s, more than 3 intervals of the most frequent poller: nothing is polled.
  EXPECT_TRUE(scheduler.CheckStaleness());
  EXPECT_EQ(GenesysUp(), false);
  EXPECT_FALSE(Collector("trunks").up);
  EXPECT_TRUE(Collector("trunks").stale);
  EXPECT_EQ(Collector("trunks").last_error, "no successful run for 91 s (stale after 90 s)");
  EXPECT_FALSE(Collector("trunk_metrics").up);
  EXPECT_TRUE(Collector("phones").up);

  // A collector that needs no request (no external trunks) succeeding is no sign of polling.
  ASSERT_TRUE(scheduler.RunOnce("trunk_metrics").ok);
  EXPECT_TRUE(Collector("trunk_metrics").up);
  EXPECT_TRUE(scheduler.CheckStaleness());
  // A real request is.
  ASSERT_TRUE(scheduler.RunOnce("phones").ok);
  EXPECT_FALSE(scheduler.CheckStaleness());
  EXPECT_EQ(GenesysUp(), true);
  EXPECT_FALSE(Collector("trunks").up);  // still stale until its own next success

  ASSERT_TRUE(scheduler.RunOnce("trunks").ok);
  EXPECT_TRUE(Collector("trunks").up);
  EXPECT_FALSE(Collector("trunks").stale);
  EXPECT_EQ(Collector("trunks").last_error, "");

  // stations (300 s) goes stale last, at 900 s.
  clock_.Advance(809 * kNanosPerSecond);
  scheduler.CheckStaleness();
  EXPECT_TRUE(Collector("stations").up);
  clock_.Advance(kNanosPerSecond);
  scheduler.CheckStaleness();
  EXPECT_FALSE(Collector("stations").up);
}

TEST_F(PollSchedulerStaleness, ACollectorWithNothingToPollDoesNotShortenTheBound) {
  config_.collection.intervals.trunk_metrics = Seconds(5);
  PollScheduler scheduler(config_, api_, state_, health_, clock_);
  ASSERT_TRUE(scheduler.RunFullCycle());  // trunk_metrics: no external trunks, no request
  clock_.Advance(60 * kNanosPerSecond);
  EXPECT_FALSE(scheduler.CheckStaleness());  // trunks polls every 30 s: 60 s of quiet is fine
  EXPECT_EQ(GenesysUp(), true);
}

TEST_F(PollSchedulerStaleness, StretchedIntervalsStretchTheBound) {
  health_.Update([](HealthData& d) {
    d.collectors["trunks"].interval_seconds = 60;  // stretched x2
    d.collectors["trunks"].configured_interval_seconds = 30;
  });
  EXPECT_EQ(StalenessBound(Collector("trunks")), 180 * kNanosPerSecond);
  EXPECT_EQ(StalenessBound(CollectorHealth{}), kMaxNanos);  // no interval known: never stale
}

// The defect of issue 11: every run waits (as behind a budget the server closed for good),
// nothing completes, and yet every collector and genesys_up kept saying 1.
TEST_F(PollSchedulerStaleness, RunsStuckInTheBudgetShowAsFailedUntilTheyComplete) {
  PollScheduler scheduler(config_, api_, state_, health_, clock_);
  ASSERT_TRUE(scheduler.RunFullCycle());
  api_.Hold();
  scheduler.Start();
  // phones, stations, trunks and edges are now stuck in a request (trunk_metrics needs none:
  // there are no external trunks).
  ASSERT_TRUE(WaitFor([&] { return api_.waiting() == 4; }));

  clock_.Advance(901 * kNanosPerSecond);  // beyond every bound; no real time passes
  ASSERT_TRUE(WaitFor([&] { return !Collector("phones").up && !Collector("stations").up; }))
      << "the watchdog did not mark stuck collectors stale";
  EXPECT_TRUE(Collector("trunks").stale);
  EXPECT_TRUE(Collector("edges").stale);
  EXPECT_EQ(GenesysUp(), false);

  api_.Release();
  auto all_up = [&] {
    for (const char* c : {"phones", "stations", "trunks", "edges"}) {
      if (!Collector(c).up || Collector(c).stale) return false;
    }
    return true;
  };
  ASSERT_TRUE(WaitFor(all_up));
  EXPECT_EQ(GenesysUp(), true);
  scheduler.Stop();
}

TEST_F(PollSchedulerStaleness, FirstRunsStuckMeanGenesysDown) {
  PollScheduler scheduler(config_, api_, state_, health_, clock_);
  health_.Update([](HealthData& d) { d.genesys_up = true; });  // say, set by the token request
  api_.Hold();  // the very first runs never complete
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return api_.waiting() == 4; }));
  clock_.Advance(901 * kNanosPerSecond);
  ASSERT_TRUE(WaitFor([&] { return GenesysUp() == false; }));
  // Never completed a run, and still reported as failed.
  EXPECT_FALSE(Collector("phones").ran);
  EXPECT_TRUE(Collector("phones").stale);
  EXPECT_TRUE(Collector("trunk_metrics").stale);  // skipped so far: no inventory, so no success
  api_.Release();
  ASSERT_TRUE(WaitFor([&] { return Collector("phones").up; }));
  scheduler.Stop();
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// A configuration reload: a collector whose interval shrinks runs again one new interval
// after its last run, not at the end of the old one; the others keep their schedule.
TEST_F(PollSchedulerStaleness, NewIntervalsApplyToTheNextRun) {
  auto& iv = config_.collection.intervals;
  iv.phones = iv.stations = iv.trunks = iv.trunk_metrics = iv.edges = Seconds(86400);
  PollScheduler scheduler(config_, api_, state_, health_, clock_);
  auto requests = [&](const std::string& endpoint) {
    return health_.Read([&](const HealthData& d) {
      auto it = d.api_requests.find({endpoint, "200"});
      return it == d.api_requests.end() ? 0u : it->second;
    });
  };
  const std::string phones = "/api/v2/telephony/providers/edges/phones";
  const std::string edges = "/api/v2/telephony/providers/edges";
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return requests(phones) == 1 && requests(edges) == 1; }));

  CollectorIntervals next = iv;
  next.phones = Seconds(1);
  scheduler.SetIntervals(next);
  EXPECT_EQ(Collector("phones").configured_interval_seconds, 1);
  EXPECT_EQ(Collector("phones").interval_seconds, 1);
  EXPECT_EQ(Collector("edges").configured_interval_seconds, 86400);
  EXPECT_TRUE(WaitFor([&] { return requests(phones) >= 3; }));
  EXPECT_EQ(requests(edges), 1u);
  scheduler.Stop();
}

}  // namespace
}  // namespace gx
