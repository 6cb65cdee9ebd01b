// The alert value type shared by the evaluator, the grouper, the webhook formats and
// the dashboard: identity (labels and their fingerprint), lifecycle times and the
// entity facts the original StatusCheckPayload carried. Plain values; thread-safe to copy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/clock.h"

namespace gx {

inline constexpr std::string_view kRegistrationFailure = "registration_failure";
inline constexpr std::string_view kCarrierDegradation = "carrier_degradation";
inline constexpr std::string_view kTlsCertExpiry = "tls_cert_expiry";
inline constexpr std::string_view kEdgeOffline = "edge_offline";
inline constexpr std::string_view kMonitoringBlind = "monitoring_blind";
// The heartbeat (alert_watchdog.h): always firing, never part of the alert set.
inline constexpr std::string_view kWatchdog = "watchdog";

enum class AlertStatus { kPending, kFiring, kResolved };
std::string_view AlertStatusName(AlertStatus s);  // "pending", "firing", "resolved"

// Facts about the one entity an alert is about (the StatusCheckPayload fields).
struct AlertFacts {
  std::string user_id;
  std::string device_id;
  std::optional<bool> registered;
  std::string codec;
  std::string carrier_health;
  std::optional<bool> tls_valid;
  bool operator==(const AlertFacts&) const = default;
};

using AlertLabels = std::map<std::string, std::string>;  // ordered: the fingerprint depends on it

struct Alert {
  std::string fingerprint;  // 16 hex digits over the identity labels
  AlertLabels labels;       // always holds "alertname"; severity is not part of the identity
  std::string severity;     // critical, warning or info
  std::string summary;
  AlertFacts facts;
  AlertStatus status = AlertStatus::kPending;
  UnixNanos active_since = 0;  // when the condition was first seen true
  UnixNanos fired_at = 0;      // when it went from pending to firing
  UnixNanos resolved_at = 0;
  UnixNanos updated_at = 0;    // last evaluation that changed it (status, severity, summary, facts)

  const std::string& name() const;
  // The id of the entity the alert is about (phone, user, trunk, target, edge, site, source).
  std::string EntityId() const;
  // What kind of entity that is: user, phone, trunk, tls_target, edge, source, site (or alert).
  std::string_view EntityKind() const;
};

// FNV-1a 64 over "k=v\n" of the sorted labels, as 16 lower-case hex digits. Stable across
// runs and builds, so a persisted or re-sent alert keeps its identity.
std::string AlertFingerprint(const AlertLabels& labels);

// The pending and firing alerts, by fingerprint.
using AlertSet = std::map<std::string, Alert>;

// Severity order for "the worst of a group": critical > warning > info.
int SeverityRank(std::string_view severity);

}  // namespace gx
