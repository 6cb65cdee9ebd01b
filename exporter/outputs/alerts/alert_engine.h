// AlertEngine: owns the alert set. A worker thread re-evaluates on every state change
// (signalled cheaply by a TelephonyState change listener, then debounced) and on a
// periodic tick for `for` durations and group timers; it hands alert messages to a
// sink, persists firing alerts so a restart does not re-page, and publishes
// alerts_firing into HealthState. With alerting.watchdog_interval set, it sends the
// heartbeat from the same tick, so a stalled worker stops it too. Reconfigure() takes new
// settings (a configuration reload) and keeps every alert and group. Thread-safe; writers
// are never blocked by evaluation. Each evaluation looks again only at the phones that
// changed since the snapshot it evaluated last (PhoneConditions) and merges only the
// conditions that changed into the alert set (AlertTable).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/outputs/alerts/alert_grouper.h"
#include "exporter/outputs/alerts/alert_table.h"
#include "exporter/outputs/alerts/alert_watchdog.h"
#include "exporter/outputs/alerts/alert_message.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/clock.h"

namespace gx {

struct AlertEngineOptions {
  AlertingConfig alerting;
  AlertEvalOptions eval;
  std::chrono::milliseconds debounce{200};  // coalesces bursts of state changes
  std::chrono::milliseconds max_sleep{1000};  // real-time cap between checks of the clock
};

class AlertEngine {
 public:
  // `sink` may be null (no receivers). `clock`, `telephony`, `health` and `sink` must
  // outlive the engine.
  AlertEngine(TelephonyState& telephony, HealthState& health, AlertMessageSink* sink, const Clock& clock,
              AlertEngineOptions options);
  ~AlertEngine();
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;

  // Loads the state file (once). Called by Start(); tests may call it directly.
  void LoadState();
  // Starts the worker. Register ChangeListener() with TelephonyState separately (or
  // let Start do it with register_listener).
  void Start(bool register_listener = true);
  void Stop();

  // Cheap, non-blocking: marks the state dirty and wakes the worker. Safe to call from
  // any writer thread, even after the engine is gone (the returned listener holds only
  // a shared signal).
  std::function<void()> ChangeListener();
  void Wake();

  // New rules, thresholds and timers for the next evaluation, which it triggers.
  // Restart-only settings (the state file, group_by) stay as they are. Any thread.
  void Reconfigure(const AlertingConfig& alerting, const AlertEvalOptions& eval);

  // One evaluation + group flush at the clock's now, on the caller's thread.
  void EvaluateNow();
  // Group flush and Alertmanager re-send only (no state read).
  void TickNow();

  // Pending and firing alerts, ordered by fingerprint, for the dashboard.
  std::vector<Alert> ActiveAlerts() const;

 private:
  struct Signal {
    std::mutex mu;
    std::condition_variable cv;
    bool dirty = true;
    bool stop = false;
  };
  void Run();
  void Evaluate(UnixNanos now);
  void AfterEvaluation(const AlertTransitions& eval, UnixNanos now);
  void Flush(UnixNanos now, bool alerts_changed);
  void Persist();
  void PublishHealth();

  TelephonyState& telephony_;
  HealthState& health_;
  AlertMessageSink* sink_;
  const Clock& clock_;
  AlertEngineOptions opt_;
  std::shared_ptr<Signal> signal_ = std::make_shared<Signal>();
  std::thread worker_;
  std::atomic<bool> loaded_{false};

  std::mutex eval_mu_;  // one evaluation at a time; guards the fields below
  AlertTable alerts_;
  PhoneConditions phones_;  // the phones' verdicts of the last evaluation: only changed phones are looked at again
  AlertGrouper grouper_;
  AlertWatchdog watchdog_;
  UnixNanos last_eval_ = 0;
  UnixNanos last_resend_ = 0;
  std::vector<Alert> resolved_for_am_;  // resolved since the last Alertmanager send

  mutable std::mutex snapshot_mu_;
  AlertTableAlerts snapshot_;  // shares every unchanged alert with alerts_
};

}  // namespace gx
