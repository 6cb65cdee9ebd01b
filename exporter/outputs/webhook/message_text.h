// The words every receiver format uses for a group message and its alerts, so that the
// generic payload, Slack and Teams say the same thing: the group's alert type ("mixed" for
// several), its worst severity, where it is, a one-line summary, and an alert's startsAt and
// location. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert_message.h"

namespace gx {

// The alerts a message leads with: the firing ones, or the resolved ones when none fires.
const std::vector<Alert>& LeadAlerts(const AlertMessage& n);
// The alert type shared by all `alerts`, or "mixed".
std::string GroupAlertType(const std::vector<Alert>& alerts);
// The worst severity among `alerts` (critical > warning > info).
std::string WorstSeverity(const std::vector<Alert>& alerts);
// " (site a, ...)": the group labels other than alertname, empty when there are none.
std::string GroupWhere(const AlertLabels& group_labels);
// "3 registration_failure alerts firing, 1 resolved (site a)".
std::string GroupSummary(const AlertMessage& n);
// "critical: " + GroupSummary(n): the title of a firing message (no prefix without a severity).
std::string FiringTitle(const AlertMessage& n);
// "resolved: 2 registration_failure alerts (site a)": the follow-up message on resolved alerts.
std::string ResolvedSummary(const AlertMessage& n);
// When the alert started, as Alertmanager's startsAt: when it fired, or when first seen.
UnixNanos AlertStartsAt(const Alert& a);
// "site a, phone_id p1": the alert's labels other than alertname, in label order.
std::string AlertWhere(const Alert& a);

}  // namespace gx
