// The seam between sources and the Genesys Cloud REST API. An ApiClient sends
// authenticated requests inside the shared request budget, with retries, and
// records every request in HealthState. Implementations are thread-safe; this
// header stays free of httplib so that it can be included anywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "exporter/util/clock.h"

namespace gx {

struct ApiResponse {
  int status = 0;             // HTTP status; 0 on a transport failure
  std::string body;
  std::string error;          // transport/timeout error, or a short description of a non-2xx answer
  std::string correlation_id; // ININ-Correlation-Id
  bool ok() const { return status >= 200 && status < 300; }
};

class ApiClient {
 public:
  virtual ~ApiClient() = default;
  // `path` starts with /api/v2/ and may carry a query string. `endpoint` is the
  // path template without ids, used as the metric label
  // (e.g. /api/v2/telephony/providers/edges/phones).
  virtual ApiResponse Get(const std::string& path, const std::string& endpoint) = 0;
  // POST/PUT/DELETE/HEAD with a JSON body (may be empty).
  virtual ApiResponse Send(const std::string& method, const std::string& path, const std::string& body,
                           const std::string& endpoint) = 0;
};

// Supplies the OAuth bearer token shared by pollers and the notification
// listener: one refresh at a time, refreshed before expires_in runs out.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A valid token, fetching or refreshing it if needed; nullopt when auth fails.
  virtual std::optional<std::string> Token() = 0;
  // Forget the current token (after a 401) so the next Token() fetches a new one.
  virtual void Invalidate(const std::string& rejected_token) = 0;
  // Increments each time a new token is obtained (channels are tied to a token).
  virtual std::uint64_t Generation() const = 0;
  // When the current token will be refreshed (before its expiry); nullopt if none.
  virtual std::optional<UnixNanos> RefreshAt() const = 0;
  // Why the last attempt to get a token failed (URL redacted, never a secret); empty after a success.
  virtual std::string last_error() const = 0;
};

}  // namespace gx
