#include "exporter/genesys/parse/entity_readers.h"

namespace gx::json {

PhoneStatus ReadPhoneStatus(element status) {
  PhoneStatus s;
  s.operational_status = AtomStr(status, "operationalStatus");
  s.edges_status = AtomStr(status, "edgesStatus");
  s.event_creation_time = Time(status, "eventCreationTime");
  s.edge = Ref(status, "edge");
  if (auto lines = Arr(status, "lineStatuses")) {
    s.lines.reserve(lines->size());
    for (element l : *lines) {
      if (!l.is_object()) continue;
      LineStatus line;
      line.id = AtomStr(l, "id");
      // A line status without `reachable` is not registered as far as anyone can tell.
      line.reachable = Bool(l, "reachable").value_or(false);
      s.lines.push_back(std::move(line));
    }
  }
  return s;
}

std::vector<ProxyState> ReadProxies(element list, std::string_view state_key, std::string_view time_key) {
  std::vector<ProxyState> out;
  if (!list.is_array()) return out;
  const array items = list.get_array().value_unsafe();
  for (element p : items) {
    if (!p.is_object()) continue;
    ProxyState proxy;
    proxy.proxy_address = StrCopy(p, "proxyAddress");
    proxy.up = Bool(p, state_key).value_or(false);
    proxy.state_time = Time(p, time_key);
    if (auto err = Field(p, "errorInfo")) proxy.error_text = StrCopy(*err, "text");
    out.push_back(std::move(proxy));
  }
  return out;
}

Status ReadTrunkMetrics(element e, std::string_view fallback_id, TrunkMetrics& out) {
  out = TrunkMetrics{};
  out.trunk_id = Ref(e, "trunk").id;
  if (out.trunk_id.empty()) out.trunk_id = std::string(fallback_id);
  if (out.trunk_id.empty()) return Status::Error("trunk metrics without trunk.id");
  out.event_time = Time(e, "eventTime");
  if (auto calls = Field(e, "calls")) {
    out.inbound_calls = Int(*calls, "inboundCallCount");
    out.outbound_calls = Int(*calls, "outboundCallCount");
  }
  if (auto qos = Field(e, "qos")) out.qos_mismatches = Int(*qos, "mismatchCount");
  return Status::Ok();
}

Status ReadEdgeMetrics(element e, std::string_view fallback_id, EdgeMetrics& out) {
  out = EdgeMetrics{};
  out.edge_id = Ref(e, "edge").id;
  if (out.edge_id.empty()) out.edge_id = std::string(fallback_id);
  if (out.edge_id.empty()) return Status::Error("edge metrics without edge.id");
  out.event_time = Time(e, "eventTime");
  out.uptime_ms = Int(e, "upTimeMsec");
  return Status::Ok();
}

void ReadUserStation(element e, UserStation& out) {
  out.station_id.clear();
  out.station_name.clear();
  out.station_type.clear();
  auto station = Field(e, "associatedStation");
  if (!station || !station->is_object()) return;
  out.station_id = StrCopy(*station, "id");
  out.station_name = StrCopy(*station, "name");
  out.station_type = StrCopy(*station, "type");
}

void ReadTrunkStatusFields(element e, TrunkStatusUpdate& out) {
  if (auto cs = Field(e, "connectedStatus")) {
    out.connected = Bool(*cs, "connected");
    out.connected_state_time = Time(*cs, "connectedStateTime");
  }
  if (auto list = Field(e, "optionsStatus"); list && list->is_array()) {
    out.options = ReadProxies(*list, "optionState", "optionStateTime");
  }
  if (auto list = Field(e, "registersStatus"); list && list->is_array()) {
    out.registers = ReadProxies(*list, "registerState", "registerStateTime");
  }
  if (auto ip = Field(e, "ipStatus"); ip && ip->is_object()) out.ip_address = StrCopy(*ip, "address");
}

}  // namespace gx::json
