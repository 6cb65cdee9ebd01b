// Edges: identity, online state and uptime.
#include <algorithm>

#include "exporter/state/domain_facts.h"
#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"

namespace gx {

void CollectEdges(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  std::vector<const EdgeEntry*> edges;
  edges.reserve(t.edges.size());
  for (const auto& [id, entry] : t.edges) edges.push_back(&entry);
  std::sort(edges.begin(), edges.end(),
            [](const EdgeEntry* a, const EdgeEntry* b) { return a->edge.id < b->edge.id; });

  constexpr const char* kCached = " Cached state, refreshed by polling (edges collector, default every 60s) or pushed.";
  auto info = Gauge("genesys_edge_info", std::string("Edge identity; the value is always 1.") + kCached);
  auto online = Gauge("genesys_edge_online", std::string("1 when onlineStatus is ONLINE.") + kCached);
  auto uptime = Gauge("genesys_edge_uptime_seconds",
                      "Edge uptime from edge metrics upTimeMsec. Cached state, refreshed by polling (edge_metrics "
                      "collector) or pushed.");
  for (const EdgeEntry* entry : edges) {
    const Edge& e = entry->edge;
    const std::string& site = SiteLabel(e.site);
    info.Add({{"edge_id", e.id}, {"edge_name", e.name}, {"site", site}, {"software_version", e.software_version}}, 1);
    if (!e.online_status.empty()) online.Add({{"edge_id", e.id}}, e.online_status == "ONLINE" ? 1 : 0);
    if (auto m = t.edge_metrics.find(e.id); m != t.edge_metrics.end() && m->second.uptime_ms) {
      uptime.Add({{"edge_id", e.id}}, static_cast<double>(*m->second.uptime_ms) / 1000.0);
    }
  }
  info.MoveTo(out);
  online.MoveTo(out);
  uptime.MoveTo(out);
}

}  // namespace gx
