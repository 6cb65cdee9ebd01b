// Domain facts derived from the state, in one place so that the collectors, the
// alerts and the dashboard cannot disagree: which trunks are carriers, the site
// label of a phone or an edge, and a trunk's carrier health. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "exporter/state/telephony_state.h"
#include "exporter/state/trunk_health.h"

namespace gx {

// A carrier trunk is an EXTERNAL one, or one whose type the API did not say:
// an unknown trunk is watched as a carrier (it pages and has genesys_trunk_health)
// rather than silently ignored. PHONE and EDGE trunks are Genesys-internal.
bool IsCarrierTrunk(const Trunk& trunk);

// The `site` label: the site's name, else its id, else "none" (phones and edges alike).
const std::string& SiteLabel(const EntityRef& site);

// ComputeTrunkHealth with the trunk's metrics from the same snapshot.
TrunkHealth TrunkHealthOf(const TelephonyData& data, const Trunk& trunk, std::int64_t qos_mismatch_threshold);

}  // namespace gx
