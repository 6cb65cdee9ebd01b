#include "exporter/sources/notifications/topic_planner.h"

namespace gx {

namespace {

TopicPlanInputs TopicPlanInputsOf(const TelephonyData& data) {
  TopicPlanInputs in;
  in.phone_ids = data.phones.key_version();
  in.trunk_ids = data.trunks.key_version();
  in.edge_ids = data.edges.key_version();
  in.users = data.users.version();
  in.stations = data.stations.version();
  in.phone_links = data.phone_links_version;
  in.trunks_loaded = data.trunks_loaded;
  in.edges_loaded = data.edges_loaded;
  return in;
}

}  // namespace

const TopicPlan& TopicPlanner::Plan(const TelephonyData& data, const TopicBudget& budget) {
  const TopicPlanInputs inputs = TopicPlanInputsOf(data);
  replanned_ = !planned_ || !(inputs == inputs_) || !(budget == budget_);
  if (!replanned_) return plan_;
  std::vector<std::string> users;
  users.reserve(data.users.size());
  for (const auto& [id, u] : data.users) users.push_back(id);
  plan_ = PlanTopics(data, users, budget);
  inputs_ = inputs;
  budget_ = budget;
  planned_ = true;
  ++plans_;
  return plan_;
}

}  // namespace gx
