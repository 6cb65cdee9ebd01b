// GET /api/v2/users/{userId}/station
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/entity_readers.h"

namespace gx {

Status ParseUserStation(std::string_view body, const std::string& user_id, UserStation& out) {
  json::Document doc;
  if (auto st = doc.Parse(body, json::kMaxBodyBytes, "user station"); !st.ok()) return st;
  if (!doc.root().is_object()) return Status::Error("user station: body is not a JSON object");
  out.user_id = user_id;
  json::ReadUserStation(doc.root(), out);
  return Status::Ok();
}

}  // namespace gx
