#include "exporter/outputs/http/metrics_renderer.h"

#include <malloc.h>

#include "exporter/outputs/http/process_metrics.h"
#include "exporter/outputs/http/text_exposition.h"

namespace gx {

MetricFamilies MetricsRenderer::Collect() const {
  MetricFamilies families;
  // Health is copied first so that the telephony lock is held only while collecting.
  HealthData health = health_.Read([](const HealthData& h) { return h; });
  CollectorOptions options;
  {
    std::lock_guard lock(mu_);
    options = options_;
  }
  telephony_.Read([&](const TelephonyData& t) {
    CollectInput in{t, health, options};
    for (const auto& c : AllCollectors()) c.collect(in, families);
    return 0;
  });
  CollectProcessMetrics(families);
  return families;
}

std::string MetricsRenderer::Render() const {
  std::string text;
  {
    MetricFamilies families = Collect();
    text = SerializeTextExposition(families);
  }
  // A per-phone scrape builds tens of MB of short-lived families on an HTTP
  // worker thread; give the freed arena memory back instead of keeping it resident.
  if (text.size() > (1u << 20)) malloc_trim(0);
  return text;
}

}  // namespace gx
