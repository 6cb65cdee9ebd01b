// TlsProber: schedules the TLS probes. Every interval (and on TriggerNow) it
// re-discovers targets from the current state, publishes them, probes them with
// bounded concurrency, each under its own deadline, and writes each result into
// TelephonyState; the run is recorded as source "tls" in HealthState. Between
// full cycles it checks discovery every few seconds and probes new targets at once.
// Thread-safe: Start/Stop/TriggerNow may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/sources/tls/tls_probe.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/clock.h"
#include "exporter/util/logging.h"

namespace gx {

class TlsProber {
 public:
  TlsProber(const TlsProbeConfig& config, TelephonyState& state, HealthState& health, const Clock& clock);
  ~TlsProber();
  TlsProber(const TlsProber&) = delete;
  TlsProber& operator=(const TlsProber&) = delete;

  // Starts the scheduler thread (no-op when tls_probes.enabled is false or already started).
  // The first full cycle runs at once.
  void Start();
  // Cancels probes in flight (they end within ~0.1 s) and joins all threads. Idempotent.
  void Stop();
  // Asks for a full cycle now (e.g. after the first trunk inventory arrived).
  void TriggerNow();

  // One full cycle on the calling thread: discover, publish, probe all, record
  // health. Used by the scheduler; tests may call it without Start().
  void RunCycle();

  // Completed full cycles (for tests and the dashboard).
  std::uint64_t cycles() const { return cycles_.load(); }

  // The targets a cycle would probe now: configured plus discovered (when enabled).
  std::vector<TlsTarget> CurrentTargets() const;

 private:
  struct TargetSettings {
    tls::TlsProbeSettings probe;
    Seconds timeout{10};
  };
  struct TargetSet {
    std::vector<TlsTarget> targets;
    bool complete = false;  // discovery saw a loaded trunk inventory (or is off)
  };

  void Loop();
  // Targets and their completeness, read from one state snapshot.
  TargetSet CurrentTargetSet() const;
  // Publishes `set` when it differs from the last published one; returns true when it did.
  bool Publish(const TargetSet& set);
  // Probes `targets` with at most `concurrency` at once; returns setup errors (exporter-side faults).
  std::vector<std::string> ProbeAll(const std::vector<TlsTarget>& targets);
  TargetSettings SettingsFor(const TlsTarget& target) const;
  void LogOutcome(const TlsProbeResult& result);

  const TlsProbeConfig config_;
  TelephonyState& state_;
  HealthState& health_;
  const Clock& clock_;
  std::map<std::string, TargetSettings> configured_;  // by host:port

  std::mutex cycle_mu_;  // one cycle (full or incremental) at a time
  std::vector<TlsTarget> published_;
  bool published_complete_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool trigger_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::atomic<std::uint64_t> cycles_{0};

  std::mutex log_mu_;
  // The last logged outcome per target ("ok" or the failure), so that only changes are logged.
  struct LastOutcome {
    std::string tls;
    std::string sip;
  };
  std::map<std::string, LastOutcome> last_outcome_;
};

}  // namespace gx
