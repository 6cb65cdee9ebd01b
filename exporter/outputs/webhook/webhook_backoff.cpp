#include "exporter/outputs/webhook/webhook_backoff.h"

#include <algorithm>

#include "exporter/util/time_math.h"

namespace gx {

RetryDelay ComputeRetryDelay(const ReceiverConfig& receiver, int attempts, double jitter01,
                             std::optional<UnixNanos> retry_after) {
  constexpr UnixNanos kFloor = kNanosPerMilli;
  const UnixNanos cap = std::max(kFloor, SecondsToNanos(receiver.max_backoff.count()));
  const UnixNanos initial = std::max(kFloor, SecondsToNanos(receiver.initial_backoff.count()));
  const int doublings = std::clamp(attempts - 1, 0, 40);
  const UnixNanos backoff = std::min(cap, SaturatingMul(initial, std::int64_t{1} << doublings));
  // Equal jitter: at least half the backoff, so retries never bunch at zero. backoff / 2
  // is below 2^62, so the product converts back exactly enough and cannot overflow.
  const double jitter = std::clamp(jitter01, 0.0, 1.0);
  RetryDelay out;
  out.delay = backoff / 2 + static_cast<UnixNanos>(jitter * static_cast<double>(backoff / 2));
  if (retry_after) {
    UnixNanos asked = std::max<UnixNanos>(0, *retry_after);
    if (asked > cap) {
      asked = cap;
      out.retry_after_clamped = true;
    }
    out.delay = std::max(out.delay, asked);
  }
  out.delay = ClampNanos(out.delay, kFloor, cap);
  return out;
}

}  // namespace gx
