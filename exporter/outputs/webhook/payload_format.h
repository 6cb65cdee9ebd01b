// Request bodies for the two receiver formats: `generic` (the original
// StatusCheckPayload fields, plus status, severity, fingerprint, summary, labels and,
// for groups, count and alerts) and `alertmanager` (the POST /api/v2/alerts array).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/outputs/alerts/alert_message.h"

namespace gx {

// `max_alerts` caps the alerts listed in a group message; `count` still says how many.
std::string FormatGenericPayload(const AlertMessage& n, int max_alerts);

// Firing alerts get endsAt = now + `firing_ttl` (so Alertmanager resolves them itself
// if the exporter goes away); resolved alerts carry their resolution time.
std::string FormatAlertmanagerPayload(const std::vector<Alert>& alerts, UnixNanos now, UnixNanos firing_ttl);

}  // namespace gx
