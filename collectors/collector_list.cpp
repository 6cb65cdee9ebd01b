#include "collectors/collectors.h"

namespace gx {

std::span<const NamedCollector> AllCollectors() {
  static const NamedCollector kCollectors[] = {
      {"build_info", CollectBuildInfo},
      {"exporter_health", CollectExporterHealth},
      {"config", CollectConfig},
      {"phones", CollectPhones},
      {"users", CollectUsers},
      {"trunks", CollectTrunks},
      {"edges", CollectEdges},
      {"freshness", CollectFreshness},
      {"tls", CollectTls},
      {"notifications", CollectNotifications},
      {"alerts", CollectAlerts},
      {"spool", CollectSpool},
      {"web", CollectWeb},
      {"web_config", CollectWebConfig},
  };
  return kCollectors;
}

}  // namespace gx
