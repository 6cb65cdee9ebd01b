// libFuzzer target: server-supplied waits. Retry-After as the API client and the webhook
// sender read it (exporter/util/retry_after); the same text split at its first two '\n' as the
// inin-ratelimit-allowed/-count/-reset headers (ReadRateLimit); and the resulting
// waits applied to the shared request budget (exporter/genesys/api/request_budget) as the API
// client applies them. Oracles: no wait is negative, a remaining count is finite and
// >= 0, no wait passes its ceiling, and once capped at max_server_wait nothing holds
// requests back any longer.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "exporter/genesys/api/request_budget.h"
#include "exporter/genesys/api/retry_policy.h"
#include "exporter/genesys/api/sleeper.h"
#include "exporter/util/retry_after.h"
#include "exporter/util/time_math.h"

namespace {

constexpr gx::UnixNanos kNow = 1'778'400'000'000'000'000;  // 2026-05-10

gx::RateLimitHeaders SplitHeaders(std::string_view text) {
  gx::RateLimitHeaders h;
  const auto first = text.find('\n');
  h.allowed = text.substr(0, first);
  if (first == std::string_view::npos) return h;
  const auto second = text.find('\n', first + 1);
  h.count = text.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
  if (second != std::string_view::npos) h.reset = text.substr(second + 1);
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string value(reinterpret_cast<const char*>(data), size);
  const gx::RetryPolicy policy;
  const auto asked = gx::ParseRetryAfter(value, kNow, policy.max_server_wait);
  if (asked && (asked->wait < 0 || asked->wait > policy.max_server_wait)) std::abort();
  if (asked && asked->clamped && asked->wait != policy.max_server_wait) std::abort();
  const auto saturated = gx::ParseRetryAfter(value, kNow, gx::kMaxNanos);
  if (saturated.has_value() != asked.has_value() || (saturated && saturated->wait < 0)) std::abort();
  if (asked && asked->clamped != (saturated->wait > policy.max_server_wait)) std::abort();
  const auto reading = gx::ReadRateLimit(SplitHeaders(value));
  if (reading.remaining && !(std::isfinite(*reading.remaining) && *reading.remaining >= 0)) std::abort();
  if (reading.window_wait && *reading.window_wait <= 0) std::abort();

  gx::ManualClock clock(kNow);
  gx::ClockAdvancingSleeper sleeper(clock);
  gx::RequestBudget budget(150, clock, sleeper);
  const gx::UnixNanos waits[] = {asked ? asked->wait : policy.default_retry_after, reading.window_wait.value_or(0)};
  for (gx::UnixNanos wait : waits) budget.BlockUntil(gx::SaturatingAdd(kNow, std::min(wait, policy.max_server_wait)));
  if (budget.TryAcquire() > policy.max_server_wait) std::abort();
  clock.Advance(policy.max_server_wait);
  if (budget.TryAcquire() != 0) std::abort();  // the wait is over and the bucket is full
  return 0;
}
