// The decisions that keep one notification channel alive, as a pure function of
// what the sockets were seen doing and of the time: heartbeat watch and ping,
// losing a socket, promoting a replacement (make-before-break), connect
// timeouts, rollovers (socket_closing, token refresh, expiry) at most once per
// min_rollover_interval, re-subscription, and the backoff between attempts.
// It does no I/O and reads no clock: the listener observes its links, calls
// Step() and carries out the returned commands, reporting the REST calls that
// failed. One instance per channel slot; not thread-safe (the manager thread's).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "exporter/util/backoff.h"
#include "exporter/util/clock.h"

namespace gx {

// Why a socket is replaced: the `reason` label of genesys_notifications_reconnects_total.
enum class ReconnectReason { kNone, kHeartbeatTimeout, kSocketClosing, kChannelExpiry, kTokenRefresh, kError };
// "heartbeat_timeout", "socket_closing", ...; empty for kNone.
std::string_view ReasonLabel(ReconnectReason reason);
// Every label, for pre-creating the series.
std::vector<std::string_view> AllReasonLabels();

// A v2.system event asking for a new channel.
enum class RebuildCause { kNone, kNoLongerSubscribed, kTokenRevoked };

// One socket as the I/O thread last reported it.
struct SocketView {
  bool open = false;
  bool ended = false;
  bool socket_closing = false;  // the service announced it will close this socket
  RebuildCause rebuild = RebuildCause::kNone;
  UnixNanos opened_at = 0;
  UnixNanos last_message = 0;  // 0: none yet
};

// One channel (REST resource plus its socket).
struct LinkView {
  SocketView socket;
  UnixNanos created = 0;             // when the channel was requested
  UnixNanos rollover_at = 0;         // from the channel's believed expiry
  std::uint64_t token_generation = 0;  // the token the channel was created with
  bool subscribed_as_planned = true;   // its topics are the plan's
};

struct SlotView {
  std::optional<LinkView> active;  // the link events come from
  std::optional<LinkView> next;    // being built: a first connect, a reconnect or a rollover
  bool wanted = false;             // the plan has topics for this slot
  std::uint64_t token_generation = 0;  // the token source's current one
};

struct SupervisorPolicy {
  UnixNanos heartbeat_timeout = 0;  // silence before a ping
  UnixNanos ping_timeout = 0;       // a ping unanswered this long loses the socket
  UnixNanos connect_timeout = 0;    // a link not open by then (plus a second) is given up
  UnixNanos min_rollover_interval = 0;
  Backoff backoff;
};

// A socket that stayed up this long resets the backoff.
constexpr UnixNanos kStableSocket = 30 * kNanosPerSecond;
// A link closed for a rollover is forgotten at the latest this long after.
constexpr UnixNanos kRetireGrace = 10 * kNanosPerSecond;

struct SupervisorCommand {
  enum class Kind {
    kDropEnded,        // the active socket ended: log, drop it (reason: socket_closing or error)
    kDropRebuild,      // the service asked for a new channel: log, drop the active one
    kDropSilent,       // no heartbeat and no pong: log, drop the active one
    kPing,             // send a ping on the active socket
    kPromote,          // `next` is open: it becomes the active link
    kAbandonNext,      // `next` ended or did not open in time: log, drop it
    kBuild,            // create a channel as `next` (reason kNone: the first one)
    kRollover,         // log, then create a channel as `next` (make-before-break)
    kRolloverDeferred, // a rollover is due within min_rollover_interval of the last: log only
    kResubscribe,      // put the plan's topics on the active channel
  };
  Kind kind;
  ReconnectReason reason = ReconnectReason::kNone;  // drops, builds, rollovers; kPromote: the reconnect to count
  RebuildCause rebuild = RebuildCause::kNone;       // kDropRebuild
  bool retire_active = false;  // kPromote: close the old active link and keep it until retire_deadline
  UnixNanos retire_deadline = 0;
  bool resync = false;  // kPromote: a socket was down; re-poll what the new one carries

  bool operator==(const SupervisorCommand&) const = default;
};

class ChannelSupervisor {
 public:
  // `unit_random` returns values in [0, 1) for the backoff's jitter.
  ChannelSupervisor(SupervisorPolicy policy, std::function<double()> unit_random);

  // The commands for this slot now, in the order to carry them out. Later commands
  // assume the earlier ones were carried out (a dropped link is gone, a promoted
  // one is active).
  std::vector<SupervisorCommand> Step(const SlotView& view, UnixNanos now);

  // A kBuild or kRollover could not create or subscribe the channel.
  void BuildFailed(UnixNanos now);
  // A kResubscribe failed.
  void ResubscribeFailed(UnixNanos now);

  int failures() const { return failures_; }
  UnixNanos retry_at() const { return retry_at_; }
  UnixNanos resubscribe_at() const { return resubscribe_at_; }
  UnixNanos next_rollover_allowed() const { return next_rollover_allowed_; }
  UnixNanos ping_sent_at() const { return ping_sent_at_; }
  ReconnectReason pending_reason() const { return reason_; }
  bool gap() const { return gap_; }

 private:
  void WatchActive(std::optional<LinkView>& active, bool has_next, UnixNanos now, std::vector<SupervisorCommand>& out);
  void Lose(std::optional<LinkView>& active, bool has_next, ReconnectReason reason, UnixNanos now);
  UnixNanos NextDelay();

  SupervisorPolicy policy_;
  std::function<double()> unit_random_;
  int failures_ = 0;
  UnixNanos retry_at_ = 0;
  UnixNanos resubscribe_at_ = 0;
  UnixNanos next_rollover_allowed_ = 0;  // the last rollover + min_rollover_interval
  UnixNanos ping_sent_at_ = 0;           // 0: none outstanding on the active link
  ReconnectReason reason_ = ReconnectReason::kNone;  // counted when the next link takes over
  bool gap_ = false;                                 // a socket was down: resync once a new one is up
};

}  // namespace gx
