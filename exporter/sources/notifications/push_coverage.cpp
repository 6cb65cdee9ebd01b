#include "exporter/sources/notifications/push_coverage.h"

#include <algorithm>
#include <unordered_set>

namespace gx {

std::vector<std::string> FullyPushedSources(const TopicPlan& plan, const TelephonyData& data) {
  std::vector<std::string> out;
  // A trunk's status and metrics topics are planned together (or not at all).
  if (data.trunks_loaded && !data.trunks.empty() && plan.pushed_trunks.size() == data.trunks.size()) {
    out.insert(out.end(), {"trunks", "trunk_metrics"});
  }
  if (data.edges_loaded && !data.edges.empty() && plan.pushed_edges.size() == data.edges.size()) {
    out.push_back("edges");
    std::unordered_set<std::string> topics;
    for (const auto& channel : plan.channels) topics.insert(channel.begin(), channel.end());
    const bool metrics = std::all_of(data.edges.begin(), data.edges.end(),
                                     [&](const auto& e) { return topics.count(EdgeMetricsTopic(e.first)) > 0; });
    if (metrics) out.push_back("edge_metrics");
  }
  // data.users holds the followed users only.
  if (!data.users.empty()) {
    const std::unordered_set<std::string> planned(plan.station_users.begin(), plan.station_users.end());
    const bool all = std::all_of(data.users.begin(), data.users.end(),
                                 [&](const auto& u) { return planned.count(u.first) > 0; });
    if (all) out.push_back("stations");
  }
  return out;
}

std::vector<std::string> WithoutRejected(std::vector<std::string> covered, const std::vector<std::string>& rejected) {
  const auto refused = SourcesForTopics(rejected);
  std::erase_if(covered, [&](const std::string& c) {
    return std::find(refused.begin(), refused.end(), c) != refused.end();
  });
  return covered;
}

}  // namespace gx
