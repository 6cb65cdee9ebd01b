// POST <login>/oauth/token answers and error bodies of every endpoint.
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/json_read.h"

namespace gx {

Status ParseOAuthToken(std::string_view body, OAuthToken& out) {
  json::Document doc;
  if (auto st = doc.Parse(body, 1u << 20, "oauth token"); !st.ok()) return st;
  json::element root = doc.root();
  if (!root.is_object()) return Status::Error("oauth token: body is not a JSON object");
  out.access_token = json::StrCopy(root, "access_token");
  if (out.access_token.empty()) return Status::Error("oauth token: no access_token");
  out.token_type = json::StrCopy(root, "token_type");
  auto expires = json::Int(root, "expires_in");
  if (!expires || *expires <= 0) return Status::Error("oauth token: no positive expires_in");
  out.expires_in = *expires;
  return Status::Ok();
}

Status ParseApiErrorBody(std::string_view body, ApiErrorBody& out) {
  out = ApiErrorBody{};
  json::Document doc;
  if (auto st = doc.Parse(body, 1u << 20, "error body"); !st.ok()) return st;
  json::element root = doc.root();
  if (!root.is_object()) return Status::Error("error body: not a JSON object");
  out.error = json::StrCopy(root, "error");
  out.error_description = json::StrCopy(root, "error_description");
  if (out.error_description.empty()) out.error_description = json::StrCopy(root, "description");
  out.code = json::StrCopy(root, "code");
  out.message = json::StrCopy(root, "message");
  out.status = json::Int(root, "status");
  return Status::Ok();
}

}  // namespace gx
