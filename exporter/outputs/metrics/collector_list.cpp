#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/text_exposition.h"

namespace gx {

std::span<const NamedCollector> AllCollectors() {
  static const NamedCollector kCollectors[] = {
      {"build_info", CollectorReads::kHealth, CollectBuildInfo},
      {"exporter_health", CollectorReads::kHealth, CollectExporterHealth},
      {"config", CollectorReads::kHealth, CollectConfig},
      {"phones", CollectorReads::kTelephony, CollectPhones},
      {"phone_series", CollectorReads::kTelephony, nullptr, WritePhoneSeries},
      {"users", CollectorReads::kTelephony, CollectUsers},
      {"trunks", CollectorReads::kTelephony, CollectTrunks},
      {"edges", CollectorReads::kTelephony, CollectEdges},
      {"freshness", CollectorReads::kTelephony, CollectFreshness},
      {"tls", CollectorReads::kTelephony, CollectTls},
      {"notifications", CollectorReads::kHealth, CollectNotifications, nullptr, NotificationsRan},
      {"push_coverage", CollectorReads::kTelephony, CollectPushCoverage, nullptr, NotificationsRan},
      {"alerts", CollectorReads::kHealth, CollectAlerts},
      {"spool", CollectorReads::kHealth, CollectSpool},
      {"web", CollectorReads::kHealth, CollectWeb},
      {"web_config", CollectorReads::kHealth, CollectWebConfig},
  };
  return kCollectors;
}

void WriteCollector(const NamedCollector& c, const CollectInput& in, std::shared_ptr<void>& cache, std::string& out) {
  if (c.shown && !c.shown(in.health)) return;
  if (c.write) {
    c.write(in, cache, out);
    return;
  }
  MetricFamilies families;
  c.collect(in, families);
  AppendFamilies(out, families);
}

std::string WriteAllCollectors(const CollectInput& in) {
  std::string out;
  for (const auto& c : AllCollectors()) {
    std::shared_ptr<void> cache;
    WriteCollector(c, in, cache, out);
  }
  return out;
}

}  // namespace gx
