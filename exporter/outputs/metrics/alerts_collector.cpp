// The exporter's own alert evaluator: alerts firing by name and severity. A pure view of
// HealthData, which the AlertEngine keeps current. (Webhook delivery is counted as it happens,
// in SelfMetrics.)
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectAlerts(const CollectInput& in, MetricFamilies& out) {
  const HealthData& h = in.health;
  auto firing = Gauge("genesys_alerts_firing",
                      "Alerts now firing in the exporter's own evaluator, by alert name and severity.");
  for (const auto& [key, n] : h.alerts_firing) {
    firing.Add({{"alertname", key.first}, {"severity", key.second}}, n);
  }
  firing.MoveTo(out);
}

}  // namespace gx
