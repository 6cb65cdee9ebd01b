// What the simulator knows to be true right now, for tests to compare against the exporter's
// output. Plain values; thread-safe to copy.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gx::sim {

struct SiteTruth {
  std::string id, name;
  std::map<std::string, int> phones_by_status;  // OPERATIONAL, DEGRADED, OFFLINE, UNKNOWN
  int phones = 0;
  int phones_registered = 0;  // every line reachable
  int lines = 0;
  int lines_reachable = 0;
};

struct ProxyTruth {
  std::string address;
  bool options_up = true;
  bool register_up = true;
};

struct TrunkTruth {
  std::string id, name, type, edge_id, protocol, tls_case;
  bool connected = true, in_service = true, enabled = true;
  bool options_enabled = true, registers_enabled = false;
  std::vector<ProxyTruth> proxies;
  int inbound = 0, outbound = 0, qos_mismatches = 0;
};

struct EdgeTruth {
  std::string id, name, site;
  bool online = true;
};

struct UserTruth {
  std::string id, name;
  std::string station_id;  // associated station, empty if none
  std::string phone_id;    // that station's phone
  bool registered = false; // that phone's lines all reachable
};

struct Truth {
  std::vector<SiteTruth> sites;
  std::vector<TrunkTruth> trunks;
  std::vector<EdgeTruth> edges;
  std::vector<UserTruth> users;  // associated users only
  int phones = 0;
  int edges_online = 0;
  std::map<std::string, std::map<int, std::uint64_t>> requests;  // endpoint -> status -> count
};

}  // namespace gx::sim
