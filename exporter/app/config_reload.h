// What a configuration reload (SIGHUP, POST /-/reload) may change in a running exporter: a
// pure comparison of the running configuration with a newly loaded, valid one. The settings
// that apply live are taken from the new one; every restart-only setting keeps its running
// value and, when the file changed it, is named, so that the reload reports it instead of
// ignoring it (docs/configuration.md#reload has the table). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/config/config.h"

namespace gx {

struct ReloadPlan {
  Config effective;  // what the exporter runs with after the reload
  // Keys whose new value applies only after a restart ("genesys.region", "notifications").
  std::vector<std::string> restart_required;
  // Live parts that change: "collection.intervals", "collection.per_phone",
  // "collection.qos_mismatch_threshold", "tls_probes", "alerting".
  std::vector<std::string> changed;
};

// `running` is what the exporter runs with now (restart-only settings as at start).
ReloadPlan PlanReload(const Config& running, const Config& loaded);

}  // namespace gx
