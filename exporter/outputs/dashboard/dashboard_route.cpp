#include "exporter/outputs/dashboard/dashboard_route.h"

#include "exporter/util/json_writer.h"

namespace gx {

DashboardAnswer AnswerDashboard(const std::multimap<std::string, std::string>& query, const DashboardInputs& in) {
  DashboardAnswer r;
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : query) params.emplace(k, v);  // the first value of a repeated key wins
  DashboardFilterResult filters = ParseDashboardFilters(params);
  if (!filters.error.empty()) {
    r.status = 400;
    JsonWriter w;
    w.BeginObject().Field("error", filters.error).EndObject();
    r.body = w.Take();
    return r;
  }
  std::vector<Alert> alerts = in.active_alerts ? in.active_alerts() : std::vector<Alert>{};
  HealthData health = in.health.Read([](const HealthData& h) { return h; });
  const UnixNanos now = in.clock.Now();
  const TelephonySnapshot snapshot = in.telephony.Snapshot();  // no lock held while rendering
  r.body = RenderDashboard(*snapshot, health, alerts, filters.filters, in.options, now);
  r.etag = DashboardETag(r.body);
  return r;
}

}  // namespace gx
