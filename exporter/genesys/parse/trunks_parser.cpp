// GET /api/v2/telephony/providers/edges/trunks
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/entity_readers.h"

namespace gx {
namespace {

Status ReadTrunk(json::element e, Trunk& t) {
  using namespace json;
  t.id = StrCopy(e, "id");
  if (t.id.empty()) return Status::Error("trunk without id");
  t.name = StrCopy(e, "name");
  t.trunk_type = StrCopy(e, "trunkType");
  t.state = StrCopy(e, "state");
  t.edge = Ref(e, "edge");
  t.trunk_base = Ref(e, "trunkBase");
  t.in_service = Bool(e, "inService");
  t.enabled = Bool(e, "enabled");
  TrunkStatusUpdate st;
  ReadTrunkStatusFields(e, st);
  t.connected = st.connected;
  t.connected_state_time = st.connected_state_time;
  if (st.options) t.options = std::move(*st.options);
  if (st.registers) t.registers = std::move(*st.registers);
  if (st.ip_address) t.ip_address = std::move(*st.ip_address);
  t.options_enabled_status = StrCopy(e, "optionsEnabledStatus");
  t.registers_enabled_status = StrCopy(e, "registersEnabledStatus");
  t.proxy_address_list = StringArray(e, "proxyAddressList");
  return Status::Ok();
}

}  // namespace

Status ParseTrunksPage(std::string_view body, Page<Trunk>& out) {
  return json::ParseListing(body, "trunks", out, ReadTrunk);
}

}  // namespace gx
