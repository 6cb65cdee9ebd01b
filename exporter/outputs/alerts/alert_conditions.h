// Which alert conditions hold right now: a pure function from one state snapshot
// (telephony + exporter health) to the alerts that should be active, before the
// `for` durations apply. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct AlertConditions {
  std::vector<Alert> active;  // status pending, times unset; one per fingerprint
  // Label matchers for facts the state does not know yet (an inventory not loaded,
  // a TLS target not probed yet). Earlier alerts matching one are carried over as
  // they are: a restart must not resolve what it has not looked at again. An alert
  // resolves only on evidence: a fresh observation, or an inventory or configuration
  // that no longer lists its subject.
  std::vector<AlertLabels> undecided;
  // Exceptions to `undecided`: subjects observed although the rest of their rule is
  // not known yet (a probed TLS target while discovery is incomplete).
  std::vector<AlertLabels> decided;
};

struct AlertEvalOptions {
  std::int64_t qos_mismatch_threshold = 0;
  // Sources the configuration turned off: their alerts resolve (nothing will report again).
  bool tls_probes_enabled = true;
  bool notifications_enabled = true;
};

// Rule defaults when the config names none (docs/alerting.md).
Seconds RuleForDuration(const AlertingConfig& cfg, std::string_view alertname);
bool RuleEnabled(const AlertingConfig& cfg, std::string_view alertname);

AlertConditions CollectAlertConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now);

}  // namespace gx
