#include "exporter/outputs/http/status_alerts.h"

#include <algorithm>

namespace gx::status {

FiringAlerts::FiringAlerts(const std::vector<Alert>& alerts) {
  for (const auto& a : alerts) {
    if (a.status == AlertStatus::kFiring) firing_.push_back(&a);
    else if (a.status == AlertStatus::kPending) ++pending_;
  }
  std::sort(firing_.begin(), firing_.end(), [](const Alert* a, const Alert* b) {
    if (SeverityRank(a->severity) != SeverityRank(b->severity)) {
      return SeverityRank(a->severity) > SeverityRank(b->severity);
    }
    if (Since(*a) != Since(*b)) return Since(*a) < Since(*b);
    return a->fingerprint < b->fingerprint;
  });
  for (const Alert* a : firing_) {
    for (const auto& [k, v] : a->labels) by_label_[{a->name(), k, v}].push_back(a);
  }
}

StatusLevel FiringAlerts::LevelOf(std::string_view alertname, const AlertLabels& labels) const {
  // Only the alerts that share the rarest of `labels` can match.
  const std::vector<const Alert*>* candidates = &firing_;
  for (const auto& [k, v] : labels) {
    auto it = by_label_.find({alertname, k, v});
    if (it == by_label_.end()) return StatusLevel::kOk;
    if (candidates == &firing_ || it->second.size() < candidates->size()) candidates = &it->second;
  }
  StatusLevel level = StatusLevel::kOk;
  for (const Alert* a : *candidates) {
    if (a->name() != alertname) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = a->labels.find(k);
      match = match && it != a->labels.end() && it->second == v;
    }
    if (match) level = std::max(level, AlertStatusLevel(*a));
  }
  return level;
}

}  // namespace gx::status
