// The /dashboard JSON (alias /api/v1/telephony/dashboard): a pure function of the
// state, the exporter's health and the active alerts. It keeps the original
// DashboardData shape (registrations, carriers, report) and adds edges, certificates,
// alerts, source freshness and pushed-vs-polled counts. Schema: docs/dashboard.md.
// Thread-safe (no state); render it from a TelephonySnapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct DashboardFilters {
  std::string site;                 // registrations, edges and alerts of this site
  std::string health;               // carriers with this health: up, degraded, down
  std::optional<bool> registered;   // registrations in this state
  std::size_t limit = 1000;         // registrations per response (50k phones would be ~10 MB)
  std::size_t offset = 0;
};

struct DashboardFilterResult {
  DashboardFilters filters;
  std::string error;  // non-empty: answer 400 with it
};

// The most registrations one response may hold: about 1.5 MB of JSON and tens of ms of CPU,
// where 100,000 (50,000 phones) was 14 MB and most of a second per request; a client pages
// through a large org with offset. A larger limit answers 400.
inline constexpr std::size_t kDashboardMaxLimit = 5000;

// Reads site, health, registered (true/false/1/0), limit and offset.
DashboardFilterResult ParseDashboardFilters(const std::map<std::string, std::string>& query);

struct DashboardOptions {
  bool per_phone = false;                  // one registration per phone, not only per followed user
  std::int64_t qos_mismatch_threshold = 0;
  double stale_after_intervals = kStaleAfterIntervals;  // a source is stale after this many missed intervals
};

std::string RenderDashboard(const TelephonyData& t, const HealthData& h, const std::vector<Alert>& alerts,
                            const DashboardFilters& filters, const DashboardOptions& options, UnixNanos now);

// A strong ETag (quoted) for a rendered body, for If-None-Match: a hash of the body
// with the generatedAt values left out, so an unchanged state keeps its ETag.
std::string DashboardETag(std::string_view body);

}  // namespace gx
