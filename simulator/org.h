// The simulated org: sites, edges, phones with lines, users, stations, trunk bases and trunks,
// with their current status, plus lookup indexes. Plain data; the Simulator guards it with a
// shared_mutex (readers render responses, writers apply changes).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "exporter/util/clock.h"
#include "simulator/scenario.h"

namespace gx::sim {

struct LineModel {
  std::string id;
  std::string name;
  bool reachable = true;
  UnixNanos reachable_time = 0;
};

struct PhoneModel {
  std::string id, name, status_id, secondary_status_id;
  int site = 0;
  int edge = 0, edge2 = 0;  // primary and secondary edge index
  bool webrtc = false;
  int webrtc_user = -1;
  std::vector<LineModel> lines;
  std::string status = "OPERATIONAL";
  std::string secondary_status = "OPERATIONAL";
  UnixNanos status_time = 0, provision_time = 0, created = 0;
  std::string manufacturer, model, firmware, hardware_id;
  int digits = 3;  // fractional digits used for this phone's times
  bool deleted = false;
};

struct SiteModel {
  std::string id, name;
  std::vector<int> edges;
};

struct EdgeModel {
  std::string id, name, serial, version;
  int site = 0;
  bool online = true;
  UnixNanos online_time = 0, boot_time = 0, created = 0;
  int conversations = 0;
  bool deleted = false;
};

struct UserModel {
  std::string id, name, email;
  int station = -1;  // associated station
  int default_station = -1;
};

struct StationModel {
  std::string id, name, type;
  int phone = -1;
  int user = -1;  // associated user
  int webrtc_user = -1;
  UnixNanos associated_time = 0;
};

struct ProxyModel {
  std::string address;
  bool options_up = true;
  UnixNanos options_time = 0;
  bool register_up = true;
  UnixNanos register_time = 0;
};

struct TrunkBaseModel {
  std::string id, name, trunk_type;  // trunk_type: EXTERNAL | PHONE | EDGE
  std::string type_property;         // trunk_type property, e.g. external.pcv.byoc.carrier
  std::string protocol;              // udp | tcp | tls
  std::vector<std::string> proxies;
  int site = 0;
  bool enabled = true;
  UnixNanos created = 0;
};

struct TrunkModel {
  std::string id, name, trunk_type;
  int edge = 0;
  int base = 0;
  bool connected = true;
  UnixNanos connected_time = 0;
  bool in_service = true, enabled = true;
  bool options_enabled = true, registers_enabled = false;
  std::vector<ProxyModel> proxies;
  std::string ip;
  std::string tls_case;  // which local TLS listener the first proxy points at, if any
  int inbound = 0, outbound = 0, qos_mismatches = 0;
  UnixNanos metrics_time = 0, created = 0;
  int digits = 0;
  bool deleted = false;
};

// A local SIP-TLS listener the generator points trunks at.
struct TlsTarget {
  std::string name;     // valid, expiring, expired, self_signed, wrong_host, intermediate_expiring
  std::string address;  // 127.0.0.1:port
};

struct Org {
  std::vector<SiteModel> sites;
  std::vector<EdgeModel> edges;
  std::vector<PhoneModel> phones;
  std::vector<UserModel> users;
  std::vector<StationModel> stations;
  std::vector<TrunkBaseModel> bases;
  std::vector<TrunkModel> trunks;
  std::string org_id, division_id;

  std::unordered_map<std::string, int> phone_index, edge_index, user_index, station_index,
      trunk_index, base_index, site_index;
  std::vector<int> phones_by_name;              // live phones, sorted by name
  std::vector<std::vector<int>> site_phones;    // per site, live phones sorted by name
  std::vector<int> phones_by_id;                // live phones, sorted by id

  void RebuildPhoneIndexes();
  // Finds by id, by name, or by "<index>" (0-based position in the vector). -1 if none.
  int FindPhone(const std::string& key) const;
  int FindTrunk(const std::string& key) const;
  int FindEdge(const std::string& key) const;
  int FindUser(const std::string& key) const;
};

// Deterministic for a given scenario seed (ids, names, initial states); `now` only shifts times.
Org GenerateOrg(const Scenario& scenario, UnixNanos now, const std::vector<TlsTarget>& tls_targets);

// A random UUID-looking id from the generator.
std::string MakeId(std::mt19937_64& rng);

}  // namespace gx::sim
