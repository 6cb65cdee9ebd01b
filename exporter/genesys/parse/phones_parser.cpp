// GET /api/v2/telephony/providers/edges/phones?expand=status,lines
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/entity_readers.h"

namespace gx {
namespace {

Status ReadPhone(json::element e, Phone& p) {
  using namespace json;
  p.id = StrCopy(e, "id");
  if (p.id.empty()) return Status::Error("phone without id");
  p.name = StrCopy(e, "name");
  p.state = AtomStr(e, "state");
  p.site = Ref(e, "site");
  p.web_rtc_user_id = Ref(e, "webRtcUser").id;
  if (auto lines = Arr(e, "lines")) {
    p.line_ids.reserve(lines->size());
    for (element l : *lines) {
      Atom id = AtomStr(l, "id");
      if (!id.empty()) p.line_ids.push_back(std::move(id));
    }
  }
  if (auto s = Field(e, "status"); s && s->is_object()) p.status = ReadPhoneStatus(*s);
  if (auto s = Field(e, "secondaryStatus"); s && s->is_object()) p.secondary_status = ReadPhoneStatus(*s);
  if (auto caps = Field(e, "capabilities")) p.media_codecs = StringArray<Atom>(*caps, "mediaCodecs");
  if (auto ua = Field(e, "userAgentInfo")) {
    p.manufacturer = AtomStr(*ua, "manufacturer");
    p.model = AtomStr(*ua, "model");
    p.firmware_version = AtomStr(*ua, "firmwareVersion");
  }
  return Status::Ok();
}

}  // namespace

Status ParsePhonesPage(std::string_view body, Page<Phone>& out) {
  return json::ParseListing(body, "phones", out, ReadPhone);
}

}  // namespace gx
