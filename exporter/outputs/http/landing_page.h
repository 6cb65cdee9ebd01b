// The HTML landing page: version, links (the status page among them), the status of each
// source (with its progress through the first poll), the last error of each source with
// its time, the webhook receivers, the spool folder and the configuration's last load or reload.
// A pure function; thread-safe.
#pragma once

#include <map>
#include <string>

#include "exporter/state/health_state.h"

namespace gx {

// `webhooks`: the delivery counts by receiver (SelfMetrics::WebhookReceivers()).
std::string RenderLandingPage(const HealthData& health, const std::map<std::string, WebhookCounts>& webhooks,
                              const std::string& telemetry_path, UnixNanos now);

}  // namespace gx
