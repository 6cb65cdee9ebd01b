#include "exporter/outputs/alerts/alert_conditions.h"

#include <cstdio>
#include <set>
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
  AlertConditions& out() { return out_; }
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

// `phones` null: the phones' share is left to the caller.
void RegistrationConditions(const TelephonyData& t, const AlertingConfig& cfg, const PhoneConditions* phones,
                            Builder& b) {
  const std::string name(kRegistrationFailure);
  if (!t.phones_loaded) {
    b.Undecided({{"alertname", name}});
    return;
  }
  // Followed users: unregistered, or no phone associated once the user is known.
  for (const auto& [user_id, entry] : t.users) {
    if (!entry.known) {
      b.Undecided({{"alertname", name}, {"user_id", user_id}});
      continue;
    }
    const PhoneEntry* pe = t.PhoneOfUser(user_id);
    if (pe && !pe->phone.status) {
      b.Undecided({{"alertname", name}, {"user_id", user_id}});
      continue;
    }
    if (pe && PhoneRegistered(pe->phone)) continue;
    if (!pe && !t.stations_loaded && !entry.station.station_id.empty()) {
      b.Undecided({{"alertname", name}, {"user_id", user_id}});
      continue;
    }
    std::string site = pe ? PhoneSiteLabel(pe->phone) : SiteLabel({});
    std::string summary = pe ? "user " + user_id + ": phone " + pe->phone.name + " is not registered"
                             : "user " + user_id + ": no phone associated (no station)";
    // warning, as GenesysUserUnregistered: one person cannot take calls, not a site.
    Alert& a = b.Add(name, {{"scope", "user"}, {"user_id", user_id}, {"site", site}}, "warning", summary);
    a.facts.user_id = user_id;
    a.facts.registered = false;
    if (pe) FillPhoneFacts(a.facts, pe->phone);
  }

  // Phones with per-phone alerting, then the sites' line ratios.
  if (phones) phones->AppendTo(b.out(), cfg);
}

void CarrierConditions(const TelephonyData& t, const AlertEvalOptions& opt, Builder& b) {
  const std::string name(kCarrierDegradation);
  if (!t.trunks_loaded) {
    b.Undecided({{"alertname", name}});
    return;
  }
  for (const auto& [id, te] : t.trunks) {
    const Trunk& tr = te.trunk;
    if (!tr.state.empty() && tr.state != "active") continue;
    if (!IsCarrierTrunk(tr)) continue;  // PHONE and EDGE trunks are Genesys-internal
    const TrunkMetrics* metrics = t.trunk_metrics.Find(id);
    const TrunkHealth h = TrunkHealthOf(t, tr, opt.qos_mismatch_threshold);
    if (h == TrunkHealth::kUp) {
      // Up without QoS data is not known to be up until the metrics have been polled once.
      if (!metrics && !t.trunk_metrics_loaded) b.Undecided({{"alertname", name}, {"trunk_id", id}});
      continue;
    }
    const std::string health(TrunkHealthName(h));
    Alert& a = b.Add(name, {{"trunk_id", id}, {"trunk_name", tr.name}},
                     h == TrunkHealth::kDown ? "critical" : "warning", "trunk " + tr.name + " is " + health);
    a.facts.carrier_health = health;
    a.facts.device_id = id;
  }
}

void TlsConditions(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt, UnixNanos now,
                   Builder& b) {
  const std::string name(kTlsCertExpiry);
  const UnixNanos warn = SecondsToNanos(cfg.tls_warning.count());
  const UnixNanos crit = SecondsToNanos(cfg.tls_critical.count());
  // Until discovery has seen the trunk inventory, a target missing from the list may
  // just not be re-discovered yet; once complete, a missing target is gone.
  const bool complete = t.tls_targets_complete || !opt.tls_probes_enabled;
  if (!complete) b.Undecided({{"alertname", name}});
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
      severity = "critical";
      summary = "certificate of " + key + " fails verification: " + r.verify_result;
    } else if (earliest - now <= crit) {
      severity = "critical";
      summary = "certificate of " + key + Fmt(" expires in %.1f days", days);
    } else if (earliest - now <= warn) {
      severity = "warning";
      summary = "certificate of " + key + Fmt(" expires in %.1f days", days);
    } else {
      continue;
    }
    Alert& a = b.Add(name, {{"target", key}}, severity, summary);
    a.facts.tls_valid = verified;  // the chain and host name verify; an expiring certificate may
    a.facts.device_id = key;
  }
}

void EdgeConditions(const TelephonyData& t, Builder& b) {
  const std::string name(kEdgeOffline);
  if (!t.edges_loaded) {
    b.Undecided({{"alertname", name}});
    return;
  }
  for (const auto& [id, ee] : t.edges) {
    const Edge& e = ee.edge;
    if (!e.state.empty() && e.state != "active") continue;
    if (e.online_status.empty()) {  // the listing did not say
      b.Undecided({{"alertname", name}, {"edge_id", id}});
      continue;
    }
    if (e.online_status == "ONLINE") continue;
    const std::string& site = SiteLabel(e.site);
    Alert& a = b.Add(name, {{"edge_id", id}, {"edge_name", e.name}, {"site", site}}, "critical",
                     "edge " + e.name + " is " + e.online_status);
    a.facts.device_id = id;
  }
}

void BlindConditions(const HealthData& h, const AlertEvalOptions& opt, Builder& b) {
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
void SpoolConditions(const HealthData& h, Builder& b) {
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

namespace {

AlertConditions Collect(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                        const AlertEvalOptions& opt, UnixNanos now, bool phone_share, PhoneConditions* phones) {
  AlertConditions out;
  Builder b(cfg, out);
  if (RuleEnabled(cfg, kRegistrationFailure)) {
    PhoneConditions fresh;
    PhoneConditions* kept = nullptr;
    if (phone_share) {
      kept = phones ? phones : &fresh;
      kept->Update(t, cfg);
    }
    RegistrationConditions(t, cfg, kept, b);
  }
  if (RuleEnabled(cfg, kCarrierDegradation)) CarrierConditions(t, opt, b);
  if (RuleEnabled(cfg, kTlsCertExpiry)) TlsConditions(t, cfg, opt, now, b);
  if (RuleEnabled(cfg, kEdgeOffline)) EdgeConditions(t, b);
  if (RuleEnabled(cfg, kMonitoringBlind)) BlindConditions(h, opt, b);
  if (RuleEnabled(cfg, kMonitoringBlind)) SpoolConditions(h, b);
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
