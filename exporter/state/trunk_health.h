// Carrier health of a trunk as the metric contract defines it, and what decided it:
// pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/state/entities.h"

namespace gx {

enum class TrunkHealth { kUp, kDegraded, kDown };

std::string_view TrunkHealthName(TrunkHealth h);  // "up", "degraded", "down"

// The health and the rule that decided it, for people (the status page): "disconnected",
// "not in service", "every proxy down: OPTIONS 2 of 2", "OPTIONS down on 1 of 2 proxies
// (sip1.example.com:5061)", "QoS: 12 mismatches (threshold 0)"; empty when up. The
// addresses are the API's, unescaped.
struct TrunkHealthAssessment {
  TrunkHealth health = TrunkHealth::kUp;
  std::string reason;
};

// down: not connected, or not in service, or every monitored proxy down.
// degraded: connected, but an enabled OPTIONS/REGISTER proxy down, or QoS
// mismatches above the threshold. up: otherwise.
TrunkHealthAssessment AssessTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                                        std::int64_t qos_mismatch_threshold);

// AssessTrunkHealth's health alone.
TrunkHealth ComputeTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                               std::int64_t qos_mismatch_threshold);

}  // namespace gx
