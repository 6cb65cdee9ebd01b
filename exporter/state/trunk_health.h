// Carrier health of a trunk as the metric contract defines it: a pure function.
#pragma once

#include <cstdint>
#include <string_view>

#include "exporter/state/entities.h"

namespace gx {

enum class TrunkHealth { kUp, kDegraded, kDown };

std::string_view TrunkHealthName(TrunkHealth h);  // "up", "degraded", "down"

// down: not connected, or not in service, or every monitored proxy down.
// degraded: connected, but an enabled OPTIONS/REGISTER proxy down, or QoS
// mismatches above the threshold. up: otherwise.
TrunkHealth ComputeTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                               std::int64_t qos_mismatch_threshold);

}  // namespace gx
