// Reconnect delays: capped exponential backoff with "equal jitter" (half fixed,
// half random), so that many exporters do not reconnect in lock-step yet a
// retry never comes sooner than half the nominal delay. Pure; thread-safe.
#pragma once

#include "exporter/util/clock.h"

namespace gx {

struct BackoffPolicy {
  double initial_seconds = 1;
  double max_seconds = 60;
};

// Delay before attempt number `failures` (0 = the first retry after a loss).
// `unit_random` in [0, 1) picks the jittered part.
UnixNanos BackoffDelay(const BackoffPolicy& policy, int failures, double unit_random);

}  // namespace gx
