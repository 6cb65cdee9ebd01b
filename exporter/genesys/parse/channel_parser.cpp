// POST /api/v2/notifications/channels and the channel subscription listings.
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/genesys/parse/json_read.h"

namespace gx {
namespace {

// The id goes into request paths (/channels/{id}/subscriptions) and logs: keep it a plain token.
bool PlainId(std::string_view id) {
  if (id.size() > 256) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Status ParseChannel(std::string_view body, Channel& out) {
  json::Document doc;
  if (auto st = doc.Parse(body, 1u << 20, "channel"); !st.ok()) return st;
  json::element root = doc.root();
  if (!root.is_object()) return Status::Error("channel: body is not a JSON object");
  out.id = json::StrCopy(root, "id");
  out.connect_uri = json::StrCopy(root, "connectUri");
  out.expires = json::Time(root, "expires");
  if (out.id.empty()) return Status::Error("channel: no id");
  if (!PlainId(out.id)) return Status::Error("channel: id is not a plain token of at most 256 characters");
  if (out.connect_uri.empty()) return Status::Error("channel: no connectUri");
  if (out.connect_uri.size() > 2048) return Status::Error("channel: connectUri longer than 2048 characters");
  // An unreadable `expires` is kept as absent; the listener then assumes the documented lifetime.
  return Status::Ok();
}

Status ParseSubscriptions(std::string_view body, std::vector<TopicSubscription>& out) {
  json::Document doc;
  if (auto st = doc.Parse(body, json::kMaxBodyBytes, "subscriptions"); !st.ok()) return st;
  json::element root = doc.root();
  out.clear();
  json::array list;
  if (root.is_array()) {
    list = root.get_array().value_unsafe();
  } else if (auto entities = json::Arr(root, "entities")) {
    list = *entities;
  } else if (root.is_object()) {
    return Status::Ok();  // no entities: no subscriptions
  } else {
    return Status::Error("subscriptions: body is not a JSON object");
  }
  for (json::element e : list) {
    if (!e.is_object()) continue;
    TopicSubscription t;
    t.id = json::StrCopy(e, "id");
    if (t.id.empty()) continue;
    t.state = json::StrCopy(e, "state");
    t.rejection_reason = json::StrCopy(e, "rejectionReason");
    t.missing_permissions = json::StringArray(e, "missingPermissions");
    out.push_back(std::move(t));
  }
  return Status::Ok();
}

}  // namespace gx
