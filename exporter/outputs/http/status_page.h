// GET /status: the state of the telephony and of the exporter for people, on a phone or a
// wall screen. Server-rendered HTML with inline CSS, no script and no external asset; it
// reloads itself (meta refresh). From the same data as /dashboard (the state, the exporter's
// health, the active alerts): the verdict (status_verdict.h), firing alerts with since when,
// carrier trunks by health with the reason, sites with their registration ratios, edges,
// certificates by days left, and the health of each source with its last error. Every value
// is escaped; every list is bounded. Docs: docs/status-page.md.
// A pure function; thread-safe (render it from a TelephonySnapshot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct StatusPageOptions {
  std::int64_t qos_mismatch_threshold = 0;
  int refresh_seconds = 15;
  std::size_t max_rows = 200;  // per section; /dashboard has the rest
  bool alerting = true;        // false: no alert is evaluated, the page says so
};

// `webhooks`: the delivery counts by receiver (SelfMetrics::WebhookReceivers()).
std::string RenderStatusPage(const TelephonyData& t, const HealthData& h,
                             const std::map<std::string, WebhookCounts>& webhooks, const std::vector<Alert>& alerts,
                             const StatusPageOptions& options, UnixNanos now);

}  // namespace gx
