#include "exporter/sources/poll/poll_scheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "exporter/sources/poll/edges_poller.h"
#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/phones_poller.h"
#include "exporter/sources/poll/stations_poller.h"
#include "exporter/sources/poll/trunks_poller.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/time_math.h"

namespace gx {

double StretchFactor(const std::vector<SourceLoad>& loads, double budget_per_minute, double share) {
  double demand_per_minute = 0;
  for (const auto& l : loads) {
    if (l.interval_s > 0) demand_per_minute += l.requests_per_cycle * 60.0 / l.interval_s;
  }
  double capacity = budget_per_minute * share;
  if (capacity <= 0) return 1.0;
  return std::max(1.0, demand_per_minute / capacity);
}

namespace {

// The configured interval of a REST source, at least 1 s.
double ConfiguredInterval(const SourceIntervals& iv, const std::string& source) {
  const Seconds s = source == "phones"          ? iv.phones
                    : source == "stations"      ? iv.stations
                    : source == "trunks"        ? iv.trunks
                    : source == "trunk_metrics" ? iv.trunk_metrics
                    : source == "edges"         ? iv.edges
                                                   : iv.edge_metrics;
  return std::max(1.0, s.count());
}

}  // namespace

PollScheduler::PollScheduler(const Config& config, ApiClient& api, TelephonyState& state, HealthState& health,
                             const Clock& clock)
    : PollScheduler(config, {}, state, health, clock, own_sleeper_) {
  const auto& c = config.collection;
  // Inventories first: RunFullCycle follows this order, and metrics need the ids.
  AddSlot(std::make_unique<PhonesPoller>(api, state, clock, c.page_size));
  AddSlot(std::make_unique<StationsPoller>(api, state, clock, c.page_size, c.users));
  AddSlot(std::make_unique<TrunksPoller>(api, state, clock, c.page_size));
  AddSlot(std::make_unique<EdgesPoller>(api, state, clock, c.page_size));
  AddSlot(std::make_unique<MetricsPoller<TrunkMetrics>>(kTrunkMetricsKind, api, state, clock));
  if (c.edge_metrics) AddSlot(std::make_unique<MetricsPoller<EdgeMetrics>>(kEdgeMetricsKind, api, state, clock));
}

PollScheduler::PollScheduler(const Config& config, std::vector<std::unique_ptr<Poller>> pollers,
                             TelephonyState& state, HealthState& health, const Clock& clock, Sleeper& sleeper)
    : config_(config),
      sleeper_(sleeper),
      state_(state),
      health_(health),
      clock_(clock),
      created_at_(clock.Now()),
      jitter_(config.collection.intervals.jitter),
      resync_s_(std::max(1.0, config.collection.intervals.resync.count())) {
  for (auto& p : pollers) AddSlot(std::move(p));
  if (!config.collection.users.empty()) state.SetFollowedUsers(config.collection.users);
}

void PollScheduler::AddSlot(std::unique_ptr<Poller> poller) {
  auto slot = std::make_unique<Slot>();
  slot->configured_s = ConfiguredInterval(config_.collection.intervals, poller->name());
  slot->effective_s = slot->configured_s;
  slot->poller = std::move(poller);
  slot->poller->set_on_page([this, s = slot.get()](std::int64_t page, std::int64_t page_count) {
    OnPage(*s, page, page_count);
  });
  const std::string name = slot->poller->name();
  const double interval = slot->effective_s;
  slots_.push_back(std::move(slot));
  health_.Update([&](HealthData& d) {
    auto& h = d.sources[name];
    h.configured_interval_seconds = interval;
    h.interval_seconds = interval;
  });
}

PollScheduler::~PollScheduler() { Stop(); }

std::vector<std::string> PollScheduler::source_names() const {
  std::vector<std::string> out;
  for (const auto& s : slots_) out.push_back(s->poller->name());
  return out;
}

PollScheduler::Slot* PollScheduler::Find(const std::string& name) {
  for (auto& s : slots_) {
    if (s->poller->name() == name) return s.get();
  }
  return nullptr;
}

Poller* PollScheduler::poller(const std::string& name) {
  Slot* s = Find(name);
  return s ? s->poller.get() : nullptr;
}

double PollScheduler::stretch_factor() const {
  std::lock_guard lock(mu_);
  return stretch_;
}

double PollScheduler::effective_interval(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const auto& s : slots_) {
    if (s->poller->name() == name) return s->effective_s;
  }
  return 0;
}

void PollScheduler::SetIntervals(const SourceIntervals& intervals) {
  {
    std::lock_guard lock(mu_);
    jitter_ = intervals.jitter;
    resync_s_ = std::max(1.0, intervals.resync.count());
    for (auto& s : slots_) s->configured_s = ConfiguredInterval(intervals, s->poller->name());
  }
  UpdateIntervals();
  std::lock_guard lock(mu_);
  // The next run is one (jittered) new interval after the last start.
  for (auto& s : slots_) s->timetable.Reschedule(JitteredLocked(s->effective_s));
}

double PollScheduler::BaseIntervalLocked(const Slot& slot) const {
  return slot.covered ? std::max(slot.configured_s, resync_s_) : slot.configured_s;
}

std::vector<std::string> PollScheduler::covered() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& s : slots_) {
    if (s->covered) out.push_back(s->poller->name());
  }
  return out;
}

void PollScheduler::OnStream(const StreamReport& report) {
  auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::vector<std::string> gained, lost;
  bool became_healthy = false, became_unhealthy = false;
  {
    std::lock_guard lock(mu_);
    became_healthy = report.healthy && !stream_healthy_;
    became_unhealthy = !report.healthy && stream_healthy_;
    stream_healthy_ = report.healthy;
    for (auto& s : slots_) {
      const std::string& name = s->poller->name();
      const bool covered = report.healthy && listed(report.covered, name);
      if (covered != s->covered) {
        s->covered = covered;
        (covered ? gained : lost).push_back(name);
        s->timetable.Resync();
      }
      if (listed(report.resync, name)) s->timetable.Resync();
      // Phones skip pushed phones' pages only after a full listing made while the stream was up.
      if (name == "phones" && (became_healthy || became_unhealthy)) s->timetable.Resync();
    }
  }
  if (!gained.empty() || !lost.empty()) UpdateIntervals();
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& n : v) {
      if (!out.empty()) out += ',';
      out += n;
    }
    return out;
  };
  if (!gained.empty()) {
    LogInfo("push stream covers sources: polled at collection.intervals.resync from now on",
            {{"collectors", join(gained)}, {"interval", std::to_string(std::lround(resync_s_)) + "s"}});
  }
  if (!lost.empty()) {
    LogInfo("push stream no longer covers sources: re-polled now, then at their own intervals",
            {{"collectors", join(lost)}});
  }
}

void PollScheduler::UpdateIntervals() {
  std::vector<SourceLoad> loads;
  std::vector<double> configured;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : slots_) {
      loads.push_back({BaseIntervalLocked(*s), static_cast<double>(s->poller->EstimatedRequests())});
      configured.push_back(s->configured_s);
    }
  }
  double budget = config_.rate_limit.requests_per_minute;
  double factor = StretchFactor(loads, budget, kPollerBudgetShare);
  double demand = 0;
  for (const auto& l : loads) demand += l.requests_per_cycle * 60.0 / l.interval_s;
  double previous;
  {
    std::lock_guard lock(mu_);
    previous = stretch_;
    stretch_ = factor;
    for (size_t i = 0; i < slots_.size(); ++i) slots_[i]->effective_s = loads[i].interval_s * factor;
  }
  health_.Update([&](HealthData& d) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      auto& h = d.sources[slots_[i]->poller->name()];
      h.configured_interval_seconds = configured[i];
      h.interval_seconds = loads[i].interval_s * factor;
    }
  });
  if (std::abs(factor - previous) > 0.05 * previous) {
    if (factor > 1.0) {
      LogWarn(
          "polling intervals stretched: the org needs more requests at the configured intervals than the "
          "pollers' share of the budget",
          {{"factor", std::round(factor * 100) / 100},
           {"needed_per_min", std::lround(demand)},
           {"allowed_per_min", std::lround(budget * kPollerBudgetShare)},
           {"phones_interval", std::to_string(std::lround(loads.front().interval_s * factor)) + "s"}});
    } else {
      LogInfo("polling intervals back to their configured values",
              {{"needed_per_min", std::lround(demand)}, {"allowed_per_min", std::lround(budget * kPollerBudgetShare)}});
    }
  }
}

double PollScheduler::JitteredLocked(double seconds) {
  double j = std::clamp(jitter_, 0.0, 0.5);
  double u = std::uniform_real_distribution<double>(-j, j)(rng_);
  return seconds * (1.0 + u);
}

void PollScheduler::OnPage(Slot& slot, std::int64_t page, std::int64_t page_count) {
  // On the slot's run thread, with run_mu held by RunSlot.
  const bool log = slot.progress.Page(page, page_count, clock_.Now());
  const std::int64_t done = slot.progress.done(), expected = slot.progress.expected();
  const std::string& name = slot.poller->name();
  health_.Update([&](HealthData& d) {
    auto& c = d.sources[name];
    c.pages_done = done;
    c.pages_expected = expected;
  });
  if (log && !slot.succeeded) {
    LogInfo("first poll progress",
            {{"collector", name},
             {"pages_done", done},
             {"pages_expected", expected},
             {"percent", std::lround(100.0 * static_cast<double>(done) / static_cast<double>(expected))}});
  }
}

CycleResult PollScheduler::RunSlot(Slot& slot, const CycleRequest& request) {
  std::lock_guard run(slot.run_mu);
  const std::string& name = slot.poller->name();
  slot.progress.BeginRun(clock_.Now());
  auto started = std::chrono::steady_clock::now();
  CycleResult r = slot.poller->RunCycle(request);
  if (r.ok()) slot.succeeded = true;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (r.skipped) return r;
  UnixNanos finished = clock_.Now();
  const std::string& error = r.status.error();
  health_.RecordSourceRun(name, r.status, finished, seconds, r.requests);
  if (!r.ok()) {
    // The previous state stays; collector_up 0 marks it stale.
    log_.Warn(name + ":" + error, "source failed, keeping its previous data", {{"collector", name}, {"err", error}});
  }
  health_.Update([](HealthData& d) {
    if (d.first_poll_complete) return;
    auto done = [&](const char* c) {
      auto it = d.sources.find(c);
      return it != d.sources.end() && it->second.last_success.has_value();
    };
    d.first_poll_complete = done("phones") && done("trunks") && done("edges");
  });
  UpdateIntervals();
  return r;
}

CycleResult PollScheduler::RunOnce(const std::string& name) {
  Slot* s = Find(name);
  if (!s) {
    CycleResult r;
    r.status = Status::Error("unknown source " + name);
    return r;
  }
  return RunSlot(*s, FullRequest());
}

bool PollScheduler::RunFullCycle() {
  bool ok = true;
  const CycleRequest request = FullRequest();
  for (auto& s : slots_) ok = RunSlot(*s, request).ok() && ok;
  return ok;
}

CycleRequest PollScheduler::FullRequest() const {
  std::lock_guard lock(mu_);
  CycleRequest request;
  request.resync = true;
  request.pushed_live = stream_healthy_;
  return request;  // a resync: `covered` changes nothing
}

void PollScheduler::TriggerResync(const std::vector<std::string>& sources) {
  std::lock_guard lock(mu_);
  for (auto& s : slots_) {
    if (sources.empty() ||
        std::find(sources.begin(), sources.end(), s->poller->name()) != sources.end()) {
      s->timetable.Resync();
    }
  }
}

void PollScheduler::Loop(Slot& slot) {
  for (;;) {
    CycleRequest request;
    {
      std::unique_lock lock(mu_);
      if (stop_) return;
      const UnixNanos now = clock_.Now();
      const UnixNanos due = slot.timetable.DueAt();
      const bool unread = now < due && UnreadDueLocked(slot, now);
      if (now < due && !unread) {
        lock.unlock();
        if (!sleeper_.SleepFor(std::min(due - now, kNapNanos))) return;
        continue;
      }
      request.pushed_live = stream_healthy_;
      request.covered = slot.covered;
      if (unread) {
        // Between resyncs: read what the pushed data names, and keep the resync's schedule.
        request.resync = false;
        slot.last_unread = now;
      } else {
        // A covered source's every run is its resync; the others resync once per interval.
        request.resync = slot.timetable.resync_pending() || slot.covered || !slot.last_resync ||
                         now - *slot.last_resync >= SecondsToNanos(resync_s_);
        // The period counts from this start, whatever the run costs.
        slot.timetable.Started(now, JitteredLocked(slot.effective_s));
      }
    }
    const UnixNanos started = clock_.Now();
    CycleResult r = RunSlot(slot, request);
    std::lock_guard lock(mu_);
    if (r.skipped) {
      slot.timetable.Skipped(clock_.Now());  // metrics wait for their inventory; costs no request
    } else if (!r.ok()) {
      // Not after a whole resync interval: a covered source that failed tries again soon.
      slot.timetable.Reschedule(JitteredLocked(std::min(slot.effective_s, slot.configured_s)));
    } else if (request.resync) {
      slot.last_resync = started;
    }
  }
}

bool PollScheduler::UnreadDueLocked(const Slot& slot, UnixNanos now) const {
  if (!slot.covered) return false;
  std::optional<UnixNanos> last = slot.timetable.last_start();
  if (slot.last_unread && (!last || *slot.last_unread > *last)) last = slot.last_unread;
  // Bounded: pushed data that keeps naming unread entities costs one run per interval.
  if (last && now - *last < SecondsToNanos(slot.configured_s)) return false;
  return slot.poller->HasUnread();
}

bool PollScheduler::CheckStaleness() {
  StaleMarks marks = health_.MarkStaleSources(source_names(), created_at_, clock_.Now());
  for (const auto& name : marks.newly_stale) {
    std::string why = health_.Read([&](const HealthData& d) { return d.sources.at(name).last_error; });
    LogWarn("source is stale; genesys_collector_up is 0 until it succeeds again",
            {{"collector", name}, {"err", why}});
  }
  bool was_quiet;
  {
    std::lock_guard lock(mu_);
    was_quiet = nothing_polled_;
    nothing_polled_ = marks.nothing_polled;
  }
  if (marks.nothing_polled && !was_quiet) {
    LogError("no Genesys API request has ended within 3 polling intervals: nothing is being polled, genesys_up is 0");
  } else if (!marks.nothing_polled && was_quiet) {
    LogInfo("Genesys API requests go out again");
  }
  return marks.nothing_polled;
}

void PollScheduler::WatchdogLoop() {
  const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(kStalenessCheckSeconds));
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, period, [&] { return stop_; })) return;
    }
    CheckStaleness();
  }
}

void PollScheduler::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stop_ = false;
  for (auto& s : slots_) {
    Slot* slot = s.get();
    s->thread = std::thread([this, slot] {
      NameThisThread("poll/" + slot->poller->name());
      Loop(*slot);
    });
  }
  watchdog_ = std::thread([this] {
    NameThisThread("poll/watchdog");
    WatchdogLoop();
  });
}

void PollScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& s : slots_) {
    if (s->thread.joinable()) s->thread.join();
  }
  if (watchdog_.joinable()) watchdog_.join();
  std::lock_guard lock(mu_);
  started_ = false;
}

}  // namespace gx
