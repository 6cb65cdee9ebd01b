#include "exporter/outputs/dashboard/dashboard_sections.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "exporter/state/domain_facts.h"
#include "exporter/state/registration.h"
#include "exporter/state/trunk_health.h"
#include "exporter/util/iso_time.h"

namespace gx {
namespace {

void Time(JsonWriter& w, std::string_view key, std::optional<UnixNanos> t) {
  w.Key(key);
  if (t && *t > 0) w.String(FormatIsoTime(*t));
  else w.Null();
}

void OptBool(JsonWriter& w, std::string_view key, std::optional<bool> b) {
  w.Key(key);
  if (b) w.Bool(*b);
  else w.Null();
}

template <typename Map>
std::vector<std::string> SortedKeys(const Map& m) {
  std::vector<std::string> keys;
  keys.reserve(m.size());
  for (const auto& [k, v] : m) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

struct Registration {
  std::string user_id;
  const PhoneEntry* phone = nullptr;
  Freshness user_fresh;
};

void WriteRegistration(JsonWriter& w, const Registration& r) {
  const Phone* p = r.phone ? &r.phone->phone : nullptr;
  w.BeginObject();
  w.Field("userId", r.user_id);
  w.Field("deviceId", p ? p->id : "unknown");
  w.Field("registered", p != nullptr && PhoneRegistered(*p));
  w.Field("codec", p && !p->media_codecs.empty() ? p->media_codecs.front() : "unknown");
  Time(w, "lastChecked", r.phone ? r.phone->fresh.last_seen : r.user_fresh.last_seen);
  w.Field("phoneName", p ? p->name : "");
  w.Field("site", p ? PhoneSiteLabel(*p) : SiteLabel({}));
  w.Field("operationalStatus", p ? PhoneOperationalStatus(*p) : "UNKNOWN");
  Time(w, "lastChange", r.phone ? r.phone->fresh.last_change : r.user_fresh.last_change);
  w.Field("linesTotal", p ? PhoneLineCount(*p) : 0);
  w.Field("linesRegistered", p ? PhoneReachableLineCount(*p) : 0);
  w.Field("source", r.phone && r.phone->pushed ? "pushed" : "polled");
  w.EndObject();
}

void Window(JsonWriter& w, std::string_view key, const WindowTotals& t) {
  w.Key(key).BeginObject();
  w.Field("totalChecks", static_cast<std::int64_t>(t.checks));
  w.Field("successCount", static_cast<std::int64_t>(t.checks - std::min(t.failures, t.checks)));
  w.Field("failureCount", static_cast<std::int64_t>(t.failures));
  w.Field("successRate", t.checks ? 100.0 * static_cast<double>(t.checks - std::min(t.failures, t.checks)) /
                                        static_cast<double>(t.checks)
                                  : 0.0);
  w.EndObject();
}

}  // namespace

void WriteRegistrations(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f, const DashboardOptions& opt,
                        DashboardCounts& counts) {
  // One per followed user, then (per_phone) one per phone.
  std::vector<Registration> regs;
  for (const auto& [user_id, u] : t.users) {
    Registration r{user_id, t.PhoneOfUser(user_id), u.fresh};
    if (r.phone && PhoneRegistered(r.phone->phone)) ++counts.active_users;
    regs.push_back(r);
  }
  if (opt.per_phone) {
    for (const auto& id : SortedKeys(t.phones)) regs.push_back({"", &t.phones.at(id), {}});
  }
  auto keep = [&](const Registration& r) {
    if (!f.site.empty() && (!r.phone || PhoneSiteLabel(r.phone->phone) != f.site)) return false;
    if (f.registered && (r.phone != nullptr && PhoneRegistered(r.phone->phone)) != *f.registered) return false;
    return true;
  };
  std::size_t matched = 0, written = 0;
  w.Key("registrations").BeginArray();
  for (const auto& r : regs) {
    if (!keep(r)) continue;
    if (matched++ < f.offset || written >= f.limit) continue;
    WriteRegistration(w, r);
    ++written;
  }
  w.EndArray();
  w.Key("page").BeginObject();
  w.Field("total", static_cast<std::int64_t>(matched));
  w.Field("offset", static_cast<std::int64_t>(f.offset));
  w.Field("limit", static_cast<std::int64_t>(f.limit));
  w.Field("returned", static_cast<std::int64_t>(written));
  w.EndObject();
}

void WriteCarriers(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f, const DashboardOptions& opt,
                   DashboardCounts& counts) {
  // The TLS targets that serve each trunk.
  std::map<std::string, std::vector<std::string>> tls_of_trunk;
  for (const auto& [key, e] : t.tls) {
    for (const auto& id : e.target.trunk_ids) tls_of_trunk[id].push_back(key);
  }
  w.Key("carriers").BeginArray();
  for (const auto& id : SortedKeys(t.trunks)) {
    const TrunkEntry& te = t.trunks.at(id);
    const Trunk& tr = te.trunk;
    const TrunkMetrics* metrics = t.trunk_metrics.Find(id);
    const TrunkHealth health = TrunkHealthOf(t, tr, opt.qos_mismatch_threshold);
    const bool carrier = IsCarrierTrunk(tr);
    if (carrier && health != TrunkHealth::kUp) ++counts.degraded_carriers;
    if (!f.health.empty() && TrunkHealthName(health) != f.health) continue;
    w.BeginObject();
    w.Field("providerId", tr.id);
    w.Field("name", tr.name);
    w.Field("status", tr.state.empty() ? "unknown" : tr.state);
    w.Field("health", TrunkHealthName(health));
    w.Field("type", tr.trunk_type);
    w.Field("edgeId", tr.edge.id);
    OptBool(w, "connected", tr.connected);
    OptBool(w, "inService", tr.in_service);
    OptBool(w, "enabled", tr.enabled);
    w.Key("proxies").BeginArray();
    for (const auto* list : {&tr.options, &tr.registers}) {
      for (const auto& p : *list) {
        w.BeginObject();
        w.Field("address", p.proxy_address);
        w.Field("kind", list == &tr.options ? "options" : "register");
        w.Field("up", p.up);
        Time(w, "stateChange", p.state_time);
        w.EndObject();
      }
    }
    w.EndArray();
    w.Key("calls").BeginObject();
    w.Key("inbound");
    if (metrics && metrics->inbound_calls) w.Int(*metrics->inbound_calls);
    else w.Null();
    w.Key("outbound");
    if (metrics && metrics->outbound_calls) w.Int(*metrics->outbound_calls);
    else w.Null();
    w.EndObject();
    w.Key("tlsTargets").BeginArray();
    if (auto it = tls_of_trunk.find(id); it != tls_of_trunk.end()) {
      for (const auto& k : it->second) w.String(k);
    }
    w.EndArray();
    w.Field("source", te.pushed ? "pushed" : "polled");
    Time(w, "lastChange", te.fresh.last_change);
    w.EndObject();
  }
  w.EndArray();
}

void WriteReport(JsonWriter& w, const TelephonyData& t, const DashboardCounts& counts, UnixNanos now) {
  w.Key("report").BeginObject();
  w.Field("generatedAt", FormatIsoTime(now));
  w.Field("totalChecks", static_cast<std::int64_t>(t.registration_checks));
  w.Field("successCount", static_cast<std::int64_t>(t.registration_successes));
  w.Field("successRate", t.registration_checks ? 100.0 * static_cast<double>(t.registration_successes) /
                                                     static_cast<double>(t.registration_checks)
                                               : 0.0);
  w.Field("lastFailureTime", t.last_registration_failure ? FormatIsoTime(*t.last_registration_failure) : "none");
  w.Field("activeUsers", counts.active_users);
  w.Field("degradedCarriers", counts.degraded_carriers);
  Window(w, "lastHour", t.RegistrationTotalsSince(now, 60));
  Window(w, "last24Hours", t.RegistrationTotalsSince(now, 24 * 60));
  w.EndObject();
}

void WriteEdges(JsonWriter& w, const TelephonyData& t, const DashboardFilters& f) {
  w.Key("edges").BeginArray();
  for (const auto& id : SortedKeys(t.edges)) {
    const EdgeEntry& ee = t.edges.at(id);
    const Edge& e = ee.edge;
    if (!f.site.empty() && SiteLabel(e.site) != f.site) continue;
    w.BeginObject();
    w.Field("id", e.id);
    w.Field("name", e.name);
    w.Field("site", SiteLabel(e.site));
    w.Field("onlineStatus", e.online_status.empty() ? "UNKNOWN" : e.online_status);
    w.Field("softwareVersion", e.software_version);
    w.Key("uptimeSeconds");
    auto m = t.edge_metrics.find(id);
    if (m != t.edge_metrics.end() && m->second.uptime_ms) w.Number(static_cast<double>(*m->second.uptime_ms) / 1000);
    else w.Null();
    w.Field("source", ee.pushed ? "pushed" : "polled");
    Time(w, "lastChange", ee.fresh.last_change);
    w.EndObject();
  }
  w.EndArray();
}

void WriteCertificates(JsonWriter& w, const TelephonyData& t) {
  w.Key("certificates").BeginArray();
  for (const auto& [key, e] : t.tls) {
    w.BeginObject();
    w.Field("target", key);
    w.Field("source", e.target.source);
    w.Key("trunkIds").BeginArray();
    for (const auto& id : e.target.trunk_ids) w.String(id);
    w.EndArray();
    if (e.result) {
      const TlsProbeResult& r = *e.result;
      w.Field("success", r.success);
      w.Field("verified", r.chain_verified && r.hostname_verified);
      w.Field("verifyResult", r.verify_result);
      w.Field("tlsVersion", r.tls_version);
      w.Field("error", r.error);
      std::optional<UnixNanos> earliest;
      for (const auto& c : r.chain) earliest = earliest ? std::min(*earliest, c.not_after) : c.not_after;
      Time(w, "notAfter", earliest);
      Time(w, "probedAt", r.probed_at);
      w.Key("chain").BeginArray();
      for (const auto& c : r.chain) {
        w.BeginObject();
        w.Field("position", c.position);
        w.Field("subjectCn", c.subject_cn);
        w.Field("issuerCn", c.issuer_cn);
        w.Field("serial", c.serial);
        Time(w, "notBefore", c.not_before);
        Time(w, "notAfter", c.not_after);
        w.EndObject();
      }
      w.EndArray();
    } else {
      w.Key("success").Null();
      w.Key("probedAt").Null();
    }
    w.EndObject();
  }
  w.EndArray();
}

void WriteAlerts(JsonWriter& w, const std::vector<Alert>& alerts, const DashboardFilters& f) {
  std::vector<const Alert*> sorted;
  for (const auto& a : alerts) {
    if (!f.site.empty()) {
      auto s = a.labels.find("site");
      if (s == a.labels.end() || s->second != f.site) continue;
    }
    sorted.push_back(&a);
  }
  std::sort(sorted.begin(), sorted.end(), [](const Alert* a, const Alert* b) {
    if (SeverityRank(a->severity) != SeverityRank(b->severity)) return SeverityRank(a->severity) > SeverityRank(b->severity);
    return a->fingerprint < b->fingerprint;
  });
  w.Key("alerts").BeginArray();
  for (const Alert* a : sorted) {
    w.BeginObject();
    w.Field("fingerprint", a->fingerprint);
    w.Field("alertname", a->name());
    w.Field("status", AlertStatusName(a->status));
    w.Field("severity", a->severity);
    w.Field("summary", a->summary);
    w.Key("labels").BeginObject();
    for (const auto& [k, v] : a->labels) w.Field(k, v);
    w.EndObject();
    Time(w, "activeSince", a->active_since);
    Time(w, "firedAt", a->fired_at);
    w.EndObject();
  }
  w.EndArray();
}

void WriteSources(JsonWriter& w, const HealthData& h, const DashboardOptions& opt, UnixNanos now) {
  w.Key("sources").BeginArray();
  for (const auto& [name, c] : h.sources) {
    const double interval = c.interval_seconds > 0 ? c.interval_seconds : c.configured_interval_seconds;
    const bool stale = !SucceededWithinBound(c, now, opt.stale_after_intervals);
    w.BeginObject();
    w.Field("collector", name);
    w.Field("up", c.up);
    Time(w, "lastSuccess", c.last_success);
    w.Field("stale", stale);
    w.Field("intervalSeconds", interval);
    w.EndObject();
  }
  w.EndArray();
  OptBool(w, "genesysUp", h.genesys_up);
}

void WriteUpdates(JsonWriter& w, const TelephonyData& t, const HealthData& h) {
  int pushed[3] = {0, 0, 0}, total[3] = {0, 0, 0};
  for (const auto& [id, e] : t.phones) pushed[0] += e.pushed, ++total[0];
  for (const auto& [id, e] : t.trunks) pushed[1] += e.pushed, ++total[1];
  for (const auto& [id, e] : t.edges) pushed[2] += e.pushed, ++total[2];
  w.Key("updates").BeginObject();
  const char* names[3] = {"phones", "trunks", "edges"};
  for (int i = 0; i < 3; ++i) {
    w.Key(names[i]).BeginObject();
    w.Field("pushed", pushed[i]);
    w.Field("polled", total[i] - pushed[i]);
    w.EndObject();
  }
  w.Key("notifications").BeginObject();
  w.Field("connected", h.notifications.connected);
  w.Field("channels", h.notifications.channels);
  w.Field("subscribedTopics", h.notifications.subscribed_topics);
  Time(w, "lastMessage", h.notifications.last_message);
  w.EndObject();
  w.EndObject();
}

}  // namespace gx
