#include "exporter/state/domain_facts.h"

namespace gx {

bool IsCarrierTrunk(const Trunk& trunk) { return trunk.trunk_type.empty() || trunk.trunk_type == "EXTERNAL"; }

const std::string& SiteLabel(const EntityRef& site) {
  static const std::string kNone = "none";
  if (!site.name.empty()) return site.name;
  if (!site.id.empty()) return site.id;
  return kNone;
}

TrunkHealth TrunkHealthOf(const TelephonyData& data, const Trunk& trunk, std::int64_t qos_mismatch_threshold) {
  return ComputeTrunkHealth(trunk, data.trunk_metrics.Find(trunk.id), qos_mismatch_threshold);
}

}  // namespace gx
