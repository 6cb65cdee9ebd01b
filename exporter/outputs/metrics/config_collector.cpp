// The configuration file's loads: whether the last reload was taken, when the last good one
// was, and whether the file holds settings that wait for a restart. Prometheus's own
// names (prometheus_config_last_reload_*), with the exporter's prefix.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectConfig(const CollectInput& in, MetricFamilies& out) {
  const FileLoadHealth& c = in.health.config;
  Gauge("genesys_exporter_config_last_reload_successful",
        "1 when the last configuration reload (SIGHUP or POST /-/reload) succeeded, or none was tried; 0 while "
        "the running configuration is older than a refused file.")
      .Add({}, c.last_successful ? 1 : 0)
      .MoveTo(out);
  auto when = Gauge("genesys_exporter_config_last_reload_success_timestamp_seconds",
                    "When the configuration was last loaded successfully: the start, or the last good reload.");
  if (c.last_success) when.Add({}, ToSeconds(*c.last_success));
  when.MoveTo(out);
  Gauge("genesys_exporter_config_restart_required",
        "1 when the last reloaded configuration file changes settings that apply only after a restart (the "
        "landing page and the log name them).")
      .Add({}, c.restart_required.empty() ? 0 : 1)
      .MoveTo(out);
}

}  // namespace gx
