// Renders /metrics: every collector over one consistent snapshot of the state,
// then the process metrics, in text exposition format 0.0.4. Thread-safe.
#pragma once

#include <string>

#include "collectors/collector.h"

namespace gx {

class MetricsRenderer {
 public:
  MetricsRenderer(const TelephonyState& telephony, const HealthState& health, CollectorOptions options)
      : telephony_(telephony), health_(health), options_(options) {}

  MetricFamilies Collect() const;
  std::string Render() const;

 private:
  const TelephonyState& telephony_;
  const HealthState& health_;
  CollectorOptions options_;
};

}  // namespace gx
