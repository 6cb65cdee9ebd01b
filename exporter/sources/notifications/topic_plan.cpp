#include "exporter/sources/notifications/topic_plan.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace gx {
namespace {

constexpr std::string_view kEdgesPrefix = "v2.telephony.providers.edges.";

template <typename Map>
std::vector<std::string> SortedIds(const Map& m) {
  std::vector<std::string> ids;
  ids.reserve(m.size());
  for (const auto& [id, entry] : m) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Fills channels in order; refuses a group that does not fit whole, so a trunk
// never gets its status topic without its metrics topic or the reverse.
class Packer {
 public:
  explicit Packer(const TopicBudget& b) {
    const int channels = std::max(0, b.max_channels - std::max(0, b.reserved_channels));
    const long long by_channels = static_cast<long long>(channels) * std::max(0, b.per_channel);
    capacity_ = static_cast<std::size_t>(std::max(0LL, std::min<long long>(b.total, by_channels)));
    per_channel_ = static_cast<std::size_t>(std::max(1, b.per_channel));
  }
  bool Fits(std::size_t n) const { return used_ + n <= capacity_; }
  bool Add(std::vector<std::string> group, TopicPlan& plan) {
    if (!Fits(group.size())) {
      plan.dropped_topics += group.size();
      return false;
    }
    for (auto& t : group) {
      if (plan.channels.empty() || plan.channels.back().size() >= per_channel_) plan.channels.emplace_back();
      plan.channels.back().push_back(std::move(t));
      ++used_;
    }
    return true;
  }

 private:
  std::size_t capacity_ = 0;
  std::size_t per_channel_ = 1000;
  std::size_t used_ = 0;
};

}  // namespace

std::size_t TopicPlan::topic_count() const {
  std::size_t n = 0;
  for (const auto& c : channels) n += c.size();
  return n;
}

std::string PhoneTopic(std::string_view id) { return std::string(kEdgesPrefix) + "phones." + std::string(id); }
std::string TrunkTopic(std::string_view id) { return std::string(kEdgesPrefix) + "trunks." + std::string(id); }
std::string TrunkMetricsTopic(std::string_view id) { return TrunkTopic(id) + ".metrics"; }
std::string EdgeTopic(std::string_view id) { return std::string(kEdgesPrefix) + std::string(id); }
std::string EdgeMetricsTopic(std::string_view id) { return EdgeTopic(id) + ".metrics"; }
std::string UserStationTopic(std::string_view id) { return "v2.users." + std::string(id) + ".station"; }

TopicPlan PlanTopics(const TelephonyData& data, const std::vector<std::string>& followed_users,
                     const TopicBudget& budget) {
  TopicPlan plan;
  Packer packer(budget);

  // 1. Trunks (status + metrics together), then edges (status; metrics only
  //    once every edge status fits, since status matters more).
  for (const auto& id : SortedIds(data.trunks)) {
    if (packer.Add({TrunkTopic(id), TrunkMetricsTopic(id)}, plan)) plan.pushed_trunks.push_back(id);
  }
  const auto edge_ids = SortedIds(data.edges);
  for (const auto& id : edge_ids) {
    if (packer.Add({EdgeTopic(id)}, plan)) plan.pushed_edges.push_back(id);
  }
  if (budget.edge_metrics) {
    for (const auto& id : plan.pushed_edges) packer.Add({EdgeMetricsTopic(id)}, plan);
  }

  // 2. Followed users: their station topic, then the phone the station points to.
  std::unordered_set<std::string> pushed_phones;
  std::vector<std::string> users = followed_users;
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (const auto& user : users) {
    if (packer.Add({UserStationTopic(user)}, plan)) plan.station_users.push_back(user);
  }
  for (const auto& user : users) {
    const PhoneEntry* phone = data.PhoneOfUser(user);
    if (phone == nullptr || pushed_phones.count(phone->phone.id)) continue;
    if (packer.Add({PhoneTopic(phone->phone.id)}, plan)) {
      pushed_phones.insert(phone->phone.id);
      plan.pushed_phones.push_back(phone->phone.id);
    }
  }

  // 3. Every other phone, while the budget lasts.
  for (const auto& id : SortedIds(data.phones)) {
    if (pushed_phones.count(id)) continue;
    if (packer.Add({PhoneTopic(id)}, plan)) {
      pushed_phones.insert(id);
      plan.pushed_phones.push_back(id);
    }
  }
  plan.polled_phones = data.phones.size() - std::min(data.phones.size(), pushed_phones.size());
  return plan;
}

std::vector<std::vector<std::string>> KeepChannels(const std::vector<std::vector<std::string>>& held,
                                                   const std::vector<std::vector<std::string>>& planned,
                                                   std::size_t per_channel) {
  per_channel = std::max<std::size_t>(1, per_channel);
  std::unordered_set<std::string_view> wanted;
  for (const auto& c : planned) wanted.insert(c.begin(), c.end());
  std::vector<std::vector<std::string>> out;
  std::unordered_set<std::string_view> placed;
  for (const auto& c : held) {
    auto& kept = out.emplace_back();
    for (const auto& t : c) {
      if (kept.size() < per_channel && wanted.count(t) && placed.insert(t).second) kept.push_back(t);
    }
  }
  std::size_t free = 0;  // the first channel that may have room
  for (const auto& c : planned) {
    for (const auto& t : c) {
      if (!placed.insert(t).second) continue;
      while (free < out.size() && out[free].size() >= per_channel) ++free;
      if (free == out.size()) out.emplace_back();
      out[free].push_back(t);
    }
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

std::vector<std::string> SourcesForTopics(const std::vector<std::string>& topics) {
  std::set<std::string> out;
  for (const auto& t : topics) {
    std::string_view v(t);
    if (v.rfind("v2.users.", 0) == 0) {
      out.insert("stations");
      continue;
    }
    if (v.rfind(kEdgesPrefix, 0) != 0) continue;
    v.remove_prefix(kEdgesPrefix.size());
    const bool metrics = v.size() > 8 && v.substr(v.size() - 8) == ".metrics";
    if (v.rfind("phones.", 0) == 0) {
      out.insert("phones");
    } else if (v.rfind("trunks.", 0) == 0) {
      out.insert(metrics ? "trunk_metrics" : "trunks");
    } else {
      out.insert(metrics ? "edge_metrics" : "edges");
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace gx
