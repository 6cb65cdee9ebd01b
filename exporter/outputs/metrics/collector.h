// The collector seam: a collector is a pure view from one consistent state
// snapshot to exposition text. It does no I/O, takes no locks and reads no clock.
// Most build metric families (CollectFn) that the framework serializes; the large ones write
// text straight into the scrape buffer (WriteFn) and keep what they can reuse in `cache`.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct CollectorOptions {
  bool per_phone = false;
  std::int64_t qos_mismatch_threshold = 0;
  bool operator==(const CollectorOptions&) const = default;
};

struct CollectInput {
  const TelephonyData& telephony;
  const HealthData& health;
  const CollectorOptions& options;
};

using MetricFamilies = std::vector<prometheus::MetricFamily>;
using CollectFn = void (*)(const CollectInput&, MetricFamilies&);
// `cache` belongs to the collector (the renderer keeps it between scrapes, one per collector).
using WriteFn = void (*)(const CollectInput&, std::shared_ptr<void>& cache, std::string& out);

// What a collector's output depends on. kTelephony: the telephony data and the options only,
// so its text is reused for as long as the state's version and the options stay the same.
enum class CollectorReads { kTelephony, kHealth };

struct NamedCollector {
  std::string_view name;
  CollectorReads reads;
  CollectFn collect = nullptr;  // exactly one of collect and write
  WriteFn write = nullptr;
  // When set and false, the collector has nothing to say (e.g. its source is off).
  bool (*shown)(const HealthData&) = nullptr;
};

// The explicit list of collectors, in exposition order (collector_list.cpp).
std::span<const NamedCollector> AllCollectors();

// Appends one collector's text: its own writer, or its families serialized.
void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, std::string& out);
// Every collector's text, without caches (tests, benchmarks).
std::string WriteAllCollectors(const CollectInput& in);

}  // namespace gx
