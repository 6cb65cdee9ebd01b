#include "exporter/outputs/alerts/alert_grouper.h"

#include <algorithm>
#include "exporter/util/time_math.h"

namespace gx {

GroupingConfig GroupingFrom(const AlertingConfig& cfg) {
  GroupingConfig g;
  g.group_by = cfg.group_by;
  g.group_wait = SecondsToNanos(cfg.group_wait.count());
  g.group_interval = SecondsToNanos(cfg.group_interval.count());
  g.repeat_interval = SecondsToNanos(cfg.repeat_interval.count());
  return g;
}

std::string AlertGrouper::GroupKey(const Alert& a) const {
  std::string key;
  for (const auto& l : cfg_.group_by) {
    auto it = a.labels.find(l);
    if (!key.empty()) key += ',';
    key += l + "=\"" + (it == a.labels.end() ? "" : it->second) + "\"";
  }
  return key;
}

AlertGrouper::Group& AlertGrouper::GroupFor(const Alert& a, UnixNanos now) {
  const std::string key = GroupKey(a);
  auto it = groups_.find(key);
  if (it != groups_.end()) return it->second;
  Group g;
  for (const auto& l : cfg_.group_by) {
    auto v = a.labels.find(l);
    if (v != a.labels.end()) g.labels[l] = v->second;
  }
  g.next_flush = now + cfg_.group_wait;
  return groups_.emplace(key, std::move(g)).first->second;
}

void AlertGrouper::Update(const AlertTransitions& eval, UnixNanos now) {
  for (const Alert& a : eval.fired) GroupFor(a, now).alerts.insert_or_assign(a.fingerprint, a);
  // Resolved, or still firing with new details (severity, summary, facts) for repeats.
  auto refresh = [this](const Alert& a, bool only_firing) {
    auto g = groups_.find(GroupKey(a));
    if (g == groups_.end()) return;
    auto it = g->second.alerts.find(a.fingerprint);
    if (it == g->second.alerts.end() || (only_firing && it->second.status != AlertStatus::kFiring)) return;
    it->second = a;
  };
  for (const Alert& a : eval.resolved) refresh(a, false);
  for (const Alert& a : eval.updated) refresh(a, true);
}

std::vector<AlertMessage> AlertGrouper::Flush(UnixNanos now) {
  std::vector<AlertMessage> out;
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& g = it->second;
    if (now < g.next_flush) {
      ++it;
      continue;
    }
    AlertMessage n;
    n.group_key = it->first;
    n.group_labels = g.labels;
    n.created_at = now;
    std::map<std::string, AlertStatus> current;
    for (const auto& [fp, a] : g.alerts) {
      if (a.status == AlertStatus::kFiring) {
        n.firing.push_back(a);
        current[fp] = AlertStatus::kFiring;
      } else if (g.last_sent.count(fp) && cfg_.send_resolved) {
        // Only announce the end of what was announced: a fire-and-clear inside
        // group_wait stays silent.
        n.resolved.push_back(a);
      }
    }
    const bool changed = current != g.last_sent || !n.resolved.empty();
    const bool repeat = !n.firing.empty() && g.last_sent_at != 0 && now - g.last_sent_at >= cfg_.repeat_interval;
    if (changed || repeat) {
      n.repeat = !changed;
      auto by_entity = [](const Alert& a, const Alert& b) { return a.EntityId() < b.EntityId(); };
      std::sort(n.firing.begin(), n.firing.end(), by_entity);
      std::sort(n.resolved.begin(), n.resolved.end(), by_entity);
      if (!n.firing.empty() || !n.resolved.empty()) out.push_back(std::move(n));
      g.last_sent = std::move(current);
      g.last_sent_at = now;
    }
    std::erase_if(g.alerts, [](const auto& kv) { return kv.second.status != AlertStatus::kFiring; });
    if (g.alerts.empty()) {
      it = groups_.erase(it);
      continue;
    }
    g.next_flush = now + cfg_.group_interval;
    ++it;
  }
  return out;
}

std::optional<UnixNanos> AlertGrouper::NextDue() const {
  std::optional<UnixNanos> due;
  for (const auto& [k, g] : groups_) {
    if (!due || g.next_flush < *due) due = g.next_flush;
  }
  return due;
}

void AlertGrouper::RestoreNotified(const Alert& alert, UnixNanos notified_at, UnixNanos now) {
  Group& g = GroupFor(alert, now);
  g.alerts.insert_or_assign(alert.fingerprint, alert);
  g.last_sent[alert.fingerprint] = AlertStatus::kFiring;
  g.last_sent_at = std::max(g.last_sent_at, notified_at);
  g.next_flush = now + cfg_.group_interval;
}

std::map<std::string, UnixNanos> AlertGrouper::NotifiedFiring() const {
  std::map<std::string, UnixNanos> out;
  for (const auto& [k, g] : groups_) {
    for (const auto& [fp, st] : g.last_sent) {
      if (st == AlertStatus::kFiring) out[fp] = g.last_sent_at;
    }
  }
  return out;
}

std::vector<Alert> AlertGrouper::UnannouncedResolved() const {
  std::vector<Alert> out;
  for (const auto& [k, g] : groups_) {
    for (const auto& [fp, a] : g.alerts) {
      if (a.status == AlertStatus::kResolved && g.last_sent.count(fp)) out.push_back(a);
    }
  }
  return out;
}

}  // namespace gx
