// The collector seam: a collector is a pure view from one consistent state
// snapshot to metric families. It does no I/O, takes no locks and reads no clock.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct CollectorOptions {
  bool per_phone = false;
  std::int64_t qos_mismatch_threshold = 0;
};

struct CollectInput {
  const TelephonyData& telephony;
  const HealthData& health;
  const CollectorOptions& options;
};

using MetricFamilies = std::vector<prometheus::MetricFamily>;
using CollectFn = void (*)(const CollectInput&, MetricFamilies&);

struct NamedCollector {
  std::string_view name;
  CollectFn collect;
};

// The explicit list of collectors, in exposition order (collector_list.cpp).
std::span<const NamedCollector> AllCollectors();

}  // namespace gx
