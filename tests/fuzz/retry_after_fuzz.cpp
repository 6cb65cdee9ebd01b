// libFuzzer target: server-supplied waits. Retry-After as the API client reads it
// (exporter/api/retry_policy) and as the webhook sender reads it
// (exporter/outputs/webhook/webhook_sender). Oracle: a parsed wait is never negative.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "exporter/api/retry_policy.h"
#include "exporter/outputs/webhook/webhook_sender.h"

namespace {
constexpr gx::UnixNanos kNow = 1'778'400'000'000'000'000;  // 2026-05-10
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string value(reinterpret_cast<const char*>(data), size);
  if (const auto api = gx::ParseRetryAfter(std::string_view(value), kNow); api && *api < 0) std::abort();
  if (const auto webhook = gx::ParseRetryAfter(value, kNow); webhook && *webhook < 0) std::abort();
  return 0;
}
