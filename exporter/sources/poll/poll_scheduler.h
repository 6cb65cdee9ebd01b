// Runs every REST poller on its own jittered interval, counted from the start of its
// last run (PollTimetable), one thread per source so that a source never overlaps
// itself and a slow one never delays another (the shared request budget orders their
// requests). Push-aware: while the notification stream is healthy (OnStream), the
// sources it fully covers are polled only by the periodic resync
// (collection.intervals.resync) and phones skip pages of pushed phones; a gap re-polls the
// affected sources at once; a covered source whose pushed data names what it has not
// read (Poller::HasUnread) runs once more, at most once per its configured interval. Stretches every interval when the estimated request rate
// exceeds the budget, records each run in HealthState, and re-polls on demand
// (TriggerResync). A watchdog marks a source that has not succeeded within its
// staleness bound as failed, even while its run is stuck (say, behind a closed request
// budget). SetIntervals() takes new intervals (a configuration reload): each source's
// next run moves to one new interval after its last start. Time is the injected Clock's;
// waits go through a Sleeper in naps of at most kNapNanos, so that a resync or Stop() is
// seen within one nap. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/api/sleeper.h"
#include "exporter/config/config.h"
#include "exporter/sources/poll/page_progress.h"
#include "exporter/sources/poll/poll_timetable.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/sources/poll/stream_report.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/logging.h"

namespace gx {

struct SourceLoad {
  double interval_s = 0;          // configured
  double requests_per_cycle = 0;  // estimated
};

// The factor (>= 1) by which every interval must grow so that the estimated
// demand fits `share` of the budget: max(1, sum(requests/interval) * 60 / (budget * share)).
double StretchFactor(const std::vector<SourceLoad>& loads, double budget_per_minute, double share);

// Pollers get this share of the request budget; the rest is headroom for the
// notification listener (channels, subscriptions) and retries.
inline constexpr double kPollerBudgetShare = 0.8;

// How often the watchdog looks for stale sources.
inline constexpr double kStalenessCheckSeconds = 1.0;

// During a source's first run, its page progress is logged at most this often.
inline constexpr UnixNanos kProgressLogInterval = 10 * kNanosPerSecond;

// The longest single wait of a source thread: how late it may see a resync or Stop().
inline constexpr UnixNanos kNapNanos = 200 * kNanosPerMilli;

class PollScheduler {
 public:
  PollScheduler(const Config& config, ApiClient& api, TelephonyState& state, HealthState& health,
                const Clock& clock);
  // With these pollers (in run order) and waits through `sleeper` (tests: a
  // ClockAdvancingSleeper over a ManualClock).
  PollScheduler(const Config& config, std::vector<std::unique_ptr<Poller>> pollers, TelephonyState& state,
                HealthState& health, const Clock& clock, Sleeper& sleeper);
  ~PollScheduler();
  PollScheduler(const PollScheduler&) = delete;
  PollScheduler& operator=(const PollScheduler&) = delete;

  void Start();
  // Wakes every source thread and joins it. A cycle in flight finishes its
  // current request first; stop the ApiStack's sleeper too to cut waits short.
  void Stop();

  // Runs the named sources (all when empty) as soon as possible, as a resync.
  void TriggerResync(const std::vector<std::string>& sources = {});
  // The push stream's state (the notification listener's report). A source that becomes
  // covered, or stops being covered, is re-polled at once: before its topics were live, and
  // after they stopped being live, only REST sees its changes.
  void OnStream(const StreamReport& report);
  // Sources the healthy stream covers now (polled by the periodic resync only).
  std::vector<std::string> covered() const;

  // One cycle of `name` on the caller's thread, recorded like a scheduled one
  // (tests, benchmarks). Never overlaps a scheduled run of the same source.
  CycleResult RunOnce(const std::string& name);
  // Every source once, inventories before their metrics. True when all succeeded.
  bool RunFullCycle();

  std::vector<std::string> source_names() const;
  Poller* poller(const std::string& name);
  double stretch_factor() const;
  double effective_interval(const std::string& name) const;
  // New configured intervals and jitter; stretched as before. Any thread.
  void SetIntervals(const SourceIntervals& intervals);
  // Recomputes the stretched intervals from the current estimates.
  void UpdateIntervals();
  // Marks the sources that have not succeeded within their staleness bound as failed,
  // and genesys_up 0 while no API request ends at all (HealthState::MarkStaleSources),
  // and logs it; the watchdog calls this every kStalenessCheckSeconds. True when nothing
  // is being polled.
  bool CheckStaleness();

 private:
  struct Slot {
    std::unique_ptr<Poller> poller;
    double configured_s = 0;  // guarded by mu_
    double effective_s = 0;   // guarded by mu_
    bool covered = false;     // guarded by mu_: the healthy stream carries every entity
    PollTimetable timetable;  // guarded by mu_
    std::optional<UnixNanos> last_resync;  // guarded by mu_: start of the last resync run
    std::optional<UnixNanos> last_unread;  // guarded by mu_: start of the last run for HasUnread()
    std::mutex run_mu;       // held during a cycle
    PageProgress progress{kProgressLogInterval};  // guarded by run_mu
    bool succeeded = false;                       // guarded by run_mu: a run has succeeded
    std::thread thread;
  };
  void AddSlot(std::unique_ptr<Poller> poller);
  void OnPage(Slot& slot, std::int64_t page, std::int64_t page_count);
  void Loop(Slot& slot);
  void WatchdogLoop();
  CycleResult RunSlot(Slot& slot, const CycleRequest& request);
  CycleRequest FullRequest() const;  // RunOnce, RunFullCycle: a resync
  Slot* Find(const std::string& name);
  // The interval before stretching: the configured one, the resync interval while covered.
  double BaseIntervalLocked(const Slot& slot) const;
  double JitteredLocked(double seconds);
  // A covered slot whose poller HasUnread(), one configured interval after its last run.
  bool UnreadDueLocked(const Slot& slot, UnixNanos now) const;

  const Config& config_;
  RealSleeper own_sleeper_;  // when none is injected; never stopped (waits are naps)
  Sleeper& sleeper_;
  TelephonyState& state_;
  HealthState& health_;
  const Clock& clock_;
  const UnixNanos created_at_;  // a source that never succeeded is stale one bound after this
  std::vector<std::unique_ptr<Slot>> slots_;
  std::thread watchdog_;
  RateLimitedLog log_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool started_ = false;
  double stretch_ = 1.0;
  double jitter_ = 0;
  double resync_s_ = 3600;       // collection.intervals.resync
  bool stream_healthy_ = false;  // the last StreamReport said so
  bool nothing_polled_ = false;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace gx
