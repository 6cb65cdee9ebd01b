// Renders /metrics: every collector over one consistent snapshot of the state,
// then the process metrics, in text exposition format 0.0.4. SetOptions() applies a
// configuration reload from the next scrape on. Thread-safe.
#pragma once

#include <mutex>
#include <string>

#include "collectors/collector.h"

namespace gx {

class MetricsRenderer {
 public:
  MetricsRenderer(const TelephonyState& telephony, const HealthState& health, CollectorOptions options)
      : telephony_(telephony), health_(health), options_(options) {}

  void SetOptions(CollectorOptions options) {
    std::lock_guard lock(mu_);
    options_ = options;
  }
  MetricFamilies Collect() const;
  std::string Render() const;

 private:
  const TelephonyState& telephony_;
  const HealthState& health_;
  mutable std::mutex mu_;
  CollectorOptions options_;  // guarded by mu_
};

}  // namespace gx
