#include "exporter/outputs/http/metrics_renderer.h"

#include <prometheus/text_serializer.h>

#include "exporter/outputs/http/process_metrics.h"

namespace gx {

MetricFamilies MetricsRenderer::Collect() const {
  MetricFamilies families;
  // Health is copied first so that the telephony lock is held only while collecting.
  HealthData health = health_.Read([](const HealthData& h) { return h; });
  telephony_.Read([&](const TelephonyData& t) {
    CollectInput in{t, health, options_};
    for (const auto& c : AllCollectors()) c.collect(in, families);
    return 0;
  });
  CollectProcessMetrics(families);
  return families;
}

std::string MetricsRenderer::Render() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(Collect());
}

}  // namespace gx
