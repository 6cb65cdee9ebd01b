#include "exporter/outputs/webhook/webhook_backoff.h"

#include <algorithm>

#include "exporter/util/backoff.h"
#include "exporter/util/retry_after.h"
#include "exporter/util/time_math.h"

namespace gx {

RetryDelay ComputeRetryDelay(const ReceiverConfig& receiver, int attempts, double jitter01,
                             std::optional<UnixNanos> retry_after) {
  constexpr UnixNanos kFloor = kNanosPerMilli;  // a zero backoff must not make a hot loop
  const UnixNanos cap = std::max(kFloor, SecondsToNanos(receiver.max_backoff.count()));
  const Backoff backoff{std::max(kFloor, SecondsToNanos(receiver.initial_backoff.count())), cap};
  RetryDelay out;
  out.delay = BackoffDelay(backoff, attempts - 1, jitter01);
  if (retry_after) {
    const ServerWait asked = ClampServerWait(*retry_after, cap);
    out.retry_after_clamped = asked.clamped;
    out.delay = std::max(out.delay, asked.wait);
  }
  out.delay = ClampNanos(out.delay, kFloor, cap);
  return out;
}

}  // namespace gx
