// The spool folder (alerting.spool_dir), where queued webhooks and the alert state are
// kept durable: whether it can be written. A pure view of HealthData, which the app's
// start-up check, the webhook dispatcher and the alert engine keep current.
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectSpool(const CollectInput& in, MetricFamilies& out) {
  const SpoolHealth& s = in.health.spool;
  auto writable = Gauge("genesys_spool_writable",
                        "1 when the last write of each user of the spool folder (alerting.spool_dir) succeeded; 0 "
                        "when one failed, so webhook notifications and alert state are not durable.");
  if (s.in_use) writable.Add({}, s.writable() ? 1 : 0);
  writable.MoveTo(out);
}

}  // namespace gx
