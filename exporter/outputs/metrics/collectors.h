// Every collector function, one file each. The list that orders them is in
// collector_list.cpp.
#pragma once

#include "exporter/outputs/metrics/collector.h"

namespace gx {

void CollectBuildInfo(const CollectInput& in, MetricFamilies& out);      // build_info_collector.cpp
void CollectExporterHealth(const CollectInput& in, MetricFamilies& out); // exporter_health_collector.cpp
void CollectConfig(const CollectInput& in, MetricFamilies& out);         // config_collector.cpp
void CollectPhones(const CollectInput& in, std::shared_ptr<void>& cache,
                   MetricFamilies& out);                                  // phones_collector.cpp
void WritePhoneSeries(const CollectInput& in, std::shared_ptr<void>& cache,
                      TextPieces& out);                                   // phone_series_collector.cpp
void CollectUsers(const CollectInput& in, MetricFamilies& out);          // users_collector.cpp
void CollectTrunks(const CollectInput& in, MetricFamilies& out);         // trunks_collector.cpp
void CollectEdges(const CollectInput& in, MetricFamilies& out);          // edges_collector.cpp
void CollectFreshness(const CollectInput& in, std::shared_ptr<void>& cache,
                      MetricFamilies& out);                               // freshness_collector.cpp
void CollectTls(const CollectInput& in, MetricFamilies& out);            // tls_collector.cpp
void CollectNotifications(const CollectInput& in, MetricFamilies& out);  // notifications_collector.cpp
void CollectPushCoverage(const CollectInput& in, std::shared_ptr<void>& cache,
                         MetricFamilies& out);                            // notifications_collector.cpp
bool NotificationsRan(const HealthData& health);                         // notifications_collector.cpp
void CollectAlerts(const CollectInput& in, MetricFamilies& out);         // alerts_collector.cpp
void CollectSpool(const CollectInput& in, MetricFamilies& out);          // spool_collector.cpp
void CollectWeb(const CollectInput& in, MetricFamilies& out);            // web_collector.cpp
void CollectWebConfig(const CollectInput& in, MetricFamilies& out);      // web_config_collector.cpp
void CollectProcess(const CollectInput& in, MetricFamilies& out);        // process_collector.cpp

}  // namespace gx
