#include "exporter/outputs/metrics/collectors.h"
#include "exporter/util/build_version.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectBuildInfo(const CollectInput&, MetricFamilies& out) {
  Gauge("genesys_exporter_build_info", "Build of this genesys_exporter; the value is always 1.")
      .Add({{"version", BuildVersion()}, {"revision", BuildRevision()}, {"compiler", BuildCompiler()}}, 1)
      .MoveTo(out);
}

}  // namespace gx
