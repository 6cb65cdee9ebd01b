#include "exporter/outputs/http/status_verdict.h"

#include <algorithm>
#include <map>

namespace gx {

std::string_view StatusLevelName(StatusLevel level) {
  switch (level) {
    case StatusLevel::kOk: return "ok";
    case StatusLevel::kStarting: return "starting";
    case StatusLevel::kDegraded: return "degraded";
    case StatusLevel::kBlind: return "blind";
    case StatusLevel::kOutage: return "outage";
  }
  return "outage";
}

std::string_view StatusLevelTitle(StatusLevel level) {
  switch (level) {
    case StatusLevel::kOk: return "All good";
    case StatusLevel::kStarting: return "Starting";
    case StatusLevel::kDegraded: return "Degraded";
    case StatusLevel::kBlind: return "Blind";
    case StatusLevel::kOutage: return "Outage";
  }
  return "Outage";
}

std::string AlertFindingKey(const Alert& alert) {
  for (const char* label : {"trunk_id", "edge_id", "source"}) {
    if (auto it = alert.labels.find(label); it != alert.labels.end()) return std::string(label) + "=" + it->second;
  }
  return alert.fingerprint;
}

StatusLevel AlertStatusLevel(const Alert& alert) {
  const bool blind = alert.name() == kMonitoringBlind;
  if (alert.severity == "critical") return blind ? StatusLevel::kBlind : StatusLevel::kOutage;
  if (alert.severity == "warning") return StatusLevel::kDegraded;
  return StatusLevel::kOk;
}

StatusVerdict DecideVerdict(const std::vector<StatusFinding>& findings, bool first_poll_complete) {
  struct Subject {
    StatusLevel level;
    const std::string* text;
    std::size_t order;
  };
  std::map<std::string, Subject> subjects;
  for (const auto& f : findings) {
    if (f.level == StatusLevel::kOk) continue;
    auto [it, added] = subjects.try_emplace(f.key, Subject{f.level, &f.text, subjects.size()});
    if (!added) it->second.level = std::max(it->second.level, f.level);
  }
  StatusVerdict v;
  v.level = first_poll_complete ? StatusLevel::kOk : StatusLevel::kStarting;
  for (const auto& [key, s] : subjects) v.level = std::max(v.level, s.level);
  std::vector<const Subject*> top;
  for (const auto& [key, s] : subjects) {
    if (s.level == v.level) top.push_back(&s);
    else ++v.other_findings;
  }
  std::sort(top.begin(), top.end(), [](const Subject* a, const Subject* b) { return a->order < b->order; });
  for (const Subject* s : top) v.reasons.push_back(*s->text);
  return v;
}

}  // namespace gx
