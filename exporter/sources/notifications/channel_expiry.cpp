#include "exporter/sources/notifications/channel_expiry.h"

#include <algorithm>

#include "exporter/util/time_math.h"

namespace gx {

RolloverPlan PlanRollover(std::optional<UnixNanos> expires, UnixNanos created, const RolloverPolicy& policy) {
  RolloverPlan plan;
  UnixNanos lifetime = kDocumentedChannelLifetime;
  if (!expires) {
    plan.verdict = ExpiryVerdict::kMissing;
  } else {
    const UnixNanos said = SaturatingSub(*expires, created);
    if (said <= 0) {
      plan.verdict = ExpiryVerdict::kPast;
    } else if (said < policy.min_interval) {
      plan.verdict = ExpiryVerdict::kTooNear;
    } else if (said > kMaxBelievedChannelLifetime) {
      plan.verdict = ExpiryVerdict::kTooFar;
    } else {
      lifetime = said;
    }
  }
  plan.expires = SaturatingAdd(created, lifetime);
  const UnixNanos margin = std::clamp<UnixNanos>(policy.before_expiry, 0, lifetime / 3);
  // However short the believed lifetime, one channel per interval at most.
  plan.rollover_at = std::max(SaturatingSub(plan.expires, margin), SaturatingAdd(created, policy.min_interval));
  return plan;
}

std::string DescribeVerdict(ExpiryVerdict verdict) {
  switch (verdict) {
    case ExpiryVerdict::kBelieved:
      return "";
    case ExpiryVerdict::kMissing:
      return "missing or unreadable";
    case ExpiryVerdict::kPast:
      return "not after its creation";
    case ExpiryVerdict::kTooNear:
      return "sooner after its creation than min_rollover_interval";
    case ExpiryVerdict::kTooFar:
      return "more than 48 h after its creation";
  }
  return "";
}

}  // namespace gx
