// SelfMetrics: the exporter's own instrumentation that is counted as it happens, as
// prometheus-cpp Counter and Histogram types in one prometheus::Registry (today the Genesys
// API requests: count by endpoint and code, duration by endpoint). /metrics serializes it
// with prometheus-cpp's TextSerializer after the collectors' text. Thread-safe: the
// prometheus-cpp types are, and the families are registered once, at construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

namespace gx {

// API request duration buckets in seconds (as Prometheus' defaults, trimmed).
inline const prometheus::Histogram::BucketBoundaries& ApiDurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.025, 0.05, 0.1, 0.25, 0.5,
                                                                   1,     2.5,  5,   10,  30};
  return kBuckets;
}

class SelfMetrics {
 public:
  SelfMetrics();
  SelfMetrics(const SelfMetrics&) = delete;
  SelfMetrics& operator=(const SelfMetrics&) = delete;

  // One Genesys API request that ended: `code` is the HTTP status or "error".
  void ObserveApiRequest(const std::string& endpoint, const std::string& code, double seconds);

  // Requests counted for (endpoint, code) so far (tests, pages); 0 when none.
  std::uint64_t ApiRequests(const std::string& endpoint, const std::string& code) const;

  std::vector<prometheus::MetricFamily> Collect() const { return registry_.Collect(); }

 private:
  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& api_requests_;
  prometheus::Family<prometheus::Histogram>& api_durations_;
};

}  // namespace gx
