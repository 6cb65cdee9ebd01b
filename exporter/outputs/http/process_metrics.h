// The standard process_* metrics, read from /proc the way the official Go client
// does. Does I/O, so it lives with the HTTP output, not in exporter/outputs/metrics/.
// Thread-safe (no shared state).
#pragma once

#include <vector>

#include <prometheus/metric_family.h>

namespace gx {

void CollectProcessMetrics(std::vector<prometheus::MetricFamily>& out);

}  // namespace gx
