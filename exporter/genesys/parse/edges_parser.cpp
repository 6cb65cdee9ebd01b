// GET /api/v2/telephony/providers/edges
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/json_read.h"

namespace gx {
namespace {

Status ReadEdge(json::element e, Edge& edge) {
  using namespace json;
  edge.id = StrCopy(e, "id");
  if (edge.id.empty()) return Status::Error("edge without id");
  edge.name = StrCopy(e, "name");
  edge.state = StrCopy(e, "state");
  edge.site = Ref(e, "site");
  edge.software_version = StrCopy(e, "softwareVersion");
  edge.online_status = StrCopy(e, "onlineStatus");
  edge.status_code = StrCopy(e, "statusCode");
  return Status::Ok();
}

}  // namespace

Status ParseEdgesPage(std::string_view body, Page<Edge>& out) {
  return json::ParseListing(body, "edges", out, ReadEdge);
}

}  // namespace gx
