// Writes metric families in the Prometheus text exposition format 0.0.4.
// Faster than prometheus::TextSerializer for large scrapes (one pass, no
// iostreams) and independent of the process locale. Thread-safe (no state).
#pragma once

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace gx {

std::string SerializeTextExposition(const std::vector<prometheus::MetricFamily>& families);

}  // namespace gx
