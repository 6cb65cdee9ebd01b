#include "exporter/outputs/webhook/payload_format.h"

#include <algorithm>

#include "exporter/outputs/webhook/message_text.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"

namespace gx {
namespace {

std::string OrUnknown(const std::string& s) { return s.empty() ? "unknown" : s; }

void OptionalBool(JsonWriter& w, std::string_view key, const std::optional<bool>& b) {
  w.Key(key);
  if (b) w.Bool(*b);
  else w.Null();
}

void Labels(JsonWriter& w, const AlertLabels& labels) {
  w.BeginObject();
  for (const auto& [k, v] : labels) w.Field(k, v);
  w.EndObject();
}

// The fields of one alert: the StatusCheckPayload ones first, then ours.
void AlertFields(JsonWriter& w, const Alert& a, UnixNanos timestamp) {
  w.Field("timestamp", FormatIsoTime(timestamp));
  w.Field("userId", a.facts.user_id);
  w.Field("deviceId", OrUnknown(a.facts.device_id));
  OptionalBool(w, "registered", a.facts.registered);
  w.Field("codec", OrUnknown(a.facts.codec));
  w.Field("alertType", a.name());
  w.Field("carrierHealth", OrUnknown(a.facts.carrier_health));
  OptionalBool(w, "tlsValid", a.facts.tls_valid);
  w.Field("status", a.status == AlertStatus::kResolved ? "resolved" : "firing");
  w.Field("severity", a.severity);
  w.Field("fingerprint", a.fingerprint);
  w.Field("summary", a.summary);
  w.Key("labels");
  Labels(w, a.labels);
  w.Field("startsAt", FormatIsoTime(AlertStartsAt(a)));
  if (a.status == AlertStatus::kResolved) w.Field("endsAt", FormatIsoTime(a.resolved_at));
}

}  // namespace

std::string FormatGenericPayload(const AlertMessage& n, int max_alerts) {
  JsonWriter w;
  w.BeginObject();
  if (n.count() == 1) {
    const Alert& a = n.firing.empty() ? n.resolved.front() : n.firing.front();
    AlertFields(w, a, n.created_at);
    w.Field("groupKey", n.group_key);
    w.Field("repeat", n.repeat);
    w.EndObject();
    return w.Take();
  }
  const std::vector<Alert>& lead = LeadAlerts(n);
  const std::string alert_type = GroupAlertType(lead);
  const std::string severity = WorstSeverity(lead);
  const std::string summary = GroupSummary(n);

  w.Field("timestamp", FormatIsoTime(n.created_at));
  w.Field("alertType", alert_type);
  w.Field("status", n.is_firing() ? "firing" : "resolved");
  w.Field("severity", severity);
  w.Field("summary", summary);
  w.Field("groupKey", n.group_key);
  w.Key("groupLabels");
  Labels(w, n.group_labels);
  w.Field("repeat", n.repeat);
  w.Field("count", static_cast<std::int64_t>(n.count()));
  w.Field("firingCount", static_cast<std::int64_t>(n.firing.size()));
  w.Field("resolvedCount", static_cast<std::int64_t>(n.resolved.size()));
  const size_t cap = static_cast<size_t>(std::max(0, max_alerts));
  w.Field("truncated", n.count() > cap);
  w.Key("alerts").BeginArray();
  size_t listed = 0;
  for (const auto* list : {&n.firing, &n.resolved}) {
    for (const auto& a : *list) {
      if (listed++ >= cap) break;
      w.BeginObject();
      AlertFields(w, a, n.created_at);
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string FormatAlertmanagerPayload(const std::vector<Alert>& alerts, UnixNanos now, UnixNanos firing_ttl) {
  JsonWriter w;
  w.BeginArray();
  for (const auto& a : alerts) {
    w.BeginObject();
    w.Key("labels").BeginObject();
    for (const auto& [k, v] : a.labels) w.Field(k, v);
    if (!a.labels.count("severity")) w.Field("severity", a.severity);
    w.EndObject();
    w.Key("annotations").BeginObject();
    w.Field("summary", a.summary);
    w.Field("fingerprint", a.fingerprint);
    w.EndObject();
    w.Field("startsAt", FormatIsoTime(AlertStartsAt(a)));
    w.Field("endsAt", FormatIsoTime(a.status == AlertStatus::kResolved ? a.resolved_at : now + firing_ttl));
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace gx
