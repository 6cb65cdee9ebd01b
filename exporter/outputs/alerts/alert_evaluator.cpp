#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/util/time_math.h"

namespace gx {

AlertEvaluation ApplyAlertConditions(const AlertSet& previous, AlertConditions conditions,
                                     const AlertingConfig& cfg, UnixNanos now) {
  AlertEvaluation out;
  for (Alert& c : conditions.active) {
    Alert a = std::move(c);
    if (auto it = previous.find(a.fingerprint); it != previous.end()) {
      const Alert& p = it->second;
      const bool details = a.severity != p.severity || a.summary != p.summary;
      if (details) out.changed = true;
      a.status = p.status;
      a.active_since = p.active_since;
      a.fired_at = p.fired_at;
      a.updated_at = details || a.facts != p.facts ? now : p.updated_at;
      if (details && a.status == AlertStatus::kFiring) out.updated.push_back(a);
    } else {
      a.status = AlertStatus::kPending;
      a.active_since = now;
      a.updated_at = now;
      out.changed = true;
    }
    if (a.status == AlertStatus::kPending) {
      const UnixNanos hold = SecondsToNanos(RuleForDuration(cfg, a.name()).count());
      if (now - a.active_since >= hold) {
        a.status = AlertStatus::kFiring;
        a.fired_at = now;
        a.updated_at = now;
        out.fired.push_back(a);
        out.changed = true;
      }
    }
    std::string fp = a.fingerprint;
    out.alerts.insert_or_assign(std::move(fp), std::move(a));
  }
  for (const auto& [fp, p] : previous) {
    if (out.alerts.count(fp)) continue;
    bool undecided = false;
    for (const auto& m : conditions.undecided) undecided = undecided || MatchesLabels(p, m);
    for (const auto& m : conditions.decided) undecided = undecided && !MatchesLabels(p, m);
    if (undecided && RuleEnabled(cfg, p.name())) {
      out.alerts.emplace(fp, p);
      continue;
    }
    out.changed = true;
    if (p.status != AlertStatus::kFiring) continue;
    Alert r = p;
    r.status = AlertStatus::kResolved;
    r.resolved_at = now;
    r.updated_at = now;
    out.resolved.push_back(std::move(r));
  }
  return out;
}

AlertEvaluation EvaluateAlerts(const AlertSet& previous, const TelephonyData& t, const HealthData& h,
                               const AlertingConfig& cfg, const AlertEvalOptions& opt, UnixNanos now,
                               PhoneConditions* phones) {
  return ApplyAlertConditions(previous, CollectAlertConditions(t, h, cfg, opt, now, phones), cfg, now);
}

}  // namespace gx
