#include "exporter/genesys/api/retry_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

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

UnixNanos BackoffDelay(const RetryPolicy& policy, int retry, double random01) {
  retry = std::clamp(retry, 0, 40);
  double raw = static_cast<double>(policy.base_backoff) * std::ldexp(1.0, retry);
  double capped = std::min(raw, static_cast<double>(policy.max_backoff));
  double jitter = 0.5 + 0.5 * std::clamp(random01, 0.0, 1.0);
  return static_cast<UnixNanos>(capped * jitter);
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<UnixNanos> ParseHttpDate(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  s = s.substr(comma + 2);
  if (s.size() != 24 || s.substr(21) != "GMT") return std::nullopt;
  auto num = [&](size_t pos, size_t len, int& out) {
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == s.data() + pos + len;
  };
  int day, year, hh, mm, ss;
  if (!num(0, 2, day) || !num(7, 4, year) || !num(12, 2, hh) || !num(15, 2, mm) || !num(18, 2, ss)) {
    return std::nullopt;
  }
  auto mon = std::find(kMonths.begin(), kMonths.end(), s.substr(3, 3));
  if (mon == kMonths.end()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = static_cast<int>(mon - kMonths.begin());
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  return SecondsToNanos(static_cast<std::int64_t>(t));
}

}  // namespace

std::optional<UnixNanos> ParseRetryAfter(std::string_view value, UnixNanos now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    const char* end = value.data() + value.size();
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      // Delta-seconds; too many digits for 64 bits is still a (very long) wait.
      long long secs = 0;
      auto r = std::from_chars(value.data(), end, secs);
      if (r.ec == std::errc::result_out_of_range) return kMaxNanos;
      return SecondsToNanos(secs);
    }
    // Tolerate fractional seconds ("1.5") although the RFC says integer.
    double d = 0;
    auto rd = std::from_chars(value.data(), end, d);
    if (rd.ec != std::errc() || rd.ptr != end || !(d >= 0)) return std::nullopt;
    return SecondsToNanos(d);
  }
  auto at = ParseHttpDate(value);
  if (!at) return std::nullopt;
  return std::max<UnixNanos>(0, SaturatingSub(*at, now));
}

namespace {

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
