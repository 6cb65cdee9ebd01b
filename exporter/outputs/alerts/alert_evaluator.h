// The alert evaluator: a pure function of (previous alerts, current state, config,
// now) to the next alert set and its transitions. Pending alerts fire once their
// condition has held for the rule's `for`; firing alerts whose condition is gone
// resolve; pending ones that clear vanish without a trace. Thread-safe (no state).
#pragma once

#include <vector>

#include "exporter/outputs/alerts/alert_conditions.h"

namespace gx {

// What one evaluation changed, for the grouper and the receivers.
struct AlertTransitions {
  std::vector<Alert> fired;      // pending -> firing now
  std::vector<Alert> resolved;   // firing -> resolved now (status kResolved)
  std::vector<Alert> updated;    // firing before and after, with a new severity or summary
  bool changed = false;          // anything other than updated_at and the facts differs
};

struct AlertEvaluation : AlertTransitions {
  AlertSet alerts;  // pending + firing after this evaluation
};

// Applies `for` durations and resolution to already collected conditions.
AlertEvaluation ApplyAlertConditions(const AlertSet& previous, AlertConditions conditions,
                                     const AlertingConfig& cfg, UnixNanos now);

// The whole evaluation from the state snapshot; `phones` as in CollectAlertConditions.
AlertEvaluation EvaluateAlerts(const AlertSet& previous, const TelephonyData& t, const HealthData& h,
                               const AlertingConfig& cfg, const AlertEvalOptions& opt, UnixNanos now,
                               PhoneConditions* phones = nullptr);

}  // namespace gx
