// One HTTP POST of a webhook body, classified for the retry policy: delivered,
// retry (network error, timeout, 408, 429, 5xx; with Retry-After when sent), or
// reject (any other status). TLS verification is always on. Thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/util/clock.h"

namespace gx {

struct SendResult {
  enum class Outcome { kDelivered, kRetry, kReject };
  Outcome outcome = Outcome::kRetry;
  int status = 0;                     // 0: no HTTP answer
  std::optional<UnixNanos> retry_after;  // the receiver's wait, saturated (not yet capped)
  std::string error;                  // transport error or "HTTP 503"
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

SendResult PostWebhook(const std::string& url, const std::string& body, const HeaderList& headers,
                       Seconds timeout, const std::string& ca_file, UnixNanos now);

}  // namespace gx
