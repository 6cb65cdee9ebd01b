// Pure parser for Notification Service WebSocket frames: the envelope
// {topicName, version, eventBody, metadata.CorrelationId} routed by topic into the
// same value types the REST parsers produce. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "exporter/util/result.h"
#include "exporter/state/entities.h"

namespace gx {

struct HeartbeatEvent {};  // channel.metadata "WebSocket Heartbeat"
struct PongEvent {};       // channel.metadata "pong"
struct SocketClosingEvent {};  // v2.system.socket_closing
// v2.system.no_longer_subscribed.*, v2.system.token_revoked.*, other v2.system.*
struct SystemEvent {
  std::string system_topic_type;  // no_longer_subscribed, token_revoked, subscription_changed, ...
  std::string reason;
  std::string channel_id;
};
struct UnknownTopicEvent {
  std::string topic;
};

using NotificationEvent = std::variant<HeartbeatEvent, PongEvent, SocketClosingEvent, SystemEvent,
                                       PhoneStatusUpdate, TrunkStatusUpdate, TrunkMetrics, EdgeStatusUpdate,
                                       EdgeMetrics, UserStation, UnknownTopicEvent>;

struct NotificationFrame {
  std::string topic_name;
  std::string correlation_id;
  // phone, trunk, trunk_metrics, edge, edge_metrics, station, system, heartbeat, other
  std::string topic_kind;
  NotificationEvent event;
};

// A malformed frame, or a known topic whose body cannot be read, gives an error.
Status ParseNotification(std::string_view frame, NotificationFrame& out);

}  // namespace gx
