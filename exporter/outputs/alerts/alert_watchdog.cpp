#include "exporter/outputs/alerts/alert_watchdog.h"

#include "exporter/config/duration.h"

namespace gx {

Alert WatchdogAlert(UnixNanos since, UnixNanos interval) {
  Alert a;
  a.labels = {{"alertname", std::string(kWatchdog)}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.severity = "info";
  a.summary = "genesys_exporter is running and its alerting works; this heartbeat comes every " +
              FormatDuration(interval) + ", and its absence is the alert";
  a.status = AlertStatus::kFiring;
  a.active_since = a.fired_at = since;
  return a;
}

std::optional<AlertMessage> AlertWatchdog::Due(UnixNanos now) {
  if (interval_ <= 0) return std::nullopt;
  const bool first = started_ == 0;
  if (!first && now - last_ < interval_) return std::nullopt;
  if (first) started_ = now;
  last_ = now;
  Alert a = WatchdogAlert(started_, interval_);
  a.updated_at = now;
  AlertMessage n;
  n.group_labels = {{"alertname", std::string(kWatchdog)}};
  n.group_key = "alertname=\"" + std::string(kWatchdog) + "\"";
  n.firing = {std::move(a)};
  n.created_at = now;
  n.repeat = !first;
  return n;
}

}  // namespace gx
