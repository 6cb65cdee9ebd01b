#include "simulator/scenario.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "simulator/channel_registry.h"
#include "simulator/token_store.h"

namespace gx::sim {
namespace {

struct ParseError {
  std::string message;
};

void CheckKeys(const YAML::Node& node, const std::string& where, const std::set<std::string>& allowed) {
  if (!node.IsMap()) throw ParseError{where + ": expected a mapping"};
  for (const auto& kv : node) {
    auto k = kv.first.as<std::string>();
    if (!allowed.count(k)) throw ParseError{where + ": unknown key '" + k + "'"};
  }
}

template <typename T>
void Get(const YAML::Node& node, const char* key, T& out, const std::string& where) {
  const YAML::Node v = node[key];
  if (!v) return;
  try {
    out = v.as<T>();
  } catch (const YAML::Exception&) {
    throw ParseError{where + "." + key + ": invalid value"};
  }
}

FaultSpec ParseFault(const YAML::Node& n, const std::string& where) {
  CheckKeys(n, where, {"kind", "path", "count", "duration_s", "status", "delay_s",
                       "retry_after_s", "at_s"});
  FaultSpec f;
  Get(n, "kind", f.kind, where);
  static const std::set<std::string> kinds = {
      "rate_limit", "server_error", "slow", "malformed_json", "truncated_json", "unknown_enum",
      "extra_fields", "missing_optional", "rate_limit_exhausted", "socket_drop", "socket_closing", "heartbeat_stop",
      "heartbeat_start", "token_revoke"};
  if (!kinds.count(f.kind)) throw ParseError{where + ".kind: unknown fault kind '" + f.kind + "'"};
  Get(n, "path", f.path, where);
  Get(n, "count", f.count, where);
  Get(n, "duration_s", f.duration_s, where);
  Get(n, "status", f.status, where);
  Get(n, "delay_s", f.delay_s, where);
  Get(n, "retry_after_s", f.retry_after_s, where);
  Get(n, "at_s", f.at_s, where);
  return f;
}

Scenario Parse(const YAML::Node& root) {
  Scenario s;
  if (!root || root.IsNull()) return s;
  CheckKeys(root, "scenario", {"name", "seed", "time_scale", "org", "auth", "api", "streaming",
                               "random_walk", "timeline", "faults"});
  Get(root, "name", s.name, "scenario");
  Get(root, "seed", s.seed, "scenario");
  Get(root, "time_scale", s.time_scale, "scenario");
  if (s.time_scale <= 0) throw ParseError{"scenario.time_scale: must be > 0"};
  if (auto org = root["org"]) {
    CheckKeys(org, "org", {"sites", "site_count", "edges_per_site", "phones", "webrtc_fraction",
                           "two_line_fraction", "users", "external_trunks", "sip_tls_fraction",
                           "tls_endpoints", "expiring_days", "intermediate_days"});
    if (auto sites = org["sites"]) {
      if (!sites.IsSequence()) throw ParseError{"org.sites: expected a list"};
      for (size_t i = 0; i < sites.size(); ++i) {
        std::string w = "org.sites[" + std::to_string(i) + "]";
        CheckKeys(sites[i], w, {"name", "edges", "phones"});
        SiteSpec ss;
        Get(sites[i], "name", ss.name, w);
        Get(sites[i], "edges", ss.edges, w);
        Get(sites[i], "phones", ss.phones, w);
        if (ss.name.empty()) throw ParseError{w + ".name: required"};
        if (ss.edges < 1) throw ParseError{w + ".edges: must be >= 1"};
        s.sites.push_back(ss);
      }
    }
    Get(org, "site_count", s.site_count, "org");
    Get(org, "edges_per_site", s.edges_per_site, "org");
    Get(org, "phones", s.phones, "org");
    Get(org, "webrtc_fraction", s.webrtc_fraction, "org");
    Get(org, "two_line_fraction", s.two_line_fraction, "org");
    Get(org, "users", s.users, "org");
    Get(org, "external_trunks", s.external_trunks, "org");
    Get(org, "sip_tls_fraction", s.sip_tls_fraction, "org");
    Get(org, "tls_endpoints", s.tls_endpoints, "org");
    Get(org, "expiring_days", s.expiring_days, "org");
    Get(org, "intermediate_days", s.intermediate_days, "org");
    if (s.site_count < 1) throw ParseError{"org.site_count: must be >= 1"};
    if (s.edges_per_site < 1) throw ParseError{"org.edges_per_site: must be >= 1"};
  }
  if (auto a = root["auth"]) {
    CheckKeys(a, "auth", {"client_id", "client_secret", "token_lifetime_s", "rate_limit_per_minute"});
    Get(a, "client_id", s.client_id, "auth");
    Get(a, "client_secret", s.client_secret, "auth");
    Get(a, "token_lifetime_s", s.token_lifetime_s, "auth");
    Get(a, "rate_limit_per_minute", s.rate_limit_per_minute, "auth");
    if (s.token_lifetime_s < 1 || s.token_lifetime_s > kMaxTokenLifetimeS) {
      throw ParseError{"auth.token_lifetime_s: must be between 1 and 172800 s (48 h)"};
    }
  }
  if (auto a = root["api"]) {
    CheckKeys(a, "api", {"max_page_size", "max_metric_ids"});
    Get(a, "max_page_size", s.max_page_size, "api");
    Get(a, "max_metric_ids", s.max_metric_ids, "api");
  }
  if (auto st = root["streaming"]) {
    CheckKeys(st, "streaming", {"tls", "heartbeat_s", "channel_lifetime_s", "max_topics", "max_channels"});
    Get(st, "tls", s.streaming_tls, "streaming");
    Get(st, "heartbeat_s", s.heartbeat_s, "streaming");
    Get(st, "channel_lifetime_s", s.channel_lifetime_s, "streaming");
    Get(st, "max_topics", s.max_topics, "streaming");
    Get(st, "max_channels", s.max_channels, "streaming");
    if (s.heartbeat_s <= 0) throw ParseError{"streaming.heartbeat_s: must be > 0"};
    if (!(s.heartbeat_s <= kMaxHeartbeatIntervalS)) throw ParseError{"streaming.heartbeat_s: must be at most 3600"};
    if (Status lifetime = CheckChannelLifetime(s.channel_lifetime_s); !lifetime) {
      throw ParseError{"streaming.channel_lifetime_s: " + lifetime.error()};
    }
  }
  if (auto w = root["random_walk"]) {
    CheckKeys(w, "random_walk", {"enabled", "interval_s", "phone_line_flip", "phone_status_change",
                                 "trunk_options_flip", "trunk_connected_flip", "edge_online_flip",
                                 "trunk_calls_change"});
    Get(w, "enabled", s.walk.enabled, "random_walk");
    Get(w, "interval_s", s.walk.interval_s, "random_walk");
    Get(w, "phone_line_flip", s.walk.phone_line_flip, "random_walk");
    Get(w, "phone_status_change", s.walk.phone_status_change, "random_walk");
    Get(w, "trunk_options_flip", s.walk.trunk_options_flip, "random_walk");
    Get(w, "trunk_connected_flip", s.walk.trunk_connected_flip, "random_walk");
    Get(w, "edge_online_flip", s.walk.edge_online_flip, "random_walk");
    Get(w, "trunk_calls_change", s.walk.trunk_calls_change, "random_walk");
    if (s.walk.interval_s <= 0) throw ParseError{"random_walk.interval_s: must be > 0"};
  }
  if (auto tl = root["timeline"]) {
    if (!tl.IsSequence()) throw ParseError{"timeline: expected a list"};
    static const std::set<std::string> actions = {
        "phone_line", "phone_status", "trunk_connected", "trunk_options", "trunk_register",
        "trunk_in_service", "edge_online", "trunk_calls", "station_user", "fault"};
    for (size_t i = 0; i < tl.size(); ++i) {
      std::string w = "timeline[" + std::to_string(i) + "]";
      const YAML::Node n = tl[i];
      if (!n.IsMap()) throw ParseError{w + ": expected a mapping"};
      TimelineEvent ev;
      Get(n, "at_s", ev.at_s, w);
      Get(n, "action", ev.action, w);
      Get(n, "target", ev.target, w);
      if (!actions.count(ev.action)) throw ParseError{w + ".action: unknown action '" + ev.action + "'"};
      if (ev.action == "fault") {
        if (!n["fault"]) throw ParseError{w + ".fault: required for action fault"};
        ev.fault = ParseFault(n["fault"], w + ".fault");
      }
      for (const auto& kv : n) {
        auto k = kv.first.as<std::string>();
        if (k == "at_s" || k == "action" || k == "target" || k == "fault") continue;
        if (!kv.second.IsScalar()) throw ParseError{w + "." + k + ": expected a scalar"};
        ev.args[k] = kv.second.as<std::string>();
      }
      s.timeline.push_back(ev);
    }
  }
  if (auto fs = root["faults"]) {
    if (!fs.IsSequence()) throw ParseError{"faults: expected a list"};
    for (size_t i = 0; i < fs.size(); ++i) s.faults.push_back(ParseFault(fs[i], "faults[" + std::to_string(i) + "]"));
  }
  return s;
}

std::optional<std::string> FindScenarioFile(const std::string& name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates = {fs::path("simulator/scenarios") / (name + ".yaml"),
                                      fs::path("../simulator/scenarios") / (name + ".yaml")};
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (auto dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      candidates.push_back(dir / "simulator/scenarios" / (name + ".yaml"));
    }
  }
  candidates.push_back(fs::path("/usr/share/genesys_sim/scenarios") / (name + ".yaml"));
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  return std::nullopt;
}

}  // namespace

Result<Scenario> ParseScenarioYaml(const std::string& text) {
  try {
    return Parse(YAML::Load(text));
  } catch (const ParseError& e) {
    return Status::Error(e.message);
  } catch (const YAML::Exception& e) {
    return Status::Error(std::string("YAML: ") + e.what());
  }
}

Result<Scenario> LoadScenarioFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error("cannot read scenario file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  Result<Scenario> s = ParseScenarioYaml(ss.str());
  if (!s) return s.status().Prefixed(path + ": ");
  return s;
}

Result<Scenario> ResolveScenario(const std::string& name_or_path) {
  if (name_or_path == "demo" || name_or_path == "large") {
    if (auto file = FindScenarioFile(name_or_path)) return LoadScenarioFile(*file);
    return name_or_path == "demo" ? DemoScenario() : LargeScenario();
  }
  return LoadScenarioFile(name_or_path);
}

Scenario DemoScenario() {
  Scenario s;
  s.name = "demo";
  s.sites = {{"HQ", 1, 30}, {"Branch East", 1, 18}, {"Branch West", 1, 12}};
  s.users = 5;
  s.external_trunks = 8;
  auto ev = [](double at, std::string action, std::string target,
               std::map<std::string, std::string> args) {
    TimelineEvent e;
    e.at_s = at;
    e.action = std::move(action);
    e.target = std::move(target);
    e.args = std::move(args);
    return e;
  };
  s.walk.phone_line_flip = 0.1;
  s.walk.trunk_connected_flip = 0;
  s.walk.edge_online_flip = 0;
  s.walk.trunk_calls_change = 0.8;
  s.timeline = {
      ev(20, "phone_line", "0", {{"line", "0"}, {"reachable", "false"}}),
      ev(25, "trunk_options", "0", {{"proxy", "0"}, {"up", "false"}}),
      ev(30, "phone_status", "1", {{"status", "DEGRADED"}}),
      ev(35, "phone_status", "2", {{"status", "OFFLINE"}}),
      ev(40, "trunk_connected", "1", {{"connected", "false"}}),
      ev(45, "trunk_calls", "2", {{"inbound", "14"}, {"outbound", "9"}, {"qos", "12"}}),
      ev(50, "edge_online", "2", {{"online", "false"}}),
      ev(70, "phone_line", "0", {{"line", "0"}, {"reachable", "true"}}),
      ev(80, "phone_status", "1", {{"status", "OPERATIONAL"}}),
      ev(100, "trunk_connected", "1", {{"connected", "true"}}),
      ev(110, "edge_online", "2", {{"online", "true"}}),
      ev(120, "phone_status", "2", {{"status", "OPERATIONAL"}}),
  };
  return s;
}

Scenario LargeScenario() {
  Scenario s;
  s.name = "large";
  s.seed = 7;
  s.site_count = 50;
  s.edges_per_site = 4;
  s.phones = 50000;
  s.users = 2000;
  s.external_trunks = 600;
  s.walk.phone_status_change = 0.1;
  s.walk.trunk_options_flip = 0.05;
  s.walk.trunk_connected_flip = 0.01;
  s.walk.edge_online_flip = 0.005;
  s.walk.trunk_calls_change = 0.9;
  s.walk.phone_line_flip = 0.5;
  s.walk.interval_s = 1;
  return s;
}

}  // namespace gx::sim
