#include "exporter/outputs/alerts/alert_conditions.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "exporter/state/domain_facts.h"
#include "exporter/state/registration.h"
#include "exporter/state/trunk_health.h"
#include "exporter/util/time_math.h"

namespace gx {
namespace {

const AlertRuleConfig* Rule(const AlertingConfig& cfg, std::string_view name) {
  auto it = cfg.rules.find(std::string(name));
  return it == cfg.rules.end() ? nullptr : &it->second;
}

class Builder {
 public:
  Builder(const AlertingConfig& cfg, AlertConditions& out) : cfg_(cfg), out_(out) {}

  Alert& Add(std::string_view name, AlertLabels labels, std::string_view default_severity, std::string summary) {
    out_.active.push_back(ConditionAlert(cfg_, name, std::move(labels), default_severity, std::move(summary)));
    return out_.active.back();
  }
  void Undecided(AlertLabels matcher) { out_.undecided.push_back(std::move(matcher)); }
  void Decided(AlertLabels matcher) { out_.decided.push_back(std::move(matcher)); }

 private:
  const AlertingConfig& cfg_;
  AlertConditions& out_;
};

template <typename... Args>
std::string Fmt(const char* fmt, Args... args) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

// Followed users: unregistered, or no phone associated once the user is known.
const PhoneEntry* UserConditionsOf(const TelephonyData& t, const std::string& user_id, const UserEntry& entry,
                                   Builder& b) {
  const std::string name(kRegistrationFailure);
  if (!entry.known) {
    b.Undecided({{"alertname", name}, {"user_id", user_id}});
    return nullptr;
  }
  const PhoneEntry* pe = t.PhoneOfUser(user_id);
  if (pe && !pe->phone.status) {
    b.Undecided({{"alertname", name}, {"user_id", user_id}});
    return pe;
  }
  if (pe && PhoneRegistered(pe->phone)) return pe;
  if (!pe && !t.stations_loaded && !entry.station.station_id.empty()) {
    b.Undecided({{"alertname", name}, {"user_id", user_id}});
    return nullptr;
  }
  std::string site = pe ? PhoneSiteLabel(pe->phone) : SiteLabel({});
  std::string summary = pe ? "user " + user_id + ": phone " + pe->phone.name + " is not registered"
                           : "user " + user_id + ": no phone associated (no station)";
  // warning, as GenesysUserUnregistered: one person cannot take calls, not a site.
  Alert& a = b.Add(name, {{"scope", "user"}, {"user_id", user_id}, {"site", site}}, "warning", summary);
  a.facts.user_id = user_id;
  a.facts.registered = false;
  if (pe) FillPhoneFacts(a.facts, pe->phone);
  return pe;
}

void TrunkConditionsOf(const TelephonyData& t, const std::string& id, const TrunkEntry& te,
                       const AlertEvalOptions& opt, Builder& b) {
  const std::string name(kCarrierDegradation);
  const Trunk& tr = te.trunk;
  if (!tr.state.empty() && tr.state != "active") return;
  if (!IsCarrierTrunk(tr)) return;  // PHONE and EDGE trunks are Genesys-internal
  const TrunkMetrics* metrics = t.trunk_metrics.Find(id);
  const TrunkHealth h = TrunkHealthOf(t, tr, opt.qos_mismatch_threshold);
  if (h == TrunkHealth::kUp) {
    // Up without QoS data is not known to be up until the metrics have been polled once.
    if (!metrics && !t.trunk_metrics_loaded) b.Undecided({{"alertname", name}, {"trunk_id", id}});
    return;
  }
  const std::string health(TrunkHealthName(h));
  Alert& a = b.Add(name, {{"trunk_id", id}, {"trunk_name", tr.name}}, h == TrunkHealth::kDown ? "critical" : "warning",
                   "trunk " + tr.name + " is " + health);
  a.facts.carrier_health = health;
  a.facts.device_id = id;
}

// The days a summary gives are rounded to a tenth: when that tenth next changes, a second early.
UnixNanos NextTenthOfADay(UnixNanos expiry, UnixNanos now) {
  constexpr UnixNanos kTenth = 8640 * kNanosPerSecond;
  const UnixNanos left = expiry - now;
  if (left < kTenth / 2) return expiry;  // "0.0" until it has expired
  const UnixNanos boundary = (left - kTenth / 2) / kTenth * kTenth + kTenth / 2;  // the last one at or below `left`
  return expiry - boundary - kNanosPerSecond;
}

// Returns until when the verdicts hold as they are, time alone moving.
UnixNanos TlsConditionsOf(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                          UnixNanos now, Builder& b) {
  const std::string name(kTlsCertExpiry);
  const UnixNanos warn = SecondsToNanos(cfg.tls_warning.count());
  const UnixNanos crit = SecondsToNanos(cfg.tls_critical.count());
  // Until discovery has seen the trunk inventory, a target missing from the list may
  // just not be re-discovered yet; once complete, a missing target is gone.
  const bool complete = t.tls_targets_complete || !opt.tls_probes_enabled;
  if (!complete) b.Undecided({{"alertname", name}});
  UnixNanos until = std::numeric_limits<UnixNanos>::max();
  for (const auto& [key, entry] : t.tls) {
    if (!entry.result) {
      b.Undecided({{"alertname", name}, {"target", key}});
      continue;
    }
    const TlsProbeResult& r = *entry.result;
    if (r.chain.empty()) {
      // No certificate seen (connect or handshake failed): nothing to judge. The probe
      // failure itself is visible as genesys_tls_probe_success.
      b.Undecided({{"alertname", name}, {"target", key}});
      continue;
    }
    if (!complete) b.Decided({{"alertname", name}, {"target", key}});
    UnixNanos earliest = r.chain.front().not_after;
    for (const auto& c : r.chain) earliest = std::min(earliest, c.not_after);
    const bool verified = r.chain_verified && r.hostname_verified;
    const double days = ToSeconds(earliest - now) / 86400.0;
    std::string severity, summary;
    if (earliest <= now) {
      severity = "critical";
      summary = "certificate of " + key + " has expired";
    } else if (!verified) {
      until = std::min(until, earliest);
      severity = "critical";
      summary = "certificate of " + key + " fails verification: " + r.verify_result;
    } else if (earliest - now <= crit) {
      until = std::min(until, NextTenthOfADay(earliest, now));
      severity = "critical";
      summary = "certificate of " + key + Fmt(" expires in %.1f days", days);
    } else if (earliest - now <= warn) {
      until = std::min({until, earliest - crit, NextTenthOfADay(earliest, now)});
      severity = "warning";
      summary = "certificate of " + key + Fmt(" expires in %.1f days", days);
    } else {
      until = std::min(until, earliest - warn);
      continue;
    }
    Alert& a = b.Add(name, {{"target", key}}, severity, summary);
    a.facts.tls_valid = verified;  // the chain and host name verify; an expiring certificate may
    a.facts.device_id = key;
  }
  return until;
}

void EdgeConditionsOf(const std::string& id, const EdgeEntry& ee, Builder& b) {
  const std::string name(kEdgeOffline);
  const Edge& e = ee.edge;
  if (!e.state.empty() && e.state != "active") return;
  if (e.online_status.empty()) {  // the listing did not say
    b.Undecided({{"alertname", name}, {"edge_id", id}});
    return;
  }
  if (e.online_status == "ONLINE") return;
  const std::string& site = SiteLabel(e.site);
  Alert& a = b.Add(name, {{"edge_id", id}, {"edge_name", e.name}, {"site", site}}, "critical",
                   "edge " + e.name + " is " + e.online_status);
  a.facts.device_id = id;
}

// An inventory not loaded yet: every condition of `alertname` is undecided, and none of its
// entities counts. False then.
bool Loaded(bool loaded, std::string_view alertname, AlertConditions& out) {
  if (!loaded) out.undecided.push_back({{"alertname", std::string(alertname)}});
  return loaded;
}

void BlindConditionsOf(const HealthData& h, const AlertEvalOptions& opt, Builder& b) {
  const std::string name(kMonitoringBlind);
  // The API: the last authenticated call failed, or a REST source is failing or stale
  // (a stale one may still be stuck in its first run).
  bool api_failing = h.genesys_up.has_value() && !*h.genesys_up;
  bool all_ran = true;  // healthy is known only once every REST source has run
  std::string why = api_failing ? "the Genesys Cloud API is failing" : "";
  for (const auto& [source, c] : h.sources) {
    if (source == "notifications" || source == "tls") continue;
    all_ran = all_ran && c.ran;
    if ((c.ran || c.stale) && !c.up) {
      if (!api_failing) why = "source " + source + (c.stale ? " is stale" : " is failing");
      api_failing = true;
    }
  }
  if (api_failing) {
    b.Add(name, {{"source", "api"}}, "critical", why);
  } else if (!h.genesys_up.has_value() || !all_ran) {
    b.Undecided({{"alertname", name}, {"source", "api"}});
  }

  if (!opt.notifications_enabled) return;  // turned off: its alert resolves
  auto n = h.sources.find("notifications");
  if (n == h.sources.end() || !n->second.ran) {
    b.Undecided({{"alertname", name}, {"source", "notifications"}});
  } else if (!n->second.up) {
    b.Add(name, {{"source", "notifications"}}, "warning", "the notification stream is down");
  }
}

// The spool folder cannot be written: alert messages still go out, from memory, but a
// restart loses them and the alert state, so it would re-page or miss resolves.
void SpoolConditionsOf(const HealthData& h, Builder& b) {
  if (!h.spool.in_use || h.spool.writable()) return;
  b.Add(kMonitoringBlind, {{"source", "spool"}}, "warning",
        "the spool folder " + h.spool.dir + " cannot be written: queued notifications and alert state are not durable");
}

}  // namespace

std::string RuleSeverity(const AlertingConfig& cfg, std::string_view alertname, std::string_view fallback) {
  const AlertRuleConfig* r = Rule(cfg, alertname);
  return r && !r->severity.empty() ? r->severity : std::string(fallback);
}

Alert ConditionAlert(const AlertingConfig& cfg, std::string_view alertname, AlertLabels labels,
                     std::string_view default_severity, std::string summary) {
  labels["alertname"] = std::string(alertname);
  Alert a;
  a.fingerprint = AlertFingerprint(labels);
  a.labels = std::move(labels);
  a.severity = RuleSeverity(cfg, alertname, default_severity);
  a.summary = std::move(summary);
  return a;
}

void FillPhoneFacts(AlertFacts& f, const Phone& p) {
  f.device_id = p.id;
  f.registered = PhoneRegistered(p);
  if (!p.media_codecs.empty()) f.codec = p.media_codecs.front();
}

bool RuleEnabled(const AlertingConfig& cfg, std::string_view alertname) {
  const AlertRuleConfig* r = Rule(cfg, alertname);
  return !r || r->enabled;
}

Seconds RuleForDuration(const AlertingConfig& cfg, std::string_view alertname) {
  const AlertRuleConfig* r = Rule(cfg, alertname);
  if (r && r->for_duration.count() >= 0) return r->for_duration;
  if (alertname == kTlsCertExpiry) return Seconds(0);
  if (alertname == kMonitoringBlind) return cfg.blind_after;
  return Seconds(60);
}

bool UserKindConditions(const TelephonyData& t, AlertConditions& out) {
  return Loaded(t.phones_loaded, kRegistrationFailure, out);
}

const PhoneEntry* UserConditions(const TelephonyData& t, const std::string& user_id, const UserEntry& entry,
                                 const AlertingConfig& cfg, AlertConditions& out) {
  Builder b(cfg, out);
  return UserConditionsOf(t, user_id, entry, b);
}

bool CarrierKindConditions(const TelephonyData& t, AlertConditions& out) {
  return Loaded(t.trunks_loaded, kCarrierDegradation, out);
}

void TrunkConditions(const TelephonyData& t, const std::string& id, const TrunkEntry& te, const AlertingConfig& cfg,
                     const AlertEvalOptions& opt, AlertConditions& out) {
  Builder b(cfg, out);
  TrunkConditionsOf(t, id, te, opt, b);
}

bool EdgeKindConditions(const TelephonyData& t, AlertConditions& out) {
  return Loaded(t.edges_loaded, kEdgeOffline, out);
}

void EdgeConditions(const std::string& id, const EdgeEntry& ee, const AlertingConfig& cfg, AlertConditions& out) {
  Builder b(cfg, out);
  EdgeConditionsOf(id, ee, b);
}

UnixNanos TlsConditions(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                        UnixNanos now, AlertConditions& out) {
  Builder b(cfg, out);
  return TlsConditionsOf(t, cfg, opt, now, b);
}

void HealthConditions(const HealthData& h, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                      AlertConditions& out) {
  Builder b(cfg, out);
  BlindConditionsOf(h, opt, b);
  SpoolConditionsOf(h, b);
}

namespace {

AlertConditions Collect(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                        const AlertEvalOptions& opt, UnixNanos now, bool phone_share, PhoneConditions* phones) {
  AlertConditions out;
  if (RuleEnabled(cfg, kRegistrationFailure) && UserKindConditions(t, out)) {
    for (const auto& [user_id, entry] : t.users) UserConditions(t, user_id, entry, cfg, out);
    if (phone_share) {
      // Phones with per-phone alerting, then the sites' line ratios.
      PhoneConditions fresh;
      PhoneConditions& kept = phones ? *phones : fresh;
      kept.Update(t, cfg);
      kept.AppendTo(out, cfg);
    }
  } else if (phone_share && phones && RuleEnabled(cfg, kRegistrationFailure)) {
    phones->Update(t, cfg);  // kept up to date, though the inventory does not count yet
  }
  if (RuleEnabled(cfg, kCarrierDegradation) && CarrierKindConditions(t, out)) {
    for (const auto& [id, te] : t.trunks) TrunkConditions(t, id, te, cfg, opt, out);
  }
  if (RuleEnabled(cfg, kTlsCertExpiry)) TlsConditions(t, cfg, opt, now, out);
  if (RuleEnabled(cfg, kEdgeOffline) && EdgeKindConditions(t, out)) {
    for (const auto& [id, ee] : t.edges) EdgeConditions(id, ee, cfg, out);
  }
  if (RuleEnabled(cfg, kMonitoringBlind)) HealthConditions(h, cfg, opt, out);
  return out;
}

}  // namespace

AlertConditions CollectAlertConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now, PhoneConditions* phones) {
  return Collect(t, h, cfg, opt, now, true, phones);
}

AlertConditions CollectOtherConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now) {
  return Collect(t, h, cfg, opt, now, false, nullptr);
}

bool MatchesLabels(const Alert& a, const AlertLabels& matcher) {
  for (const auto& [k, v] : matcher) {
    auto it = a.labels.find(k);
    if (it == a.labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace gx
