// When to roll a notification channel over, from the `expires` the service sent.
// The service's word is bounded: a channel lives 24 h (docs/genesys-api.md), so an
// expiry that is missing, in the past, nearer than one rollover interval or beyond
// 48 h is replaced by the documented lifetime, and no rollover is ever planned
// sooner than `min_interval` after the channel was created. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "exporter/util/clock.h"

namespace gx {

constexpr UnixNanos kDocumentedChannelLifetime = 24 * 3600 * kNanosPerSecond;
constexpr UnixNanos kMaxBelievedChannelLifetime = 2 * kDocumentedChannelLifetime;

struct RolloverPolicy {
  UnixNanos before_expiry = 0;  // notifications.rollover_before_expiry
  UnixNanos min_interval = 0;   // notifications.min_rollover_interval
};

// What the listener made of the service's `expires`.
enum class ExpiryVerdict { kBelieved, kMissing, kPast, kTooNear, kTooFar };

struct RolloverPlan {
  ExpiryVerdict verdict = ExpiryVerdict::kBelieved;
  UnixNanos expires = 0;      // the expiry the listener believes
  UnixNanos rollover_at = 0;  // when the replacement channel is opened
};

// `created` is when the channel was requested (the listener's clock).
RolloverPlan PlanRollover(std::optional<UnixNanos> expires, UnixNanos created, const RolloverPolicy& policy);

// "beyond 48 h after its creation" and the like; empty for kBelieved.
std::string DescribeVerdict(ExpiryVerdict verdict);

}  // namespace gx
