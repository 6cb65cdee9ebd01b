// TopicPlanner: PlanTopics again only when what the plan reads has changed: the
// ids of trunks, edges and phones, the followed users and their stations, the
// phones' lines (which phone a user's station points to) and the inventory
// flags. A pushed status changes none of these, so under push load the plan is
// kept instead of re-planned over every phone. One thread at a time.
#pragma once

#include <cstdint>

#include "exporter/sources/notifications/topic_plan.h"

namespace gx {

// The versions of everything PlanTopics and FullyPushedSources read.
struct TopicPlanInputs {
  std::uint64_t phone_ids = 0;
  std::uint64_t trunk_ids = 0;
  std::uint64_t edge_ids = 0;
  std::uint64_t users = 0;
  std::uint64_t stations = 0;
  std::uint64_t phone_links = 0;
  bool trunks_loaded = false;
  bool edges_loaded = false;
  bool operator==(const TopicPlanInputs&) const = default;
};

class TopicPlanner {
 public:
  // The plan for `data`'s followed users (data.users) within `budget`: the held
  // plan when neither the inputs nor the budget changed since the last call.
  const TopicPlan& Plan(const TelephonyData& data, const TopicBudget& budget);
  // Whether the last Plan() planned afresh.
  bool replanned() const { return replanned_; }
  // How many times Plan() planned afresh.
  std::uint64_t plans() const { return plans_; }

 private:
  bool planned_ = false;
  bool replanned_ = false;
  std::uint64_t plans_ = 0;
  TopicPlanInputs inputs_;
  TopicBudget budget_;
  TopicPlan plan_;
};

}  // namespace gx
