// Capped exponential backoff with "equal jitter" (half fixed, half random): the one used by
// the API client's retries, the notification channel's reconnects and webhook redelivery, so
// that many clients do not retry in lock-step yet no retry comes sooner than half the nominal
// wait. BackoffDelay is pure; UnitRandom is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>

#include "exporter/util/clock.h"

namespace gx {

struct Backoff {
  UnixNanos initial = kNanosPerSecond;  // the first retry waits between initial/2 and initial
  UnixNanos max = 60 * kNanosPerSecond;  // cap of one nominal wait; below `initial` it is `initial`
};

// The wait before retry number `retry` (0 = the first retry): nominal = min(max, initial *
// 2^retry), then nominal/2 + unit_random * nominal/2. A negative `retry` counts as 0, a
// negative `initial` as 0, and `unit_random` is clamped to [0, 1]; nothing overflows.
UnixNanos BackoffDelay(const Backoff& backoff, int retry, double unit_random);

// Numbers in [0, 1) for the jitter: a generator seeded from std::random_device, or the
// function a test injects (which is then called under the same lock).
class UnitRandom {
 public:
  explicit UnitRandom(std::function<double()> injected = {});
  double Next();

 private:
  std::function<double()> injected_;
  std::mutex mu_;
  std::uint64_t state_;
};

}  // namespace gx
