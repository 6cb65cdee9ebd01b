// Routes a Notification Service frame by topicName (genesys-api.md §5).
#include "exporter/genesys/parse/notification_parser.h"

#include "exporter/genesys/parse/entity_readers.h"

namespace gx {
namespace {

constexpr std::string_view kPhonesPrefix = "v2.telephony.providers.edges.phones.";
constexpr std::string_view kTrunksPrefix = "v2.telephony.providers.edges.trunks.";
constexpr std::string_view kEdgesPrefix = "v2.telephony.providers.edges.";
constexpr std::string_view kUsersPrefix = "v2.users.";
constexpr std::string_view kSystemPrefix = "v2.system.";
constexpr std::string_view kMetricsSuffix = ".metrics";
constexpr std::string_view kStationSuffix = ".station";

// A topic id segment: non-empty and without dots.
bool IsId(std::string_view s) { return !s.empty() && s.find('.') == std::string_view::npos; }

Status BodyError(std::string_view kind) {
  return Status::Error("notification: " + std::string(kind) + " event without an object eventBody");
}

Status ReadSystem(std::string_view topic, std::optional<json::element> body, NotificationFrame& out) {
  out.topic_kind = "system";
  if (topic == "v2.system.socket_closing") {
    out.event = SocketClosingEvent{};
    return Status::Ok();
  }
  SystemEvent ev;
  if (body) {
    ev.system_topic_type = json::StrCopy(*body, "systemTopicType");
    ev.reason = json::StrCopy(*body, "reason");
    ev.channel_id = json::StrCopy(*body, "channelId");
  }
  if (ev.system_topic_type.empty() && topic.starts_with(kSystemPrefix)) {
    // v2.system.no_longer_subscribed.{id} -> no_longer_subscribed
    std::string_view rest = topic.substr(kSystemPrefix.size());
    ev.system_topic_type = std::string(rest.substr(0, rest.find('.')));
  }
  out.event = std::move(ev);
  return Status::Ok();
}

}  // namespace

Status ParseNotification(std::string_view frame, NotificationFrame& out) {
  json::Document doc;
  if (auto st = doc.Parse(frame, json::kMaxFrameBytes, "notification"); !st.ok()) return st;
  json::element root = doc.root();
  if (!root.is_object()) return Status::Error("notification: frame is not a JSON object");
  std::string_view topic = json::Str(root, "topicName");
  if (topic.empty()) return Status::Error("notification: frame without topicName");
  out.topic_name = std::string(topic);
  out.correlation_id.clear();
  if (auto meta = json::Field(root, "metadata")) out.correlation_id = json::StrCopy(*meta, "CorrelationId");
  std::optional<json::element> body = json::Field(root, "eventBody");
  if (body && !body->is_object()) body.reset();

  if (topic == "channel.metadata") {
    out.topic_kind = "heartbeat";
    std::string_view message = body ? json::Str(*body, "message") : std::string_view();
    if (message == "pong") {
      out.event = PongEvent{};
    } else {
      out.event = HeartbeatEvent{};
    }
    return Status::Ok();
  }
  if (topic.starts_with(kSystemPrefix) || topic == "v2.subscription.updated") {
    return ReadSystem(topic, body, out);
  }
  if (topic.starts_with(kPhonesPrefix) && IsId(topic.substr(kPhonesPrefix.size()))) {
    out.topic_kind = "phone";
    if (!body) return BodyError("phone");
    PhoneStatusUpdate u;
    u.phone_id = json::StrCopy(*body, "id");
    if (u.phone_id.empty()) u.phone_id = std::string(topic.substr(kPhonesPrefix.size()));
    if (auto s = json::Field(*body, "status"); s && s->is_object()) u.status = json::ReadPhoneStatus(*s);
    if (auto s = json::Field(*body, "secondaryStatus"); s && s->is_object()) {
      u.secondary_status = json::ReadPhoneStatus(*s);
    }
    out.event = std::move(u);
    return Status::Ok();
  }
  if (topic.starts_with(kTrunksPrefix)) {
    std::string_view rest = topic.substr(kTrunksPrefix.size());
    if (rest.ends_with(kMetricsSuffix) && IsId(rest.substr(0, rest.size() - kMetricsSuffix.size()))) {
      out.topic_kind = "trunk_metrics";
      if (!body) return BodyError("trunk metrics");
      TrunkMetrics m;
      if (auto st = json::ReadTrunkMetrics(*body, rest.substr(0, rest.size() - kMetricsSuffix.size()), m);
          !st.ok()) {
        return Status::Error("notification: " + st.error());
      }
      out.event = std::move(m);
      return Status::Ok();
    }
    if (IsId(rest)) {
      out.topic_kind = "trunk";
      if (!body) return BodyError("trunk");
      TrunkStatusUpdate u;
      u.trunk_id = json::StrCopy(*body, "id");
      if (u.trunk_id.empty()) u.trunk_id = std::string(rest);
      json::ReadTrunkStatusFields(*body, u);
      out.event = std::move(u);
      return Status::Ok();
    }
  } else if (topic.starts_with(kEdgesPrefix)) {
    std::string_view rest = topic.substr(kEdgesPrefix.size());
    if (rest.ends_with(kMetricsSuffix) && IsId(rest.substr(0, rest.size() - kMetricsSuffix.size()))) {
      out.topic_kind = "edge_metrics";
      if (!body) return BodyError("edge metrics");
      EdgeMetrics m;
      if (auto st = json::ReadEdgeMetrics(*body, rest.substr(0, rest.size() - kMetricsSuffix.size()), m);
          !st.ok()) {
        return Status::Error("notification: " + st.error());
      }
      out.event = std::move(m);
      return Status::Ok();
    }
    if (IsId(rest)) {
      out.topic_kind = "edge";
      if (!body) return BodyError("edge");
      EdgeStatusUpdate u;
      u.edge_id = json::StrCopy(*body, "id");
      if (u.edge_id.empty()) u.edge_id = std::string(rest);
      u.online_status = json::StrCopy(*body, "onlineStatus");
      out.event = std::move(u);
      return Status::Ok();
    }
  } else if (topic.starts_with(kUsersPrefix) && topic.ends_with(kStationSuffix)) {
    std::string_view id =
        topic.substr(kUsersPrefix.size(), topic.size() - kUsersPrefix.size() - kStationSuffix.size());
    if (topic.size() > kUsersPrefix.size() + kStationSuffix.size() && IsId(id)) {
      out.topic_kind = "station";
      UserStation s;
      s.user_id = std::string(id);
      // A disassociation may come with a null or empty body: no station.
      if (body) json::ReadUserStation(*body, s);
      out.event = std::move(s);
      return Status::Ok();
    }
  }
  out.topic_kind = "other";
  out.event = UnknownTopicEvent{std::string(topic)};
  return Status::Ok();
}

}  // namespace gx
