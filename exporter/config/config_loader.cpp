#include "exporter/config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "exporter/config/duration.h"
#include "exporter/config/genesys_endpoints.h"
#include "exporter/config/seed_environment.h"
#include "exporter/config/url_check.h"
#include "exporter/config/yaml_walker.h"

namespace gx {
namespace {

constexpr UnixNanos kMs = kNanosPerMilli;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kMin = kNanosPerMinute;
constexpr UnixNanos kHour = kNanosPerHour;
constexpr UnixNanos kDay = kNanosPerDay;

// Receiver URLs are checked here, where their line is known.
void CheckReceiverUrl(YamlWalker& w, const YAML::Node& u, const std::string& key) {
  if (const Status url = gx::CheckReceiverUrl(u.Scalar()); !url.ok()) w.Error(u, key, url.error());
}

void ParseGenesys(YamlWalker& w, const YAML::Node& n, const std::string& path, GenesysConfig& g) {
  w.Map(n, path,
        {{"client_id", w.String(g.client_id)},
         {"client_id_file", w.SecretFile(g.client_id)},
         {"client_secret", w.String(g.client_secret)},
         {"client_secret_file", w.SecretFile(g.client_secret)},
         {"region", w.String(g.region)},
         {"api_url", w.String(g.api_url)},
         {"login_url", w.String(g.login_url)},
         {"connect_timeout", w.Duration(g.connect_timeout, 1 * kMs, 5 * kMin)},
         {"request_timeout", w.Duration(g.request_timeout, 1 * kMs, 10 * kMin)},
         {"ca_file", w.String(g.ca_file)}});
  w.OneOf(n, path, "client_id", "client_id_file");
  w.OneOf(n, path, "client_secret", "client_secret_file");
}

void ParseCollection(YamlWalker& w, const YAML::Node& n, const std::string& path, CollectionConfig& c) {
  auto& iv = c.intervals;
  w.Map(n, path,
        {{"page_size", w.Integer(c.page_size, 1, 10000)},
         {"per_phone", w.Bool(c.per_phone)},
         {"users", w.StringList(c.users)},
         {"qos_mismatch_threshold", w.Integer(c.qos_mismatch_threshold, 0, 1000000000)},
         {"edge_metrics", w.Bool(c.edge_metrics)},
         {"intervals", [&](const YAML::Node& m, const std::string& key) {
            w.Map(m, key,
                  {{"phones", w.Duration(iv.phones, 1 * kSec, 1 * kDay)},
                   {"stations", w.Duration(iv.stations, 1 * kSec, 1 * kDay)},
                   {"trunks", w.Duration(iv.trunks, 1 * kSec, 1 * kDay)},
                   {"trunk_metrics", w.Duration(iv.trunk_metrics, 1 * kSec, 1 * kDay)},
                   {"edges", w.Duration(iv.edges, 1 * kSec, 1 * kDay)},
                   {"edge_metrics", w.Duration(iv.edge_metrics, 1 * kSec, 1 * kDay)},
                   // At least a minute: it is the slow safety net under a healthy push stream.
                   {"resync", w.Duration(iv.resync, 1 * kMin, 1 * kDay)},
                   {"jitter", w.Number(iv.jitter, 0, 0.5)}});
          }}});
}

constexpr Seconds kUnsetTimeout{-1};

void ParseTls(YamlWalker& w, const YAML::Node& n, const std::string& path, TlsProbeConfig& t) {
  w.Map(n, path,
        {{"enabled", w.Bool(t.enabled)},
         {"discover", w.Bool(t.discover)},
         {"interval", w.Duration(t.interval, 1 * kSec, 1 * kDay)},
         {"timeout", w.Duration(t.timeout, 1 * kMs, 5 * kMin)},
         {"concurrency", w.Integer(t.concurrency, 1, 256)},
         {"ca_file", w.String(t.ca_file)},
         {"sip_options", w.Bool(t.sip_options)},
         {"targets", w.List<TlsTargetConfig>(t.targets, [&w](const YAML::Node& m, const std::string& key,
                                                            TlsTargetConfig& target) {
            target.timeout = kUnsetTimeout;
            if (m.IsScalar()) {
              target.address = m.Scalar();
              return;
            }
            w.Map(m, key,
                  {{"address", w.String(target.address)},
                   {"server_name", w.String(target.server_name)},
                   {"ca_file", w.String(target.ca_file)},
                   {"cert_file", w.String(target.cert_file)},
                   {"key_file", w.String(target.key_file)},
                   {"timeout", w.Duration(target.timeout, 1 * kMs, 5 * kMin)}});
            if (target.address.empty()) w.Error(m, key + ".address", "is required");
          })}});
  // After the whole section, so that tls_probes.timeout applies wherever it is written.
  for (auto& target : t.targets) {
    if (target.timeout == kUnsetTimeout) target.timeout = t.timeout;
  }
}

void ParseNotifications(YamlWalker& w, const YAML::Node& n, const std::string& path, NotificationsConfig& c) {
  w.Map(n, path,
        {{"enabled", w.Bool(c.enabled)},
         {"topic_budget", w.Integer(c.topic_budget, 0, 20000)},
         {"max_topics_per_channel", w.Integer(c.max_topics_per_channel, 1, 1000)},
         {"max_channels", w.Integer(c.max_channels, 1, 20)},
         {"heartbeat_timeout", w.Duration(c.heartbeat_timeout, 100 * kMs, 1 * kHour)},
         {"ping_timeout", w.Duration(c.ping_timeout, 100 * kMs, 10 * kMin)},
         {"rollover_before_expiry", w.Duration(c.rollover_before_expiry, 0, 12 * kHour)},
         {"min_rollover_interval", w.Duration(c.min_rollover_interval, 1 * kSec, 1 * kHour)},
         {"ca_file", w.String(c.ca_file)},
         {"edge_metrics_topics", w.Bool(c.edge_metrics_topics)},
         {"reconnect_initial", w.Duration(c.reconnect_initial, 1 * kMs, 10 * kMin)},
         {"reconnect_max", w.Duration(c.reconnect_max, 1 * kMs, 1 * kHour)},
         {"replan_interval", w.Duration(c.replan_interval, 1 * kMs, 10 * kMin)},
         {"connect_timeout", w.Duration(c.connect_timeout, 1 * kMs, 5 * kMin)},
         {"max_frame_bytes", w.Integer(c.max_frame_bytes, 1024, 64LL << 20)}});
  if (c.reconnect_initial > c.reconnect_max) {
    w.Error(YamlWalker::At(n, "reconnect_initial"), path + ".reconnect_initial",
            "must not be longer than " + path + ".reconnect_max");
  }
}

// The format and what it needs: a routing key for pagerduty (nowhere else), no resolves for
// seed, which cannot express them. Secrets are never quoted in an error.
void CheckReceiverFormat(YamlWalker& w, const YAML::Node& m, const std::string& key, ReceiverConfig& r) {
  static const std::set<std::string> kFormats = {"generic", "alertmanager", "slack", "teams", "pagerduty", "seed"};
  if (!kFormats.count(r.format)) {
    w.Error(m, key + ".format",
            "must be generic, alertmanager, slack, teams, pagerduty or seed, not \"" + r.format + "\"");
  }
  w.OneOf(m, key, "routing_key", "routing_key_file");
  const bool has_key = m["routing_key"].IsDefined() || m["routing_key_file"].IsDefined();
  if (r.format == "pagerduty") {
    if (r.urls.empty() && !m["url"].IsDefined() && !m["urls"].IsDefined()) r.urls = {std::string(kPagerDutyEventsUrl)};
    if (!has_key) {
      w.Error(m, key + ".routing_key", "format pagerduty needs routing_key or routing_key_file");
    } else if (r.routing_key.empty() && m["routing_key"].IsDefined()) {
      w.Error(YamlWalker::At(m, "routing_key"), key + ".routing_key", "must not be empty");
    } else if (r.routing_key.size() > 255 ||
               std::any_of(r.routing_key.begin(), r.routing_key.end(),
                           [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
      w.Error(YamlWalker::At(m, m["routing_key"].IsDefined() ? "routing_key" : "routing_key_file"),
              key + ".routing_key", "must be at most 255 characters without blanks or control characters");
    }
  } else if (has_key) {
    w.Error(YamlWalker::At(m, m["routing_key"].IsDefined() ? "routing_key" : "routing_key_file"),
            key + ".routing_key", "is for format pagerduty only");
  }
  if (r.format == "seed" && m["send_resolved"].IsDefined() && r.send_resolved) {
    w.Error(YamlWalker::At(m, "send_resolved"), key + ".send_resolved",
            "format seed has no status field and cannot announce a resolve: leave send_resolved out or set it false");
  }
  if (r.format == "seed") r.send_resolved = false;
  if (r.watchdog && m["watchdog"].IsDefined() && !TakesHeartbeat(r) && kFormats.count(r.format)) {
    w.Error(YamlWalker::At(m, "watchdog"), key + ".watchdog",
            "the heartbeat goes to generic and alertmanager receivers only, not to format " + r.format);
  }
}

void ParseAlerting(YamlWalker& w, const YAML::Node& n, const std::string& path, AlertingConfig& a) {
  std::map<std::string, int> names;  // receiver name -> line of its first use
  w.Map(n, path,
        {{"enabled", w.Bool(a.enabled)},
         {"site_unregistered_ratio", w.Number(a.site_unregistered_ratio, 0, 1)},
         {"site_unregistered_ratio_critical", w.Number(a.site_unregistered_ratio_critical, 0, 1)},
         {"site_min_lines", w.Integer(a.site_min_lines, 0, 1000000)},
         {"per_phone", w.Bool(a.per_phone)},
         {"phones", w.StringList(a.phones)},
         {"evaluation_interval", w.Duration(a.evaluation_interval, 10 * kMs, 1 * kHour)},
         {"resend_interval", w.Duration(a.resend_interval, 1 * kSec, 1 * kDay)},
         {"tls_warning", w.Duration(a.tls_warning, 0, 365 * kDay)},
         {"tls_critical", w.Duration(a.tls_critical, 0, 365 * kDay)},
         {"blind_after", w.Duration(a.blind_after, 0, 7 * kDay)},
         {"watchdog_interval", w.Duration(a.watchdog_interval, 0, 1 * kDay)},
         {"group_by", w.StringList(a.group_by)},
         {"group_wait", w.Duration(a.group_wait, 0, 1 * kHour)},
         {"group_interval", w.Duration(a.group_interval, 1 * kSec, 1 * kDay)},
         {"repeat_interval", w.Duration(a.repeat_interval, 1 * kMin, 30 * kDay)},
         {"group_max_ids", w.Integer(a.group_max_ids, 1, 10000)},
         {"notification_id_resolution", w.Duration(a.notification_id_resolution, 0, 1 * kHour)},
         {"spool_dir", w.String(a.spool_dir)},
         {"spool_max_bytes", w.Integer(a.spool_max_bytes, 4096, 1LL << 40)},
         {"state_file", w.String(a.state_file)},
         {"rules", [&](const YAML::Node& m, const std::string& key) {
            static const char* kTypes[] = {"registration_failure", "carrier_degradation", "tls_cert_expiry",
                                           "edge_offline", "monitoring_blind"};
            std::map<std::string, YamlWalker::Handler> handlers;
            for (const char* type : kTypes) {
              handlers[type] = [&w, &a, type](const YAML::Node& r, const std::string& rk) {
                AlertRuleConfig& rule = a.rules[type];
                w.Map(r, rk,
                      {{"enabled", w.Bool(rule.enabled)},
                       {"for", w.Duration(rule.for_duration, 0, 7 * kDay)},
                       {"severity", w.String(rule.severity)}});
                if (!rule.severity.empty() && rule.severity != "critical" && rule.severity != "warning" &&
                    rule.severity != "info") {
                  w.Error(r, rk + ".severity", "must be critical, warning or info");
                }
              };
            }
            w.Map(m, key, handlers);
          }},
         {"receivers", w.List<ReceiverConfig>(a.receivers, [&w, &names](const YAML::Node& m, const std::string& key,
                                                                        ReceiverConfig& r) {
            std::vector<std::string> file_secrets;
            w.Map(m, key,
                  {{"name", w.String(r.name)},
                   {"format", w.String(r.format)},
                   {"url", [&](const YAML::Node& u, const std::string& k) {
                      if (!u.IsScalar()) return w.Error(u, k, "must be a string");
                      r.urls = {u.Scalar()};
                      CheckReceiverUrl(w, u, k);
                    }},
                   {"urls", [&](const YAML::Node& list, const std::string& k) {
                      w.StringList(r.urls)(list, k);
                      for (size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
                        if (list[i].IsScalar()) CheckReceiverUrl(w, list[i], k + "[" + std::to_string(i) + "]");
                      }
                    }},
                   {"hmac_secrets", w.StringList(r.hmac_secrets)},
                   {"routing_key", w.String(r.routing_key)},
                   {"routing_key_file", w.SecretFile(r.routing_key)},
                   {"hmac_secret_files", [&](const YAML::Node& files, const std::string& k) {
                      if (!files.IsSequence()) return w.Error(files, k, "must be a list of file paths");
                      for (size_t i = 0; i < files.size(); ++i) {
                        std::string secret;
                        w.SecretFile(secret)(files[i], k + "[" + std::to_string(i) + "]");
                        if (!secret.empty()) file_secrets.push_back(secret);
                      }
                    }},
                   {"timeout", w.Duration(r.timeout, 1 * kMs, 5 * kMin)},
                   {"retry_horizon", w.Duration(r.retry_horizon, 1 * kSec, 7 * kDay)},
                   {"initial_backoff", w.Duration(r.initial_backoff, 1 * kMs, 1 * kHour)},
                   {"max_backoff", w.Duration(r.max_backoff, 1 * kMs, 1 * kHour)},
                   {"send_resolved", w.Bool(r.send_resolved)},
                   {"watchdog", w.Bool(r.watchdog)},
                   {"ca_file", w.String(r.ca_file)}});
            // Map has reported a receiver that is not a mapping; the checks below read its keys,
            // and yaml-cpp throws on a subscript of a scalar.
            if (!m.IsMap()) return;
            // Inline secrets first, then the files', whatever order the keys are written in.
            r.hmac_secrets.insert(r.hmac_secrets.end(), file_secrets.begin(), file_secrets.end());
            w.OneOf(m, key, "url", "urls");
            if (r.name.empty()) w.Error(m, key + ".name", "is required");
            // Receivers' spools and series are keyed by name.
            if (!r.name.empty()) {
              const YAML::Node name_node = m["name"];
              auto [first, inserted] = names.emplace(r.name, name_node.Mark().line + 1);
              if (!inserted) {
                w.Error(name_node, key + ".name",
                        "duplicate receiver name \"" + r.name + "\" (first on line " + std::to_string(first->second) +
                            ")");
              }
            }
            CheckReceiverFormat(w, m, key, r);
            if (r.urls.empty()) w.Error(m, key + ".url", "at least one URL is required");
            if (r.initial_backoff > r.max_backoff) {
              w.Error(YamlWalker::At(m, "initial_backoff"), key + ".initial_backoff",
                      "must not be longer than " + key + ".max_backoff");
            }
          })}});
  // Zero is off; a heartbeat more often than this is load on the receiver, not information.
  if (a.watchdog_interval.count() > 0 && a.watchdog_interval < Seconds(10)) {
    w.Error(YamlWalker::At(n, "watchdog_interval"), path + ".watchdog_interval", "must be 0 (off) or at least 10s");
  }
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

void ParseConfigYaml(const std::string& text, const std::string& source_name, Config& config,
                     ConfigErrors& errors) {
  errors.file = source_name;
  YAML::Node root;
  if (!LoadStrictYaml(text, source_name, root, errors)) return;
  YamlWalker w(source_name, errors);
  w.Map(root, "",
        {{"genesys", [&](const YAML::Node& n, const std::string& k) { ParseGenesys(w, n, k, config.genesys); }},
         {"rate_limit", [&](const YAML::Node& n, const std::string& k) {
            w.Map(n, k, {{"requests_per_minute", w.Integer(config.rate_limit.requests_per_minute, 1, 100000)}});
          }},
         {"collection", [&](const YAML::Node& n, const std::string& k) { ParseCollection(w, n, k, config.collection); }},
         {"tls_probes", [&](const YAML::Node& n, const std::string& k) { ParseTls(w, n, k, config.tls); }},
         {"notifications",
          [&](const YAML::Node& n, const std::string& k) { ParseNotifications(w, n, k, config.notifications); }},
         {"alerting", [&](const YAML::Node& n, const std::string& k) { ParseAlerting(w, n, k, config.alerting); }}});
}

void FinishConfig(Config& config, const EnvLookup& env, ConfigErrors& errors) {
  GenesysConfig& g = config.genesys;
  const std::pair<const char*, std::pair<const char*, std::string*>> overrides[] = {
      {"GENESYS_CLIENT_ID", {"genesys.client_id", &g.client_id}},
      {"GENESYS_CLIENT_SECRET", {"genesys.client_secret", &g.client_secret}},
      {"GENESYS_REGION", {"genesys.region", &g.region}},
      {"GENESYS_API_URL", {"genesys.api_url", &g.api_url}},
      {"GENESYS_LOGIN_URL", {"genesys.login_url", &g.login_url}}};
  for (const auto& [variable, target] : overrides) {
    if (auto v = env(variable)) {
      *target.second = *v;
      errors.where[target.first] = variable;
    }
  }
  ApplySeedEnvironment(config, env, errors);

  if (g.client_id.empty()) {
    errors.AddFor("genesys.client_id", "missing (set GENESYS_CLIENT_ID or genesys.client_id[_file])", "genesys");
  }
  if (g.client_secret.empty()) {
    errors.AddFor("genesys.client_secret", "missing (set GENESYS_CLIENT_SECRET or genesys.client_secret[_file])",
                  "genesys");
  }
  const EndpointResolution endpoints = ResolveEndpoints(g);
  for (const auto& p : endpoints.problems) errors.AddFor(p.key, p.message, p.fallback);
  if (!endpoints.region_domain.empty()) g.region = endpoints.region_domain;
  if (endpoints.problems.empty()) {
    g.api_url = endpoints.endpoints.api_base;
    g.login_url = endpoints.endpoints.login_base;
  }
  if (config.alerting.site_unregistered_ratio_critical < config.alerting.site_unregistered_ratio) {
    errors.AddFor("alerting.site_unregistered_ratio_critical", "must not be lower than alerting.site_unregistered_ratio",
                  "alerting.site_unregistered_ratio");
  }
  if (config.alerting.tls_critical > config.alerting.tls_warning) {
    errors.AddFor("alerting.tls_critical", "must not be longer than alerting.tls_warning", "alerting.tls_warning");
  }
  // A heartbeat nobody sends looks, to the receiver waiting for it, like a dead exporter.
  if (config.alerting.watchdog_interval.count() > 0) {
    const auto& receivers = config.alerting.receivers;
    if (!config.alerting.enabled) {
      errors.AddFor("alerting.watchdog_interval", "is set, but alerting.enabled is false");
    } else if (std::none_of(receivers.begin(), receivers.end(), TakesHeartbeat)) {
      errors.AddFor("alerting.watchdog_interval",
                    "no receiver takes the heartbeat (add a generic or alertmanager one, or set watchdog: true on one)");
    }
  }
  if (config.alerting.state_file.empty()) config.alerting.state_file = config.alerting.spool_dir + "/alerts.state";
}

ConfigErrors LoadConfig(const std::string& path, const EnvLookup& env, Config& config) {
  ConfigErrors errors;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) {
      errors.Add(path, "--config.file", std::string("cannot read: ") + std::strerror(errno));
      return errors;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    ParseConfigYaml(ss.str(), path, config, errors);
  }
  FinishConfig(config, env, errors);
  return errors;
}

}  // namespace gx
