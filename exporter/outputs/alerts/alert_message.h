// What the alert engine hands to delivery: grouped alert messages (for webhook
// receivers) and raw alert states (for Alertmanager receivers), behind one sink
// interface so that alerts know nothing of HTTP. Values; the sink must be thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert.h"

namespace gx {

// One message about one group of alerts, as Alertmanager would send it.
struct AlertMessage {
  std::string group_key;      // "alertname=\"x\",site=\"y\"": stable, readable
  AlertLabels group_labels;   // the group_by labels and their values
  std::vector<Alert> firing;  // every firing alert of the group, ordered by entity id
  std::vector<Alert> resolved;
  UnixNanos created_at = 0;
  bool repeat = false;        // sent again because repeat_interval elapsed

  bool is_firing() const { return !firing.empty(); }
  size_t count() const { return firing.size() + resolved.size(); }
};

class AlertMessageSink {
 public:
  virtual ~AlertMessageSink() = default;
  // A grouped alert message: formatted and queued for each generic receiver.
  virtual void Enqueue(const AlertMessage& n) = 0;
  // Alert states for Alertmanager receivers: firing alerts (on change and re-sent
  // periodically, `full` set then) and resolved ones (once, with their end time).
  virtual void EnqueueAlertStates(const std::vector<Alert>& alerts, bool full, UnixNanos now) = 0;
  // The heartbeat (alert_watchdog.h), for every receiver that takes it, in its format; a newer
  // one replaces an older one still queued. Alertmanager receivers get endsAt = created_at + ttl.
  virtual void EnqueueWatchdog(const AlertMessage& heartbeat, UnixNanos ttl) = 0;
};

}  // namespace gx
