#include "exporter/state/trunk_health.h"

namespace gx {

std::string_view TrunkHealthName(TrunkHealth h) {
  switch (h) {
    case TrunkHealth::kUp: return "up";
    case TrunkHealth::kDegraded: return "degraded";
    case TrunkHealth::kDown: return "down";
  }
  return "down";
}

TrunkHealth ComputeTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                               std::int64_t qos_mismatch_threshold) {
  if (trunk.connected.has_value() && !*trunk.connected) return TrunkHealth::kDown;
  if (trunk.in_service.has_value() && !*trunk.in_service) return TrunkHealth::kDown;

  // Only proxies whose monitoring is enabled count; NOT_SUPPORTED/DISABLED lists are ignored.
  const bool options_monitored = trunk.options_enabled_status != "DISABLED" &&
                                 trunk.options_enabled_status != "NOT_SUPPORTED";
  const bool registers_monitored = trunk.registers_enabled_status != "DISABLED" &&
                                   trunk.registers_enabled_status != "NOT_SUPPORTED";
  int monitored = 0, down = 0;
  auto count = [&](const std::vector<ProxyState>& proxies) {
    for (const auto& p : proxies) {
      ++monitored;
      down += p.up ? 0 : 1;
    }
  };
  if (options_monitored) count(trunk.options);
  if (registers_monitored) count(trunk.registers);
  if (monitored > 0 && down == monitored) return TrunkHealth::kDown;
  if (down > 0) return TrunkHealth::kDegraded;
  if (metrics && metrics->qos_mismatches && *metrics->qos_mismatches > qos_mismatch_threshold) {
    return TrunkHealth::kDegraded;
  }
  return TrunkHealth::kUp;
}

}  // namespace gx
