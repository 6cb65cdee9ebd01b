// GET /api/v2/telephony/providers/edges/trunkbasesettings?expand=properties
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/json_read.h"

namespace gx {
namespace {

// properties.<key>.value.instance, falling back to .value.default when the
// base does not override the template's value.
std::optional<json::element> PropertyValue(json::element properties, std::string_view key) {
  auto prop = json::Field(properties, key);
  if (!prop) return std::nullopt;
  auto value = json::Field(*prop, "value");
  if (!value) return std::nullopt;
  if (auto instance = json::Field(*value, "instance")) return instance;
  return json::Field(*value, "default");
}

Status ReadTrunkBase(json::element e, TrunkBase& b) {
  using namespace json;
  b.id = StrCopy(e, "id");
  if (b.id.empty()) return Status::Error("trunk base without id");
  b.name = StrCopy(e, "name");
  b.trunk_type = StrCopy(e, "trunkType");
  if (auto props = Field(e, "properties"); props && props->is_object()) {
    if (auto v = PropertyValue(*props, "trunk_transport_serverProxyList")) {
      if (v->is_array()) {
        b.server_proxy_list = StringArray(*v);
      } else if (v->is_string()) {
        b.server_proxy_list.emplace_back(v->get_string().value_unsafe());
      }
    }
    if (auto v = PropertyValue(*props, "trunk_transport_protocolVariant"); v && v->is_string()) {
      b.protocol_variant = std::string(v->get_string().value_unsafe());
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseTrunkBasesPage(std::string_view body, Page<TrunkBase>& out) {
  return json::ParseListing(body, "trunk base settings", out, ReadTrunkBase);
}

}  // namespace gx
