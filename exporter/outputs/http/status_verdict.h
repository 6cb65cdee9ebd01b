// The status page's one-word verdict and its reasons: the worst of what the page found
// (firing alerts, carrier trunks down or degraded, edges offline, failing sources).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporter/outputs/alerts/alert.h"

namespace gx {

// In rising order of gravity. Blind (the exporter cannot see the org: the API or a poller is
// failing) ranks below an outage it can see, and above what is merely degraded.
enum class StatusLevel { kOk, kStarting, kDegraded, kBlind, kOutage };

std::string_view StatusLevelName(StatusLevel level);   // ok, starting, degraded, blind, outage
std::string_view StatusLevelTitle(StatusLevel level);  // "All good", "Starting", ...

// One thing that is wrong. `key` names its subject ("trunk_id=...", "edge_id=...",
// "source=api", or an alert's fingerprint), so that a fact and the alert about the same
// subject count once.
struct StatusFinding {
  StatusLevel level = StatusLevel::kOk;
  std::string key;
  std::string text;
};

// The finding key of an alert: its trunk_id, edge_id or source label, else its fingerprint.
std::string AlertFindingKey(const Alert& alert);

// What a firing alert says: critical is an outage and warning degraded, except for
// monitoring_blind, whose critical is blind; info (and anything else) says nothing.
StatusLevel AlertStatusLevel(const Alert& alert);

struct StatusVerdict {
  StatusLevel level = StatusLevel::kOk;
  // The texts of the findings at `level`, one per key (the first text of the key), in order.
  std::vector<std::string> reasons;
  int other_findings = 0;  // findings (one per key) below `level`
};

// The worst finding wins (per key, its worst level counts). Without findings: kStarting
// until the first full poll, then kOk.
StatusVerdict DecideVerdict(const std::vector<StatusFinding>& findings, bool first_poll_complete);

}  // namespace gx
