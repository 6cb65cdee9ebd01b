// GET /api/v2/stations
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/json_read.h"

namespace gx {
namespace {

Status ReadStation(json::element e, Station& s) {
  using namespace json;
  s.id = StrCopy(e, "id");
  if (s.id.empty()) return Status::Error("station without id");
  s.name = StrCopy(e, "name");
  s.status = StrCopy(e, "status");
  s.type = StrCopy(e, "type");
  s.user_id = StrCopy(e, "userId");
  s.web_rtc_user_id = StrCopy(e, "webRtcUserId");
  s.line_appearance_id = StrCopy(e, "lineAppearanceId");
  return Status::Ok();
}

}  // namespace

Status ParseStationsPage(std::string_view body, Page<Station>& out) {
  return json::ParseListing(body, "stations", out, ReadStation);
}

}  // namespace gx
