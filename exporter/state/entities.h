// Plain value types for every telephony fact the exporter knows, as parsed from
// Genesys Cloud (REST or push). No behaviour, no locking: values are copied.
// A phone is held 50,000 times or more, so its texts that repeat across phones or
// across its own parts (site, edge, statuses, codecs, line ids) are Atoms, and its
// line lists keep the usual one line in place (InlineVector).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exporter/util/atom.h"
#include "exporter/util/clock.h"
#include "exporter/util/inline_vector.h"

namespace gx {

// A reference to another entity, e.g. a phone's site or a trunk's edge.
struct EntityRef {
  Atom id;
  Atom name;
  bool operator==(const EntityRef&) const = default;
};

// A line's registration as the phone's edge reports it. The address of record and the
// time of the last change are not kept: nothing reads them.
struct LineStatus {
  Atom id;
  bool reachable = false;
  bool operator==(const LineStatus&) const = default;
};

// PhoneStatus from the phones listing (expand=status) or the phone topic.
// Enum values are kept as the API sent them, including values we do not know.
struct PhoneStatus {
  Atom operational_status;  // OPERATIONAL, DEGRADED, OFFLINE, UNKNOWN, or anything new
  Atom edges_status;        // absent in pushed events
  std::optional<UnixNanos> event_creation_time;
  InlineVector<LineStatus> lines;
  EntityRef edge;
  bool operator==(const PhoneStatus&) const = default;
};

struct Phone {
  std::string id;
  std::string name;
  Atom state;  // active, inactive, deleted
  EntityRef site;
  Atom web_rtc_user_id;                         // empty for hardware phones
  InlineVector<Atom> line_ids;                  // from lines[] (configured lines)
  std::optional<PhoneStatus> status;            // from the primary edge
  std::optional<PhoneStatus> secondary_status;  // from the secondary edge
  std::vector<Atom> media_codecs;               // capabilities.mediaCodecs, in preference order
  Atom manufacturer;
  Atom model;
  Atom firmware_version;
  bool operator==(const Phone&) const = default;
};

// A pushed phone change (topic v2.telephony.providers.edges.phones.{id}): status only.
struct PhoneStatusUpdate {
  std::string phone_id;
  std::optional<PhoneStatus> status;
  std::optional<PhoneStatus> secondary_status;
  bool operator==(const PhoneStatusUpdate&) const = default;
};

struct Station {
  std::string id;
  std::string name;
  std::string status;  // AVAILABLE, ASSOCIATED
  std::string type;
  std::string user_id;          // user currently associated
  std::string web_rtc_user_id;  // configured user of a WebRTC station
  std::string line_appearance_id;
  bool operator==(const Station&) const = default;
};

// The station associated with a followed user (GET /api/v2/users/{id}/station
// or topic v2.users.{id}.station). An empty station_id means none is associated.
struct UserStation {
  std::string user_id;
  std::string station_id;
  std::string station_name;
  std::string station_type;
  bool operator==(const UserStation&) const = default;
};

struct TrunkErrorInfo {
  std::string text;
  std::string code;
  bool operator==(const TrunkErrorInfo&) const = default;
};

// OPTIONS or REGISTER state of one proxy of a trunk.
struct ProxyState {
  std::string proxy_address;
  bool up = false;
  std::optional<UnixNanos> state_time;
  std::string error_text;
  bool operator==(const ProxyState&) const = default;
};

struct Trunk {
  std::string id;
  std::string name;
  std::string trunk_type;  // EXTERNAL, PHONE, EDGE
  std::string state;
  EntityRef edge;
  EntityRef trunk_base;
  std::optional<bool> in_service;
  std::optional<bool> enabled;
  std::optional<bool> connected;
  std::optional<UnixNanos> connected_state_time;
  std::vector<ProxyState> options;    // optionsStatus[]
  std::vector<ProxyState> registers;  // registersStatus[]
  std::string options_enabled_status;    // ENABLED, DISABLED, NOT_SUPPORTED
  std::string registers_enabled_status;  // ENABLED, DISABLED, NOT_SUPPORTED
  std::vector<std::string> proxy_address_list;
  std::string ip_address;
  bool operator==(const Trunk&) const = default;
};

// A pushed trunk change (topic v2.telephony.providers.edges.trunks.{id}).
struct TrunkStatusUpdate {
  std::string trunk_id;
  std::optional<bool> connected;
  std::optional<UnixNanos> connected_state_time;
  std::optional<std::vector<ProxyState>> options;
  std::optional<std::vector<ProxyState>> registers;
  std::optional<std::string> ip_address;
  bool operator==(const TrunkStatusUpdate&) const = default;
};

// Trunk base settings that matter for TLS discovery.
struct TrunkBase {
  std::string id;
  std::string name;
  std::string trunk_type;
  std::string protocol_variant;                 // trunk_transport_protocolVariant: udp, tcp, tls
  std::vector<std::string> server_proxy_list;   // trunk_transport_serverProxyList
  bool operator==(const TrunkBase&) const = default;
};

struct TrunkMetrics {
  std::string trunk_id;
  std::optional<UnixNanos> event_time;
  std::optional<std::int64_t> inbound_calls;
  std::optional<std::int64_t> outbound_calls;
  std::optional<std::int64_t> qos_mismatches;
  bool operator==(const TrunkMetrics&) const = default;
};

struct Edge {
  std::string id;
  std::string name;
  std::string state;
  EntityRef site;
  std::string software_version;
  std::string online_status;  // ONLINE, OFFLINE, or anything new
  std::string status_code;
  bool operator==(const Edge&) const = default;
};

// A pushed edge change (topic v2.telephony.providers.edges.{id}).
struct EdgeStatusUpdate {
  std::string edge_id;
  std::string online_status;
  bool operator==(const EdgeStatusUpdate&) const = default;
};

struct EdgeMetrics {
  std::string edge_id;
  std::optional<UnixNanos> event_time;
  std::optional<std::int64_t> uptime_ms;
  bool operator==(const EdgeMetrics&) const = default;
};

}  // namespace gx
