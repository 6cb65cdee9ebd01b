#include "exporter/outputs/alerts/alert_engine.h"

#include <utility>

#include "exporter/outputs/alerts/alert_state_file.h"
#include "exporter/util/logging.h"
#include "exporter/util/thread_name.h"
#include "exporter/util/time_math.h"

namespace gx {

AlertEngine::AlertEngine(TelephonyState& telephony, HealthState& health, AlertMessageSink* sink,
                         const Clock& clock, AlertEngineOptions options)
    : telephony_(telephony),
      health_(health),
      sink_(sink),
      clock_(clock),
      opt_(std::move(options)),
      grouper_(GroupingFrom(opt_.alerting)),
      watchdog_(SecondsToNanos(opt_.alerting.watchdog_interval.count())) {
  PublishHealth();
}

AlertEngine::~AlertEngine() { Stop(); }

void AlertEngine::LoadState() {
  std::lock_guard lock(eval_mu_);
  if (loaded_) return;
  loaded_ = true;
  const std::string& file = opt_.alerting.state_file;
  if (file.empty()) return;
  Result<LoadedAlertState> saved = LoadAlertState(file);
  if (!saved) {
    LogWarn("alert state not restored", {{"file", file}, {"err", saved.error()}});
    return;
  }
  if (saved->damaged_lines > 0) {
    LogWarn("alert state not restored",
            {{"file", file}, {"err", file + ": " + std::to_string(saved->damaged_lines) + " damaged lines skipped"}});
  }
  if (saved->alerts.empty()) return;
  const UnixNanos now = clock_.Now();
  AlertEvaluation refired;
  for (auto& p : saved->alerts) {
    if (p.alert.status != AlertStatus::kFiring) continue;
    if (p.notified_at > 0) {
      grouper_.RestoreNotified(p.alert, p.notified_at, now);
    } else {
      refired.fired.push_back(p.alert);
    }
    alerts_.Restore(p.alert);
  }
  grouper_.Update(refired, now);
  LogInfo("alert state restored", {{"firing", alerts_.alerts().size()}, {"file", file}});
  {
    std::lock_guard s(snapshot_mu_);
    snapshot_ = alerts_.alerts();
  }
  PublishHealth();
}

std::function<void()> AlertEngine::ChangeListener() {
  std::weak_ptr<Signal> weak = signal_;
  return [weak] {
    if (auto s = weak.lock()) {
      bool was_dirty = false;
      {
        std::lock_guard lock(s->mu);
        was_dirty = std::exchange(s->dirty, true);
      }
      // Already dirty: the worker evaluates anyway. Waking it again for every write of a
      // burst (it sleeps out the debounce) would cost a context switch per pushed event.
      if (!was_dirty) s->cv.notify_one();
    }
  };
}

void AlertEngine::Wake() { ChangeListener()(); }

void AlertEngine::Start(bool register_listener) {
  LoadState();
  if (register_listener) telephony_.AddChangeListener(ChangeListener());
  if (worker_.joinable()) return;
  {
    std::lock_guard lock(signal_->mu);
    signal_->stop = false;
  }
  worker_ = std::thread([this] {
    NameThisThread("gx-alerts");
    Run();
  });
}

void AlertEngine::Stop() {
  {
    std::lock_guard lock(signal_->mu);
    signal_->stop = true;
  }
  signal_->cv.notify_all();
  if (worker_.joinable()) worker_.join();
}

void AlertEngine::Reconfigure(const AlertingConfig& alerting, const AlertEvalOptions& eval) {
  {
    std::lock_guard lock(eval_mu_);
    AlertingConfig next = alerting;
    next.state_file = opt_.alerting.state_file;
    next.group_by = opt_.alerting.group_by;
    opt_.alerting = std::move(next);
    opt_.eval = eval;
    grouper_.SetTimers(GroupingFrom(opt_.alerting));
    watchdog_.SetInterval(SecondsToNanos(opt_.alerting.watchdog_interval.count()));
  }
  Wake();
}

void AlertEngine::Run() {
  while (true) {
    bool dirty = false;
    {
      std::unique_lock lock(signal_->mu);
      signal_->cv.wait_for(lock, opt_.max_sleep, [&] { return signal_->stop || signal_->dirty; });
      if (signal_->stop) return;
      if (signal_->dirty) {
        // Debounce: let a burst of writes (a 50k-phone poll page by page) settle.
        signal_->cv.wait_for(lock, opt_.debounce, [&] { return signal_->stop; });
        if (signal_->stop) return;
        dirty = true;
        signal_->dirty = false;
      }
    }
    try {
      const UnixNanos now = clock_.Now();
      UnixNanos interval, last_eval;
      {
        std::lock_guard lock(eval_mu_);
        interval = SecondsToNanos(opt_.alerting.evaluation_interval.count());
        last_eval = last_eval_;
      }
      if (dirty || now - last_eval >= interval) {
        EvaluateNow();
      } else {
        TickNow();
      }
    } catch (const std::exception& e) {
      LogError("alert evaluation failed", {{"err", e.what()}});
    }
  }
}

void AlertEngine::EvaluateNow() {
  if (!loaded_) LoadState();
  std::lock_guard lock(eval_mu_);
  Evaluate(clock_.Now());
}

void AlertEngine::TickNow() {
  std::lock_guard lock(eval_mu_);
  const UnixNanos now = clock_.Now();
  // Pending alerts whose `for` elapsed need an evaluation: the first of the queue says.
  if (auto due = alerts_.NextDue(); due && *due <= now) {
    Evaluate(now);
    return;
  }
  Flush(now, false);
}

// Under eval_mu_. On a snapshot: a long evaluation (a 50,000-phone outage) blocks no writer.
void AlertEngine::Evaluate(UnixNanos now) {
  const HealthData health = health_.Read([](const HealthData& h) { return h; });
  const TelephonySnapshot snapshot = telephony_.Snapshot();
  const AlertTransitions eval = alerts_.Evaluate(*snapshot, health, opt_.alerting, opt_.eval, now, phones_);
  last_eval_ = now;
  AfterEvaluation(eval, now);
}

void AlertEngine::AfterEvaluation(const AlertTransitions& eval, UnixNanos now) {
  const bool transitions = !eval.fired.empty() || !eval.resolved.empty();
  grouper_.Update(eval, now);
  for (const Alert& a : eval.fired) {
    LogInfo("alert firing", {{"alert", a.name()}, {"entity", a.EntityId()}, {"summary", a.summary}});
  }
  for (const Alert& a : eval.resolved) {
    LogInfo("alert resolved", {{"alert", a.name()}, {"entity", a.EntityId()}});
    resolved_for_am_.push_back(a);
  }
  if (alerts_.alerts().version() != snapshot_.version()) {
    std::lock_guard s(snapshot_mu_);
    snapshot_ = alerts_.alerts();
  }
  Flush(now, transitions);
  if (eval.changed) PublishHealth();
}

void AlertEngine::Flush(UnixNanos now, bool alerts_changed) {
  auto messages = grouper_.Flush(now);
  if (sink_) {
    for (const auto& n : messages) sink_->Enqueue(n);
    if (auto heartbeat = watchdog_.Due(now)) sink_->EnqueueWatchdog(*heartbeat, watchdog_.ttl());
    // Alertmanager receivers get changes at once and everything firing periodically,
    // as its client guidance asks; Alertmanager itself groups and deduplicates.
    const UnixNanos resend = SecondsToNanos(opt_.alerting.resend_interval.count());
    const bool any_firing = alerts_.firing_count() > 0;
    const bool full = now - last_resend_ >= resend && any_firing;
    if (full || alerts_changed) {
      std::vector<Alert> states;
      if (full) {
        for (const auto& [fp, a] : alerts_.alerts()) {
          if (a.status == AlertStatus::kFiring) states.push_back(a);
        }
        last_resend_ = now;
      } else {
        for (const auto& [fp, a] : alerts_.alerts()) {
          if (a.status == AlertStatus::kFiring && a.fired_at == now) states.push_back(a);
        }
      }
      states.insert(states.end(), resolved_for_am_.begin(), resolved_for_am_.end());
      resolved_for_am_.clear();
      if (!states.empty()) sink_->EnqueueAlertStates(states, full, now);
    }
  } else {
    resolved_for_am_.clear();
  }
  if (alerts_changed || !messages.empty()) Persist();
}

void AlertEngine::Persist() {
  if (opt_.alerting.state_file.empty()) return;
  const auto notified = grouper_.NotifiedFiring();
  std::vector<PersistedAlert> out;
  for (const auto& [fp, a] : alerts_.alerts()) {
    if (a.status != AlertStatus::kFiring) continue;
    PersistedAlert p{a, 0};
    if (auto it = notified.find(fp); it != notified.end()) p.notified_at = it->second;
    out.push_back(std::move(p));
  }
  // A resolved alert stays in the file, as the firing alert the receivers last heard of,
  // until its resolved message is spooled: a kill in between must not lose that message.
  // After a restart it resolves again on evidence.
  for (Alert a : grouper_.UnannouncedResolved()) {
    if (const Alert* cur = alerts_.alerts().Find(a.fingerprint); cur && cur->status == AlertStatus::kFiring) continue;
    a.status = AlertStatus::kFiring;
    a.resolved_at = 0;
    auto it = notified.find(a.fingerprint);
    out.push_back({std::move(a), it == notified.end() ? 0 : it->second});
  }
  const Status saved = SaveAlertState(opt_.alerting.state_file, out);
  if (!saved)
    LogError("alert state not saved; a restart would re-page or miss resolves",
             {{"file", opt_.alerting.state_file}, {"err", saved.error()}});
  health_.RecordSpoolWrite("alert state", saved);
}

void AlertEngine::PublishHealth() {
  std::map<std::pair<std::string, std::string>, int> firing;
  // Every alert name has a series per usual severity, so PromQL sees zeros, not gaps.
  for (auto name : {kRegistrationFailure, kCarrierDegradation, kTlsCertExpiry, kEdgeOffline, kMonitoringBlind}) {
    for (const char* sev : {"critical", "warning"}) firing[{std::string(name), sev}] = 0;
  }
  for (const auto& [key, n] : alerts_.firing()) firing[key] += n;
  health_.Update([&](HealthData& h) { h.alerts_firing = std::move(firing); });
}

std::vector<Alert> AlertEngine::ActiveAlerts() const {
  AlertTableAlerts snap;
  {
    std::lock_guard s(snapshot_mu_);
    snap = snapshot_;
  }
  std::vector<Alert> out;
  out.reserve(snap.size());
  for (const auto& [fp, a] : snap) out.push_back(a);
  return out;
}

}  // namespace gx
