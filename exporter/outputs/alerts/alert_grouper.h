// Groups fired and resolved alerts by a label set and decides when each group is
// notified, with Alertmanager's group_wait / group_interval / repeat_interval rules,
// so that an outage of 5,000 phones of one site is one message. Not thread-safe:
// owned by the AlertEngine's worker.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/outputs/alerts/alert_message.h"

namespace gx {

struct GroupingConfig {
  std::vector<std::string> group_by = {"alertname", "site"};
  UnixNanos group_wait = 30 * kNanosPerSecond;
  UnixNanos group_interval = 300 * kNanosPerSecond;
  UnixNanos repeat_interval = 4 * 3600 * kNanosPerSecond;
  bool send_resolved = true;
};

GroupingConfig GroupingFrom(const AlertingConfig& cfg);

class AlertGrouper {
 public:
  explicit AlertGrouper(GroupingConfig cfg) : cfg_(std::move(cfg)) {}

  // New timers (a configuration reload); group_by stays, since regrouping active alerts
  // would announce them again. A group already scheduled keeps its next flush.
  void SetTimers(const GroupingConfig& cfg) {
    cfg_.group_wait = cfg.group_wait;
    cfg_.group_interval = cfg.group_interval;
    cfg_.repeat_interval = cfg.repeat_interval;
  }

  // Feeds one evaluation's transitions (and refreshes firing alerts' details).
  void Update(const AlertTransitions& eval, UnixNanos now);
  // Returns the alert messages due at `now`, in group-key order.
  std::vector<AlertMessage> Flush(UnixNanos now);
  // Earliest time a group is due, if any.
  std::optional<UnixNanos> NextDue() const;

  // After a restart: these firing alerts were already notified at `notified_at`.
  void RestoreNotified(const Alert& alert, UnixNanos notified_at, UnixNanos now);
  // Fingerprint -> time the alert was last announced as firing (for the state file).
  std::map<std::string, UnixNanos> NotifiedFiring() const;
  // Alerts announced as firing whose resolved message has not been sent yet (it waits for
  // the group's next flush): as far as the receivers know they still fire.
  std::vector<Alert> UnannouncedResolved() const;

  std::string GroupKey(const Alert& a) const;

 private:
  struct Group {
    AlertLabels labels;
    std::map<std::string, Alert> alerts;              // firing, or resolved and not yet announced
    std::map<std::string, AlertStatus> last_sent;     // firing alerts the last message announced
    UnixNanos last_sent_at = 0;                       // 0: never
    UnixNanos next_flush = 0;
  };
  Group& GroupFor(const Alert& a, UnixNanos now);

  GroupingConfig cfg_;
  std::map<std::string, Group> groups_;
};

}  // namespace gx
