#include "exporter/sources/notifications/event_router.h"

#include <type_traits>

namespace gx {

std::optional<RouteOutcome> ControlOutcome(const NotificationFrame& n) {
  return std::visit(
      [&](const auto& ev) -> std::optional<RouteOutcome> {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, HeartbeatEvent>) {
          return RouteOutcome::kHeartbeat;
        } else if constexpr (std::is_same_v<T, PongEvent>) {
          return RouteOutcome::kPong;
        } else if constexpr (std::is_same_v<T, SocketClosingEvent>) {
          return RouteOutcome::kSocketClosing;
        } else if constexpr (std::is_same_v<T, SystemEvent>) {
          if (ev.system_topic_type == "no_longer_subscribed" || ev.system_topic_type == "token_revoked") {
            return RouteOutcome::kRebuild;
          }
          return RouteOutcome::kSystemOther;
        } else if constexpr (std::is_same_v<T, PhoneStatusUpdate> || std::is_same_v<T, TrunkStatusUpdate> ||
                             std::is_same_v<T, TrunkMetrics> || std::is_same_v<T, EdgeStatusUpdate> ||
                             std::is_same_v<T, EdgeMetrics> || std::is_same_v<T, UserStation>) {
          return std::nullopt;
        } else {
          return RouteOutcome::kUnknownTopic;
        }
      },
      n.event);
}

RouteOutcome RouteNotification(const NotificationFrame& n, TelephonyWriter& state, UnixNanos observed_at) {
  if (auto control = ControlOutcome(n)) return *control;
  auto applied = [](bool ok) { return ok ? RouteOutcome::kApplied : RouteOutcome::kStale; };
  return std::visit(
      [&](const auto& ev) -> RouteOutcome {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, PhoneStatusUpdate>) {
          return applied(state.ApplyPhoneStatus(ev, observed_at));
        } else if constexpr (std::is_same_v<T, TrunkStatusUpdate>) {
          return applied(state.ApplyTrunkStatus(ev, observed_at));
        } else if constexpr (std::is_same_v<T, TrunkMetrics>) {
          return applied(state.ApplyTrunkMetrics(ev, observed_at));
        } else if constexpr (std::is_same_v<T, EdgeStatusUpdate>) {
          return applied(state.ApplyEdgeStatus(ev, observed_at));
        } else if constexpr (std::is_same_v<T, EdgeMetrics>) {
          return applied(state.ApplyEdgeMetrics(ev, observed_at));
        } else if constexpr (std::is_same_v<T, UserStation>) {
          return applied(state.ApplyUserStation(ev, observed_at));
        } else {
          return RouteOutcome::kUnknownTopic;  // not reached: ControlOutcome answered
        }
      },
      n.event);
}

RouteOutcome RouteNotification(const NotificationFrame& n, TelephonyState& state, UnixNanos observed_at) {
  if (auto control = ControlOutcome(n)) return *control;
  return state.Write([&](TelephonyWriter& w) { return RouteNotification(n, w, observed_at); });
}

}  // namespace gx
