#include "exporter/outputs/webhook/pagerduty_format.h"

#include "exporter/outputs/webhook/message_text.h"
#include "exporter/util/iso_time.h"
#include "exporter/util/json_writer.h"
#include "exporter/util/text_truncate.h"

namespace gx {
namespace {

std::string Field(std::string_view s) { return TruncateChars(s, kPagerDutyMaxFieldChars); }

std::string Trigger(const Alert& a, const AlertMessage& n, const RenderOptions& options) {
  const std::string where = AlertWhere(a);
  std::string summary = a.name() + ": " + a.summary;
  if (!where.empty()) summary += " (" + where + ")";
  const auto site = a.labels.find("site");
  JsonWriter w;
  w.BeginObject();
  w.Field("event_action", "trigger");
  w.Field("dedup_key", PagerDutyDedupKey(a, options.ids));
  w.Field("client", "genesys_exporter");
  w.Key("payload").BeginObject();
  w.Field("summary", TruncateChars(summary, kPagerDutyMaxSummaryChars));
  w.Field("source", Field(a.EntityId()));
  w.Field("severity", PagerDutySeverity(a.severity));
  w.Field("timestamp", FormatIsoTime(AlertStartsAt(a)));
  w.Field("component", Field(a.EntityKind()));
  w.Field("group", Field(site != a.labels.end() ? site->second : n.group_key));
  w.Field("class", Field(a.name()));
  w.Key("custom_details").BeginObject();
  w.Field("fingerprint", a.fingerprint);
  w.Field("group_key", n.group_key);
  w.Key("labels").BeginObject();
  for (const auto& [k, v] : a.labels) w.Field(k, v);
  w.EndObject();
  if (!a.facts.user_id.empty()) w.Field("userId", a.facts.user_id);
  if (!a.facts.device_id.empty()) w.Field("deviceId", a.facts.device_id);
  if (a.facts.registered) w.Field("registered", *a.facts.registered);
  if (!a.facts.codec.empty()) w.Field("codec", a.facts.codec);
  if (!a.facts.carrier_health.empty()) w.Field("carrierHealth", a.facts.carrier_health);
  if (a.facts.tls_valid) w.Field("tlsValid", *a.facts.tls_valid);
  w.EndObject();  // custom_details
  w.EndObject();  // payload
  w.EndObject();
  return w.Take();
}

std::string Resolve(const Alert& a, const RenderOptions& options) {
  JsonWriter w;
  w.BeginObject();
  w.Field("event_action", "resolve");
  w.Field("dedup_key", PagerDutyDedupKey(a, options.ids));
  w.EndObject();
  return w.Take();
}

}  // namespace

std::string_view PagerDutySeverity(std::string_view severity) {
  if (severity == "critical" || severity == "warning" || severity == "info") return severity;
  return "error";
}

std::vector<WebhookRequest> RenderPagerDuty(const AlertMessage& n, const RenderOptions& options) {
  std::vector<WebhookRequest> out;
  for (const auto& a : n.firing) out.push_back({PerAlertMessageId(a, n, options.ids), Trigger(a, n, options)});
  if (options.send_resolved) {
    for (const auto& a : n.resolved) out.push_back({PerAlertMessageId(a, n, options.ids), Resolve(a, options)});
  }
  return out;
}

std::string WithRoutingKey(std::string_view body, std::string_view routing_key) {
  std::string out = "{\"routing_key\":";
  AppendJsonString(out, routing_key);
  const std::string_view rest = body.size() >= 2 ? body.substr(1) : std::string_view("}");
  if (rest != "}") out += ',';
  out += rest;
  return out;
}

}  // namespace gx
