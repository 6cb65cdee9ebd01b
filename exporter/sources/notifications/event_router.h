// Routes one parsed notification: data events go to the same TelephonyState
// apply functions the pollers use (which drop older data); control events
// (heartbeat, pong, socket_closing, system) are reported back for the listener
// to act on. Stateless; thread-safe as TelephonyState is. The listener routes
// control events on the I/O thread (ControlOutcome) and hands data events to the
// push applier, which routes them into one write batch (the TelephonyWriter form).
#pragma once

#include "exporter/genesys/parse/notification_parser.h"
#include "exporter/state/telephony_state.h"

namespace gx {

enum class RouteOutcome {
  kApplied,        // the state took the data
  kStale,          // older than the state holds, or an entity the state does not know
  kHeartbeat,
  kPong,
  kSocketClosing,  // v2.system.socket_closing: roll the channel over
  kRebuild,        // no_longer_subscribed / token_revoked: rebuild the channel
  kSystemOther,    // other v2.system.* (e.g. subscription_changed)
  kUnknownTopic,
};

RouteOutcome RouteNotification(const NotificationFrame& n, TelephonyState& state, UnixNanos observed_at);
RouteOutcome RouteNotification(const NotificationFrame& n, TelephonyWriter& state, UnixNanos observed_at);

// The outcome of a control event (no state involved), or nullopt for a data event.
std::optional<RouteOutcome> ControlOutcome(const NotificationFrame& n);

}  // namespace gx
