#include "exporter/outputs/dashboard/dashboard.h"

#include <cstdio>

#include "exporter/outputs/dashboard/dashboard_sections.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"

namespace gx {

DashboardFilterResult ParseDashboardFilters(const std::map<std::string, std::string>& query) {
  DashboardFilterResult r;
  auto get = [&](const char* k) -> const std::string* {
    auto it = query.find(k);
    return it == query.end() ? nullptr : &it->second;
  };
  if (auto v = get("site")) r.filters.site = *v;
  if (auto v = get("health")) {
    if (*v != "up" && *v != "degraded" && *v != "down") {
      r.error = "health must be up, degraded or down";
      return r;
    }
    r.filters.health = *v;
  }
  if (auto v = get("registered")) {
    if (*v == "true" || *v == "1") r.filters.registered = true;
    else if (*v == "false" || *v == "0") r.filters.registered = false;
    else {
      r.error = "registered must be true or false";
      return r;
    }
  }
  auto number = [&](const char* k, std::size_t& out) {
    auto v = get(k);
    if (!v) return true;
    if (v->empty() || v->size() > 9 || v->find_first_not_of("0123456789") != std::string::npos) {
      r.error = std::string(k) + " must be a non-negative integer";
      return false;
    }
    out = std::stoul(*v);
    return true;
  };
  if (!number("limit", r.filters.limit)) return r;
  if (r.filters.limit > kDashboardMaxLimit) {
    r.error = "limit must be at most " + std::to_string(kDashboardMaxLimit) + " (page through the rest with offset)";
    return r;
  }
  number("offset", r.filters.offset);  // at most 9 digits; past the end is an empty page
  return r;
}

std::string DashboardETag(std::string_view body) {
  // generatedAt differs on every request; hashing it would make If-None-Match useless.
  constexpr std::string_view kStamp = "\"generatedAt\":\"";
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view part) {
    for (unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto stamp = body.find(kStamp, pos);
    if (stamp == std::string_view::npos) {
      mix(body.substr(pos));
      break;
    }
    mix(body.substr(pos, stamp - pos + kStamp.size()));
    const auto end = body.find('"', stamp + kStamp.size());
    if (end == std::string_view::npos) break;
    pos = end;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

std::string RenderDashboard(const TelephonyData& t, const HealthData& h, const std::vector<Alert>& alerts,
                            const DashboardFilters& f, const DashboardOptions& opt, UnixNanos now) {
  JsonWriter w;
  w.BeginObject();
  w.Field("generatedAt", FormatIsoTime(now));
  DashboardCounts counts;
  WriteRegistrations(w, t, f, opt, counts);
  WriteCarriers(w, t, f, opt, counts);
  WriteReport(w, t, counts, now);
  WriteEdges(w, t, f);
  WriteCertificates(w, t);
  WriteAlerts(w, alerts, f);
  WriteSources(w, h, opt, now);
  WriteUpdates(w, t, h);
  w.EndObject();
  return w.Take();
}

}  // namespace gx
