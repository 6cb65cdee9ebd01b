// --web.config.file (TLS, basic auth, headers): whether its last load worked and when one
// last did, as Prometheus's own prometheus_config_last_reload_* gauges say it of its config.
// A pure view of HealthData, which the web config's reloader keeps current.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectWebConfig(const CollectInput& in, MetricFamilies& out) {
  const FileLoadHealth& w = in.health.web_config;
  auto ok = Gauge("genesys_web_config_last_reload_successful",
                  "1 when the last load of --web.config.file (at start, or after it or a file it names changed) "
                  "succeeded; 0 when it failed and the last good one stays in force.");
  auto last = Gauge("genesys_web_config_last_reload_success_timestamp_seconds",
                    "When --web.config.file was last loaded successfully.");
  if (w.in_use) {
    ok.Add({}, w.last_successful ? 1 : 0);
    if (w.last_success) last.Add({}, ToSeconds(*w.last_success));
  }
  ok.MoveTo(out);
  last.MoveTo(out);
}

}  // namespace gx
