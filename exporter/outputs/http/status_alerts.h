// The status page's view of the active alerts: the firing ones, critical first, then oldest
// first; how many are pending; and the worst level of the firing alerts about one subject,
// looked up by label so that colouring every row costs the matching alerts, not rows times
// alerts. Holds pointers into the alerts it was given, which must outlive it. Not
// thread-safe to build; const methods are.
#pragma once

#include <map>
#include <string_view>
#include <tuple>
#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/outputs/http/status_verdict.h"

namespace gx::status {

class FiringAlerts {
 public:
  explicit FiringAlerts(const std::vector<Alert>& alerts);

  // Since when an alert fires: the startsAt receivers get.
  static UnixNanos Since(const Alert& a) { return a.fired_at ? a.fired_at : a.active_since; }
  const std::vector<const Alert*>& firing() const { return firing_; }
  int pending() const { return pending_; }
  // The worst level (AlertStatusLevel) of the firing `alertname` alerts whose labels include
  // every one of `labels`; kOk when none.
  StatusLevel LevelOf(std::string_view alertname, const AlertLabels& labels) const;

 private:
  using LabelKey = std::tuple<std::string_view, std::string_view, std::string_view>;  // alertname, label, value
  std::vector<const Alert*> firing_;
  std::map<LabelKey, std::vector<const Alert*>> by_label_;
  int pending_ = 0;
};

}  // namespace gx::status
