// When a failed webhook delivery is tried again: capped exponential backoff with equal
// jitter, lengthened but never shortened by the receiver's Retry-After, which is itself
// capped at max_backoff, so that no answer can make the dispatcher hammer a receiver
// (Retry-After: 0) or give it up for centuries (Retry-After: 99999999999). Pure; thread-safe.
#pragma once

#include <optional>

#include "exporter/config/config.h"
#include "exporter/util/clock.h"

namespace gx {

struct RetryDelay {
  UnixNanos delay = 0;               // from now, in [1 ms, max_backoff]
  bool retry_after_clamped = false;  // Retry-After asked for more than max_backoff
};

// `attempts` is the number of failed attempts so far (1 after the first), `jitter01` a
// random number in [0, 1), `retry_after` the receiver's wait, if it sent one.
RetryDelay ComputeRetryDelay(const ReceiverConfig& receiver, int attempts, double jitter01,
                             std::optional<UnixNanos> retry_after);

}  // namespace gx
