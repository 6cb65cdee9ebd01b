#include "exporter/sources/tls/tls_prober.h"

#include <algorithm>

#include "exporter/sources/tls/tls_discovery.h"
#include "exporter/util/thread_name.h"

namespace gx {
namespace {

using SteadyClock = std::chrono::steady_clock;

// How often discovery is re-checked between full cycles, so that a new carrier
// host is probed within seconds rather than at the next interval.
constexpr Seconds kDiscoveryCheck{10};

bool SameTargets(const std::vector<TlsTarget>& a, const std::vector<TlsTarget>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].key() != b[i].key() || a[i].source != b[i].source || a[i].trunk_ids != b[i].trunk_ids ||
        a[i].server_name != b[i].server_name)
      return false;
  }
  return true;
}

SteadyClock::duration ToSteady(Seconds s) { return std::chrono::duration_cast<SteadyClock::duration>(s); }

}  // namespace

TlsProber::TlsProber(const TlsProbeConfig& config, TelephonyState& state, HealthState& health, const Clock& clock)
    : config_(config), state_(state), health_(health), clock_(clock) {
  for (const auto& c : config_.targets) {
    auto hp = tls::ParseHostPort(c.address);
    if (!hp) continue;
    TlsTarget t;
    t.host = hp->host;
    t.port = hp->port;
    TargetSettings s;
    s.probe.ca_file = c.ca_file.empty() ? config_.ca_file : c.ca_file;
    s.probe.cert_file = c.cert_file;
    s.probe.key_file = c.key_file;
    s.timeout = c.timeout;
    configured_.try_emplace(t.key(), s);
  }
  health_.Update([&](HealthData& h) {
    auto& c = h.sources["tls"];
    c.interval_seconds = config_.interval.count();
    c.configured_interval_seconds = config_.interval.count();
  });
}

TlsProber::~TlsProber() { Stop(); }

void TlsProber::Start() {
  if (!config_.enabled || thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    NameThisThread("gx-tls-probe");
    Loop();
  });
}

void TlsProber::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TlsProber::TriggerNow() {
  {
    std::lock_guard lock(mu_);
    trigger_ = true;
  }
  cv_.notify_all();
}

std::vector<TlsTarget> TlsProber::CurrentTargets() const { return CurrentTargetSet().targets; }

TlsProber::TargetSet TlsProber::CurrentTargetSet() const {
  TargetSet set;
  std::vector<TlsTarget> discovered;
  if (config_.discover) {
    // One snapshot: the targets and whether the trunk inventory behind them was loaded.
    state_.Read([&](const TelephonyData& d) {
      discovered = tls::DiscoverTlsTargets(d);
      set.complete = d.trunks_loaded;
      return 0;
    });
  } else {
    set.complete = true;
  }
  set.targets = tls::MergeTlsTargets(tls::ConfigTlsTargets(config_), discovered);
  return set;
}

TlsProber::TargetSettings TlsProber::SettingsFor(const TlsTarget& target) const {
  TargetSettings s;
  if (auto it = configured_.find(target.key()); it != configured_.end()) {
    s = it->second;
  } else {
    s.probe.ca_file = config_.ca_file;
    s.timeout = config_.timeout;
  }
  s.probe.sip_options = config_.sip_options;
  s.probe.cancel = &stop_;
  return s;
}

bool TlsProber::Publish(const TargetSet& set) {
  if (SameTargets(set.targets, published_) && set.complete == published_complete_ &&
      state_.Read([&](const TelephonyData& d) { return d.tls.size() == set.targets.size(); }))
    return false;
  state_.ReplaceTlsTargets(set.targets, set.complete);
  published_ = set.targets;
  published_complete_ = set.complete;
  return true;
}

std::vector<std::string> TlsProber::ProbeAll(const std::vector<TlsTarget>& targets) {
  std::vector<std::string> setup_errors;
  std::mutex errors_mu;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < targets.size() && !stop_; i = next++) {
      const TargetSettings s = SettingsFor(targets[i]);
      const auto deadline = SteadyClock::now() + ToSteady(s.timeout);
      TlsProbeResult r = tls::ProbeTls(targets[i], s.probe, deadline, clock_);
      // Shutting down: keep the last real result.
      if (r.cancelled) return;
      if (r.failed_stage == ProbeStage::kSetup) {
        std::lock_guard lock(errors_mu);
        setup_errors.push_back(r.target + ": " + r.error);
      }
      LogOutcome(r);
      state_.ApplyTlsResult(r);
    }
  };
  const size_t n = std::min<size_t>(targets.size(), static_cast<size_t>(std::max(1, config_.concurrency)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(worker);
  if (n > 0) worker();  // the calling thread is one of the workers
  for (auto& t : threads) t.join();
  return setup_errors;
}

void TlsProber::RunCycle() {
  std::lock_guard cycle(cycle_mu_);
  const auto started = SteadyClock::now();
  const TargetSet set = CurrentTargetSet();
  Publish(set);
  const std::vector<TlsTarget>& targets = set.targets;
  const std::vector<std::string> errors = ProbeAll(targets);
  if (stop_) return;
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  const Status outcome = errors.empty() ? Status::Ok()
                                        : Status::Error(std::to_string(errors.size()) + " of " +
                                                        std::to_string(targets.size()) +
                                                        " targets could not be set up; first: " + errors.front());
  health_.RecordSourceRun("tls", outcome, clock_.Now(), seconds, targets.size());
  ++cycles_;
}

void TlsProber::Loop() {
  auto next_full = SteadyClock::now();
  while (!stop_) {
    bool full = false;
    {
      std::unique_lock lock(mu_);
      const auto wake = std::min(next_full, SteadyClock::now() + ToSteady(std::min(kDiscoveryCheck, config_.interval)));
      cv_.wait_until(lock, wake, [&] { return stop_.load() || trigger_ || SteadyClock::now() >= next_full; });
      if (stop_) return;
      full = trigger_ || SteadyClock::now() >= next_full;
      trigger_ = false;
    }
    if (full) {
      RunCycle();
      next_full = SteadyClock::now() + ToSteady(config_.interval);
      continue;
    }
    // Between cycles: publish a changed target set and probe only the targets never probed.
    std::lock_guard cycle(cycle_mu_);
    const TargetSet set = CurrentTargetSet();
    if (!Publish(set)) continue;
    const std::vector<TlsTarget>& targets = set.targets;
    std::vector<TlsTarget> fresh;
    state_.Read([&](const TelephonyData& d) {
      for (const auto& t : targets)
        if (auto it = d.tls.find(t.key()); it != d.tls.end() && !it->second.result) fresh.push_back(t);
      return 0;
    });
    ProbeAll(fresh);
  }
}

void TlsProber::LogOutcome(const TlsProbeResult& r) {
  std::string outcome = r.success ? "ok"
                        : !r.error.empty()
                            ? std::string(StageLabel(r.failed_stage)) + ": " + r.error
                            : "verify: " + r.verify_result;
  std::lock_guard lock(log_mu_);
  LastOutcome& last = last_outcome_[r.target];
  if (last.tls != outcome) {
    if (outcome == "ok") {
      LogInfo("tls probe succeeded", {{"target", r.target}, {"tls_version", r.tls_version}});
    } else {
      LogWarn("tls probe failed", {{"target", r.target}, {"err", outcome}});
    }
    last.tls = outcome;
  }
  const SipOptionsResult& sip = r.sip_options;
  if (!sip.attempted) return;
  // The error text holds only our own words and digits, never the peer's bytes.
  const std::string sip_outcome = sip.status_code ? "ok" : sip.failure + ": " + sip.error;
  if (last.sip == sip_outcome) return;
  if (sip.status_code) {
    LogInfo("sip options answered", {{"target", r.target}, {"status", *sip.status_code}});
  } else {
    LogWarn("sip options failed", {{"target", r.target}, {"reason", sip.failure}, {"err", sip.error}});
  }
  last.sip = sip_outcome;
}

}  // namespace gx
