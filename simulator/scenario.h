// The simulator's scenario: org size, credentials, limits, streaming settings, random walk,
// scripted timeline and scripted faults. Plain structs with defaults; loaded from YAML or built
// in code by tests. Immutable after loading; thread-safe to read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/util/result.h"

namespace gx::sim {

struct SiteSpec {
  std::string name;
  int edges = 1;
  int phones = 20;
};

// A fault. HTTP kinds act on matching /api/v2 (and /oauth) requests; streaming kinds act at once.
// kind: rate_limit | server_error | slow | malformed_json | truncated_json | unknown_enum |
//       extra_fields | missing_optional | rate_limit_exhausted | socket_drop | socket_closing |
//       heartbeat_stop | heartbeat_start | token_revoke
struct FaultSpec {
  std::string kind;
  std::string path;            // substring of the request path the fault applies to; empty: all
  int count = -1;              // requests affected; -1: until duration ends or forever
  double duration_s = 0;       // 0: no time limit
  int status = 503;            // server_error status
  double delay_s = 5;          // slow: delay per response
  int retry_after_s = 2;       // rate_limit: Retry-After; rate_limit_exhausted: inin-ratelimit-reset
  double at_s = 0;             // when scripted in the scenario: start time (scaled)
};

// One scripted change. `target` is an entity name or a 0-based index into that kind's list.
// action: phone_line (line, reachable) | phone_status (status, secondary) | trunk_connected
//   (connected) | trunk_options (proxy, up) | trunk_register (proxy, up) | trunk_in_service
//   (value) | edge_online (online) | trunk_calls (inbound, outbound, qos) | station_user (user)
//   | fault (fault fields)
struct TimelineEvent {
  double at_s = 0;
  std::string action;
  std::string target;
  std::map<std::string, std::string> args;
  FaultSpec fault;  // for action == fault
};

struct RandomWalk {
  bool enabled = true;
  double interval_s = 5;            // one step per interval
  double phone_line_flip = 0.05;    // per step: probability that some phone line flips
  double phone_status_change = 0.02;
  double trunk_options_flip = 0.01;
  double trunk_connected_flip = 0.005;
  double edge_online_flip = 0.002;
  double trunk_calls_change = 0.5;  // per step: call counts of one trunk move
};

struct Scenario {
  std::string name = "custom";
  std::uint64_t seed = 42;
  double time_scale = 1.0;  // scripted times and walk interval are divided by it

  // Org. When `sites` is empty, `site_count` sites share `phones` and get `edges_per_site`.
  std::vector<SiteSpec> sites;
  int site_count = 3;
  int edges_per_site = 1;
  int phones = 60;
  double webrtc_fraction = 0.3;
  double two_line_fraction = 0.25;
  int users = 5;
  int external_trunks = 4;         // carrier trunks; at least the TLS ones
  double sip_tls_fraction = 0.5;   // of external trunks not pointed at local TLS listeners
  bool tls_endpoints = true;       // start local SIP-TLS listeners for the certificate cases
  int expiring_days = 7;           // the "expiring" certificate's remaining days
  int intermediate_days = 5;       // the intermediate CA's remaining days (leaf: 365)

  // Auth and API.
  std::string client_id = "demo-client";
  std::string client_secret = "demo-secret";
  int token_lifetime_s = 86399;
  int rate_limit_per_minute = 300;
  int max_page_size = 500;
  int max_metric_ids = 100;

  // Streaming.
  bool streaming_tls = false;
  double heartbeat_s = 30;
  double channel_lifetime_s = 86400;
  int max_topics = 1000;
  int max_channels = 20;

  RandomWalk walk;
  std::vector<TimelineEvent> timeline;
  std::vector<FaultSpec> faults;  // scripted faults (at_s)
};

// Parses YAML text; an error names the key.
Result<Scenario> ParseScenarioYaml(const std::string& text);
// The same for a file; an error starts with its path.
Result<Scenario> LoadScenarioFile(const std::string& path);

// "demo" / "large" (looked up as simulator/scenarios/<name>.yaml near the working directory or
// the source tree, else built in), or a path to a YAML file.
Result<Scenario> ResolveScenario(const std::string& name_or_path);

// Built-in equivalents of the shipped scenario files.
Scenario DemoScenario();
Scenario LargeScenario();

}  // namespace gx::sim
