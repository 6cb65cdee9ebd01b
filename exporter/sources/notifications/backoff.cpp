#include "exporter/sources/notifications/backoff.h"

#include <algorithm>
#include <cmath>
#include "exporter/util/time_math.h"

namespace gx {

UnixNanos BackoffDelay(const BackoffPolicy& policy, int failures, double unit_random) {
  const double initial = std::max(0.0, policy.initial_seconds);
  const double cap = std::max(initial, policy.max_seconds);
  const int exponent = std::clamp(failures, 0, 30);  // 2^30 s is far past any cap
  const double nominal = std::min(cap, initial * std::ldexp(1.0, exponent));
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return SecondsToNanos(nominal / 2 + nominal / 2 * r);
}

}  // namespace gx
