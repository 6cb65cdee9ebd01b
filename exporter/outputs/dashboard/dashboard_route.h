// The /dashboard route (alias /api/v1/telephony/dashboard): query parameters in, the JSON
// answer out. A bad filter answers 400 with {"error": ...} before any state is read; otherwise
// the body renders from one snapshot of the state, the health and the active alerts, with its
// ETag. Knows nothing of HTTP (the web server maps the answer). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/outputs/dashboard/dashboard.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/clock.h"

namespace gx {

struct DashboardAnswer {
  int status = 200;
  std::string body;  // JSON
  std::string etag;  // quoted; empty on an error
};

// What the route reads; the states and the alerts only once the filters are valid.
struct DashboardInputs {
  const TelephonyState& telephony;
  const HealthState& health;
  std::function<std::vector<Alert>()> active_alerts;  // unset: alerting is off
  DashboardOptions options;                           // from the live configuration
  const Clock& clock;
};

DashboardAnswer AnswerDashboard(const std::multimap<std::string, std::string>& query, const DashboardInputs& in);

}  // namespace gx
