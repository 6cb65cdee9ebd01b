#include "exporter/genesys/api/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "exporter/util/time_math.h"

namespace gx {

std::string_view RetryReasonLabel(RetryReason reason) {
  switch (reason) {
    case RetryReason::kRateLimited: return "rate_limited";
    case RetryReason::kServerError: return "server_error";
    case RetryReason::kTimeout: return "timeout";
    case RetryReason::kNetwork: return "network";
    case RetryReason::kUnauthorized: return "unauthorized";
    case RetryReason::kNone: break;
  }
  return "none";
}

RetryReason ClassifyAttempt(int status, TransportError error) {
  if (error == TransportError::kTimeout) return RetryReason::kTimeout;
  if (error == TransportError::kNetwork) return RetryReason::kNetwork;
  if (status == 401) return RetryReason::kUnauthorized;
  if (status == 429) return RetryReason::kRateLimited;
  if (status >= 500 && status <= 599 && status != 501) return RetryReason::kServerError;
  return RetryReason::kNone;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<double> HeaderNumber(std::string_view v) {
  v = Trim(v);
  double d = 0;
  const char* end = v.data() + v.size();
  auto r = std::from_chars(v.data(), end, d);
  if (v.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

}  // namespace

RateLimitReading ReadRateLimit(const RateLimitHeaders& headers) {
  RateLimitReading out;
  const auto allowed = HeaderNumber(headers.allowed);
  const auto count = HeaderNumber(headers.count);
  if (!allowed || !count) return out;
  out.remaining = std::max(0.0, *allowed - *count);
  // The server-side window is used up (another client shares the token, say).
  if (const auto reset = HeaderNumber(headers.reset); *out.remaining <= 0 && reset) {
    // Less than a nanosecond is no wait at all.
    if (const UnixNanos wait = SecondsToNanos(*reset); wait > 0) out.window_wait = wait;
  }
  return out;
}

}  // namespace gx
