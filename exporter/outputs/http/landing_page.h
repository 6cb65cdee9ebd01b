// The HTML landing page: version, links (the status page among them), the status of each
// source (with its progress through the first poll), the last error of each source with
// its time, the webhook receivers, the spool folder and the configuration's last load or reload.
// A pure function; thread-safe.
#pragma once

#include <string>

#include "exporter/state/health_state.h"

namespace gx {

std::string RenderLandingPage(const HealthData& health, const std::string& telemetry_path, UnixNanos now);

}  // namespace gx
