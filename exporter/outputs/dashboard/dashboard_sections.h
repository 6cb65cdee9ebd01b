// The sections of the /dashboard JSON, one writer each. A writer adds its
// top-level member(s) ("registrations": [...], ...) to `w`, which is inside the
// dashboard's object; RenderDashboard calls them in the documented order
// (docs/dashboard.md). Pure functions of their inputs; thread-safe.
#pragma once

#include <vector>

#include "exporter/outputs/alerts/alert.h"
#include "exporter/outputs/dashboard/dashboard.h"
#include "exporter/state/health_state.h"
#include "exporter/state/telephony_state.h"
#include "exporter/util/json_writer.h"

namespace gx {

// The report's totals, counted by the sections that see the entities (before any filter).
struct DashboardCounts {
  int active_users = 0;       // followed users whose phone is registered
  int degraded_carriers = 0;  // carrier trunks not up
};

// "registrations" (followed users, then every phone with per_phone), filtered and paged, and "page".
void WriteRegistrations(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f, const DashboardOptions& opt,
                        DashboardCounts& counts);
// "carriers": every trunk (health-filtered), with its proxies, calls and TLS targets.
void WriteCarriers(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f, const DashboardOptions& opt,
                   DashboardCounts& counts);
// "report": the original HealthReport, plus the 1 h and 24 h windows.
void WriteReport(JsonWriter& w, const TelephonyData& t, const DashboardCounts& counts, UnixNanos now);
// "edges" (site-filtered).
void WriteEdges(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f);
// "certificates": every TLS target and its last probe.
void WriteCertificates(JsonWriter& w, const TelephonyData& t);
// "alerts" (site-filtered), the most severe first.
void WriteAlerts(JsonWriter& w, const std::vector<Alert>& alerts, const DashboardFilters& f);
// "sources" (each poller's freshness) and "genesysUp".
void WriteSources(JsonWriter& w, const HealthData& h, const DashboardOptions& opt, UnixNanos now);
// "updates": pushed vs polled entities, and the notification channels.
void WriteUpdates(JsonWriter& w, const TelephonyData& t, const HealthData& h);

}  // namespace gx
