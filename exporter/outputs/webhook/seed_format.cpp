#include "exporter/outputs/webhook/seed_format.h"

#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"

namespace gx {
namespace {

std::string OrUnknown(const std::string& s) { return s.empty() ? "unknown" : s; }

}  // namespace

std::string FormatGoTime(UnixNanos t) {
  std::string s = FormatIsoTime(t, 9);  // "...:SS.nnnnnnnnnZ"
  const auto dot = s.rfind('.');
  if (dot == std::string::npos) return s;
  size_t end = s.size() - 1;  // the 'Z'
  while (end > dot + 1 && s[end - 1] == '0') --end;
  if (end == dot + 1) end = dot;
  return s.substr(0, end) + "Z";
}

std::vector<WebhookRequest> RenderSeed(const AlertMessage& n, const RenderOptions& options) {
  std::vector<WebhookRequest> out;
  for (const auto& a : n.firing) {
    JsonWriter w;
    w.BeginObject();
    w.Field("timestamp", FormatGoTime(n.created_at));
    w.Field("userId", a.facts.user_id);
    w.Field("deviceId", OrUnknown(a.facts.device_id));
    w.Field("registered", a.facts.registered.value_or(false));
    w.Field("codec", OrUnknown(a.facts.codec));
    w.Field("alertType", a.name());
    w.Field("carrierHealth", OrUnknown(a.facts.carrier_health));
    w.Field("tlsValid", a.facts.tls_valid.value_or(false));
    w.EndObject();
    out.push_back({PerAlertMessageId(a, n, options.ids), w.Take()});
  }
  return out;
}

}  // namespace gx
