// The heartbeat of the alert pipeline, Alertmanager's Watchdog for teams with webhooks only: an
// always-firing `watchdog` alert, sent every alerting.watchdog_interval through the normal
// delivery path, so that a receiver that stops hearing it (a dead-man's-switch service, a
// PagerDuty heartbeat) knows the exporter, its alerting or the way to the receiver is broken.
// Not thread-safe: the AlertEngine calls it under its evaluation lock.
#pragma once

#include <optional>

#include "exporter/outputs/alerts/alert_message.h"

namespace gx {

class AlertWatchdog {
 public:
  explicit AlertWatchdog(UnixNanos interval) : interval_(interval) {}  // 0 or less: off

  // A configuration reload: the next heartbeat is due one new interval after the last one.
  void SetInterval(UnixNanos interval) { interval_ = interval; }

  // The heartbeat due at `now`, if any: one at the first call, then one per interval. After a
  // gap (a suspended host, a stalled worker) one is sent, not one per missed interval.
  std::optional<AlertMessage> Due(UnixNanos now);

  // Firing alerts carry endsAt = now + ttl for Alertmanager: four intervals, as for resend_interval.
  UnixNanos ttl() const { return 4 * interval_; }

 private:
  UnixNanos interval_;
  UnixNanos started_ = 0;  // the first heartbeat: its startsAt, for the life of the process
  UnixNanos last_ = 0;
};

// The heartbeat alert: labels {alertname="watchdog"}, so its fingerprint never changes.
Alert WatchdogAlert(UnixNanos since, UnixNanos interval);

}  // namespace gx
