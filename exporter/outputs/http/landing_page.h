// The HTML landing page: version, links, and the status of each collector.
// A pure function; thread-safe.
#pragma once

#include <string>

#include "exporter/state/health_state.h"

namespace gx {

std::string RenderLandingPage(const HealthData& health, const std::string& telemetry_path, UnixNanos now);

}  // namespace gx
