#include "exporter/outputs/webhook/message_text.h"

namespace gx {

const std::vector<Alert>& LeadAlerts(const AlertMessage& n) { return n.firing.empty() ? n.resolved : n.firing; }

std::string GroupAlertType(const std::vector<Alert>& alerts) {
  std::string type;
  for (const auto& a : alerts) {
    if (type.empty()) type = a.name();
    else if (a.name() != type) return "mixed";
  }
  return type;
}

std::string WorstSeverity(const std::vector<Alert>& alerts) {
  std::string severity;
  for (const auto& a : alerts) {
    if (SeverityRank(a.severity) > SeverityRank(severity)) severity = a.severity;
  }
  return severity;
}

std::string GroupWhere(const AlertLabels& group_labels) {
  std::string where;
  for (const auto& [k, v] : group_labels) {
    if (k == "alertname" || v.empty()) continue;
    where += (where.empty() ? " (" : ", ") + k + " " + v;
  }
  if (!where.empty()) where += ")";
  return where;
}

std::string GroupSummary(const AlertMessage& n) {
  std::string summary =
      std::to_string(n.firing.size()) + " " + GroupAlertType(LeadAlerts(n)) + " alerts firing";
  if (!n.resolved.empty()) summary += ", " + std::to_string(n.resolved.size()) + " resolved";
  return summary + GroupWhere(n.group_labels);
}

std::string FiringTitle(const AlertMessage& n) {
  const std::string severity = WorstSeverity(n.firing);
  return (severity.empty() ? "" : severity + ": ") + GroupSummary(n);
}

std::string ResolvedSummary(const AlertMessage& n) {
  const size_t count = n.resolved.size();
  return "resolved: " + std::to_string(count) + " " + GroupAlertType(n.resolved) + (count == 1 ? " alert" : " alerts") +
         GroupWhere(n.group_labels);
}

UnixNanos AlertStartsAt(const Alert& a) { return a.fired_at ? a.fired_at : a.active_since; }

std::string AlertWhere(const Alert& a) {
  std::string where;
  for (const auto& [k, v] : a.labels) {
    if (k == "alertname") continue;
    where += (where.empty() ? "" : ", ") + k + " " + v;
  }
  return where;
}

}  // namespace gx
