// When to retry a Genesys API call and how long to wait first: 429 (after
// Retry-After, util/retry_after.h), 5xx except 501, timeouts and network errors, with the
// capped exponential backoff of util/backoff.h; a 401 gets one re-authentication. Every
// wait the server asks for is capped at max_server_wait. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "exporter/util/backoff.h"
#include "exporter/util/clock.h"

namespace gx {

enum class TransportError { kNone, kTimeout, kNetwork };

enum class RetryReason { kNone, kRateLimited, kServerError, kTimeout, kNetwork, kUnauthorized };

// The `reason` label of genesys_api_retries_total.
std::string_view RetryReasonLabel(RetryReason reason);

struct RetryPolicy {
  int max_attempts = 4;                             // first try included
  Backoff backoff{500 * kNanosPerMilli, 30 * kNanosPerSecond};  // first retry, cap of one wait
  // Ceiling of every wait the server asks for (Retry-After, inin-ratelimit-reset): a
  // longer Retry-After ends the call (as the Go SDK), and nothing is held back longer.
  UnixNanos max_server_wait = 180 * kNanosPerSecond;
  UnixNanos default_retry_after = 1 * kNanosPerSecond;  // a 429 without Retry-After
};

// Why an attempt may be retried; kNone when it succeeded or must not be retried.
// A transport error wins over the status (which is 0 then).
RetryReason ClassifyAttempt(int status, TransportError error);

// The inin-ratelimit-* headers of one answer as received (empty when absent), and what
// they say. A value counts only when it is a whole finite number >= 0 ("300", "1.5");
// anything else ("-1", "inf", "12abc", "1e999") is ignored as if absent.
struct RateLimitHeaders {
  std::string_view allowed;  // inin-ratelimit-allowed
  std::string_view count;    // inin-ratelimit-count
  std::string_view reset;    // inin-ratelimit-reset (seconds)
};
struct RateLimitReading {
  std::optional<double> remaining;       // allowed - count (at least 0); nullopt without both
  std::optional<UnixNanos> window_wait;  // the window is used up: hold requests back this long (not yet capped)
};
RateLimitReading ReadRateLimit(const RateLimitHeaders& headers);

}  // namespace gx
