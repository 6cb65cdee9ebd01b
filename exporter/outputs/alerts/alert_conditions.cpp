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

std::string Severity(const AlertingConfig& cfg, std::string_view name, std::string_view fallback) {
  const AlertRuleConfig* r = Rule(cfg, name);
  return r && !r->severity.empty() ? r->severity : std::string(fallback);
}

class Builder {
 public:
  Builder(const AlertingConfig& cfg, AlertConditions& out) : cfg_(cfg), out_(out) {}

  Alert& Add(std::string_view name, AlertLabels labels, std::string_view default_severity, std::string summary) {
    labels["alertname"] = std::string(name);
    Alert a;
    a.fingerprint = AlertFingerprint(labels);
    a.labels = std::move(labels);
    a.severity = Severity(cfg_, name, default_severity);
    a.summary = std::move(summary);
    out_.active.push_back(std::move(a));
    return out_.active.back();
  }
  void Undecided(AlertLabels matcher) { out_.undecided.push_back(std::move(matcher)); }
  void Decided(AlertLabels matcher) { out_.decided.push_back(std::move(matcher)); }

 private:
  const AlertingConfig& cfg_;
  AlertConditions& out_;
};

bool PhoneActive(const Phone& p) { return p.state.empty() || p.state == "active"; }

void FillPhoneFacts(AlertFacts& f, const Phone& p) {
  f.device_id = p.id;
  f.registered = PhoneRegistered(p);
  if (!p.media_codecs.empty()) f.codec = p.media_codecs.front();
}

template <typename... Args>
std::string Fmt(const char* fmt, Args... args) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

void RegistrationConditions(const TelephonyData& t, const AlertingConfig& cfg, Builder& b) {
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
    std::string site = pe ? PhoneSiteLabel(pe->phone) : "none";
    std::string summary = pe ? "user " + user_id + ": phone " + pe->phone.name + " is not registered"
                             : "user " + user_id + ": no phone associated (no station)";
    // warning, as GenesysUserUnregistered: one person cannot take calls, not a site.
    Alert& a = b.Add(name, {{"scope", "user"}, {"user_id", user_id}, {"site", site}}, "warning", summary);
    a.facts.user_id = user_id;
    a.facts.registered = false;
    if (pe) FillPhoneFacts(a.facts, pe->phone);
  }

  // Phones with per-phone alerting.
  std::set<std::string> chosen(cfg.phones.begin(), cfg.phones.end());
  auto phone_alert = [&](const PhoneEntry& pe) {
    const Phone& p = pe.phone;
    if (!PhoneActive(p)) return;
    if (!p.status) {  // listed, but its status not read yet
      b.Undecided({{"alertname", name}, {"scope", "phone"}, {"phone_id", p.id}});
      return;
    }
    if (PhoneRegistered(p)) return;
    Alert& a = b.Add(name, {{"scope", "phone"}, {"phone_id", p.id}, {"phone_name", p.name}, {"site", PhoneSiteLabel(p)}},
                     "warning", "phone " + p.name + " is not registered (" + PhoneOperationalStatus(p) + ")");
    FillPhoneFacts(a.facts, p);
  };
  if (cfg.per_phone) {
    for (const auto& [id, pe] : t.phones) phone_alert(pe);
  } else {
    for (const auto& id : chosen) {
      if (auto it = t.phones.find(id); it != t.phones.end()) phone_alert(it->second);
    }
  }

  // Sites whose share of unregistered lines is above a threshold: warning, then critical, as in
  // GenesysSiteRegistrationLow.
  struct Lines {
    long total = 0, reachable = 0;
    bool unknown = false;  // a phone of the site has no status yet
  };
  std::map<std::string, Lines> sites;
  for (const auto& [id, pe] : t.phones) {
    const Phone& p = pe.phone;
    if (!PhoneActive(p)) continue;
    Lines& l = sites[PhoneSiteLabel(p)];
    if (!p.status) {
      l.unknown = true;
      continue;
    }
    l.total += PhoneLineCount(p);
    l.reachable += PhoneReachableLineCount(p);
  }
  for (const auto& [site, l] : sites) {
    // One division, so that exactly 10 % or 50 % is on the threshold, not a rounding error past it.
    const double ratio =
        l.total > 0 ? static_cast<double>(l.total - l.reachable) / static_cast<double>(l.total) : 0.0;
    if (l.total <= 0 || l.total < cfg.site_min_lines || ratio <= cfg.site_unregistered_ratio) {
      // Below the threshold on what is known; the phones without a status could change that.
      if (l.unknown) b.Undecided({{"alertname", name}, {"scope", "site"}, {"site", site}});
      continue;
    }
    const char* severity = ratio > cfg.site_unregistered_ratio_critical ? "critical" : "warning";
    Alert& a = b.Add(name, {{"scope", "site"}, {"site", site}}, severity,
                     "site " + site + ": " +
                         Fmt("%.0f%% of %.0f lines unregistered", ratio * 100, static_cast<double>(l.total)));
    a.facts.registered = false;
  }
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
  // The API: the last authenticated call failed, or a REST collector is failing or stale
  // (a stale one may still be stuck in its first run).
  bool api_failing = h.genesys_up.has_value() && !*h.genesys_up;
  bool all_ran = true;  // healthy is known only once every REST collector has run
  std::string why = api_failing ? "the Genesys Cloud API is failing" : "";
  for (const auto& [collector, c] : h.collectors) {
    if (collector == "notifications" || collector == "tls") continue;
    all_ran = all_ran && c.ran;
    if ((c.ran || c.stale) && !c.up) {
      if (!api_failing) why = "collector " + collector + (c.stale ? " is stale" : " is failing");
      api_failing = true;
    }
  }
  if (api_failing) {
    b.Add(name, {{"source", "api"}}, "critical", why);
  } else if (!h.genesys_up.has_value() || !all_ran) {
    b.Undecided({{"alertname", name}, {"source", "api"}});
  }

  if (!opt.notifications_enabled) return;  // turned off: its alert resolves
  auto n = h.collectors.find("notifications");
  if (n == h.collectors.end() || !n->second.ran) {
    b.Undecided({{"alertname", name}, {"source", "notifications"}});
  } else if (!n->second.up) {
    b.Add(name, {{"source", "notifications"}}, "warning", "the notification stream is down");
  }
}

// The spool folder cannot be written: notifications still go out, from memory, but a
// restart loses them and the alert state, so it would re-page or miss resolves.
void SpoolConditions(const HealthData& h, Builder& b) {
  if (!h.spool.in_use || h.spool.writable()) return;
  b.Add(kMonitoringBlind, {{"source", "spool"}}, "warning",
        "the spool folder " + h.spool.dir + " cannot be written: queued notifications and alert state are not durable");
}

}  // namespace

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

AlertConditions CollectAlertConditions(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                       const AlertEvalOptions& opt, UnixNanos now) {
  AlertConditions out;
  Builder b(cfg, out);
  if (RuleEnabled(cfg, kRegistrationFailure)) RegistrationConditions(t, cfg, b);
  if (RuleEnabled(cfg, kCarrierDegradation)) CarrierConditions(t, opt, b);
  if (RuleEnabled(cfg, kTlsCertExpiry)) TlsConditions(t, cfg, opt, now, b);
  if (RuleEnabled(cfg, kEdgeOffline)) EdgeConditions(t, b);
  if (RuleEnabled(cfg, kMonitoringBlind)) BlindConditions(h, opt, b);
  if (RuleEnabled(cfg, kMonitoringBlind)) SpoolConditions(h, b);
  return out;
}

}  // namespace gx
