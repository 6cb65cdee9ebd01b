// The ApiClient for Genesys Cloud: bearer auth from a TokenSource, every
// attempt inside the shared RequestBudget, retries by RetryPolicy (one
// re-authentication on 401), rate-limit headers and Retry-After honoured up to
// a ceiling, and every request counted and timed in HealthState. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/api/http_transport.h"
#include "exporter/genesys/api/request_budget.h"
#include "exporter/genesys/api/retry_policy.h"
#include "exporter/genesys/api/sleeper.h"
#include "exporter/state/health_state.h"
#include "exporter/util/backoff.h"
#include "exporter/util/logging.h"

namespace gx {

class GenesysApiClient final : public ApiClient {
 public:
  // `random01` feeds the backoff jitter; default: a seeded PRNG.
  GenesysApiClient(std::string api_base, HttpOptions http, RetryPolicy retry, TokenSource& tokens,
                   RequestBudget& budget, HealthState& health, const Clock& clock, Sleeper& sleeper,
                   std::function<double()> random01 = {});

  ApiResponse Get(const std::string& path, const std::string& endpoint) override;
  ApiResponse Send(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& endpoint) override;

 private:
  void ReadRateLimitHeaders(const HttpResult& res, UnixNanos now);
  // Logs (rate-limited) that `header` of `res` asked for more than retry_.max_server_wait.
  void WarnServerWaitCapped(const HttpResult& res, const std::string& header);

  HttpTransport transport_;
  RetryPolicy retry_;
  TokenSource& tokens_;
  RequestBudget& budget_;
  HealthState& health_;
  const Clock& clock_;
  Sleeper& sleeper_;
  UnitRandom jitter_;
  RateLimitedLog log_;
};

}  // namespace gx
