#include "exporter/sources/notifications/channel_supervisor.h"

#include <algorithm>
#include <utility>

#include "exporter/util/time_math.h"

namespace gx {

using Kind = SupervisorCommand::Kind;

std::string_view ReasonLabel(ReconnectReason reason) {
  switch (reason) {
    case ReconnectReason::kNone: return "";
    case ReconnectReason::kHeartbeatTimeout: return "heartbeat_timeout";
    case ReconnectReason::kSocketClosing: return "socket_closing";
    case ReconnectReason::kChannelExpiry: return "channel_expiry";
    case ReconnectReason::kTokenRefresh: return "token_refresh";
    case ReconnectReason::kError: return "error";
  }
  return "";
}

std::vector<std::string_view> AllReasonLabels() {
  std::vector<std::string_view> labels;
  for (auto r : {ReconnectReason::kHeartbeatTimeout, ReconnectReason::kSocketClosing, ReconnectReason::kChannelExpiry,
                 ReconnectReason::kTokenRefresh, ReconnectReason::kError}) {
    labels.push_back(ReasonLabel(r));
  }
  return labels;
}

ChannelSupervisor::ChannelSupervisor(SupervisorPolicy policy, std::function<double()> unit_random)
    : policy_(policy), unit_random_(std::move(unit_random)) {}

UnixNanos ChannelSupervisor::NextDelay() { return BackoffDelay(policy_.backoff, failures_++, unit_random_()); }

std::vector<SupervisorCommand> ChannelSupervisor::Step(const SlotView& view, UnixNanos now) {
  std::vector<SupervisorCommand> out;
  std::optional<LinkView> active = view.active;
  std::optional<LinkView> next = view.next;

  // 1. The active socket: ended, asked to rebuild, or silent.
  if (active) WatchActive(active, next.has_value(), now, out);

  // 2. A link being built: promote it once open, or retry later.
  if (next) {
    if (next->socket.open) {
      SupervisorCommand promote{Kind::kPromote};
      if (active) {
        // Make-before-break: the new socket is up and subscribed; only now close the old one.
        promote.retire_active = true;
        promote.retire_deadline = SaturatingAdd(now, kRetireGrace);
        next_rollover_allowed_ = SaturatingAdd(now, policy_.min_rollover_interval);
      }
      promote.reason = std::exchange(reason_, ReconnectReason::kNone);
      promote.resync = std::exchange(gap_, false);
      ping_sent_at_ = 0;
      active = std::move(next);
      next.reset();
      out.push_back(promote);
    } else if (next->socket.ended ||
               now - next->created > SaturatingAdd(policy_.connect_timeout, kNanosPerSecond)) {
      out.push_back({Kind::kAbandonNext});
      next.reset();
      retry_at_ = SaturatingAdd(now, NextDelay());
    }
  }

  // 3. Nothing up and nothing coming: build one (after the backoff).
  if (!active && !next && view.wanted && now >= retry_at_) out.push_back({Kind::kBuild, reason_});

  // 4. Rollover triggers on a healthy socket, one link at a time.
  if (active && !next && active->socket.open && now >= retry_at_) {
    ReconnectReason due = ReconnectReason::kNone;
    if (active->socket.socket_closing) {
      due = ReconnectReason::kSocketClosing;
    } else if (active->token_generation != view.token_generation) {
      due = ReconnectReason::kTokenRefresh;
    } else if (now >= active->rollover_at) {
      due = ReconnectReason::kChannelExpiry;
    }
    if (due != ReconnectReason::kNone && now < next_rollover_allowed_) {
      // A service that keeps asking (socket_closing on every new socket, say) gets one
      // rollover per interval; if it closes the socket meanwhile, the loss path backs off.
      out.push_back({Kind::kRolloverDeferred, due});
    } else if (due != ReconnectReason::kNone) {
      reason_ = due;
      out.push_back({Kind::kRollover, due});
    }
  }

  // 5. Keep the subscriptions in step with the plan (entities came or went).
  if (active && active->socket.open && !active->subscribed_as_planned && view.wanted && now >= resubscribe_at_) {
    out.push_back({Kind::kResubscribe});
  }
  return out;
}

void ChannelSupervisor::WatchActive(std::optional<LinkView>& active, bool has_next, UnixNanos now,
                                    std::vector<SupervisorCommand>& out) {
  const SocketView& s = active->socket;
  if (s.ended) {
    const auto reason = s.socket_closing ? ReconnectReason::kSocketClosing : ReconnectReason::kError;
    out.push_back({Kind::kDropEnded, reason});
    Lose(active, has_next, reason, now);
  } else if (s.rebuild != RebuildCause::kNone) {
    const auto reason =
        s.rebuild == RebuildCause::kTokenRevoked ? ReconnectReason::kTokenRefresh : ReconnectReason::kError;
    out.push_back({Kind::kDropRebuild, reason, s.rebuild});
    Lose(active, has_next, reason, now);
  } else if (s.open) {
    const UnixNanos last = std::max(s.last_message, s.opened_at);
    if (ping_sent_at_ != 0 && last >= ping_sent_at_) ping_sent_at_ = 0;  // answered
    if (ping_sent_at_ == 0 && now - last > policy_.heartbeat_timeout) {
      ping_sent_at_ = now;
      out.push_back({Kind::kPing});
    } else if (ping_sent_at_ != 0 && now - ping_sent_at_ > policy_.ping_timeout) {
      out.push_back({Kind::kDropSilent, ReconnectReason::kHeartbeatTimeout});
      Lose(active, has_next, ReconnectReason::kHeartbeatTimeout, now);
    }
  }
}

// A socket is gone without a replacement ready: events may be lost from now on.
void ChannelSupervisor::Lose(std::optional<LinkView>& active, bool has_next, ReconnectReason reason, UnixNanos now) {
  // A socket that stayed up a while resets the backoff; one that keeps dying
  // young (a server accepting and dropping at once) backs off further each time.
  if (now - active->socket.opened_at > kStableSocket) failures_ = 0;
  active.reset();
  ping_sent_at_ = 0;
  if (reason_ == ReconnectReason::kNone) reason_ = reason;
  gap_ = true;
  if (!has_next) retry_at_ = SaturatingAdd(now, NextDelay());
}

void ChannelSupervisor::BuildFailed(UnixNanos now) { retry_at_ = SaturatingAdd(now, NextDelay()); }

void ChannelSupervisor::ResubscribeFailed(UnixNanos now) { resubscribe_at_ = SaturatingAdd(now, NextDelay()); }

}  // namespace gx
