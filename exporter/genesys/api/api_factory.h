// Builds the real Genesys API stack from Config: endpoints, the shared request
// budget, the OAuth token source and the ApiClient, plus the Sleeper that
// Stop() uses to cut every wait short at shutdown. Not copyable; the parts are
// thread-safe.
#pragma once

#include <memory>
#include <string>

#include "exporter/genesys/api/genesys_api_client.h"
#include "exporter/genesys/api/oauth_token_source.h"
#include "exporter/genesys/api/request_budget.h"
#include "exporter/genesys/api/sleeper.h"
#include "exporter/config/config.h"
#include "exporter/config/genesys_endpoints.h"
#include "exporter/state/health_state.h"
#include "exporter/util/result.h"

namespace gx {

struct ApiStack {
  ApiEndpoints endpoints;
  std::unique_ptr<RealSleeper> sleeper;
  std::unique_ptr<RequestBudget> budget;
  std::unique_ptr<OAuthTokenSource> tokens;
  std::unique_ptr<GenesysApiClient> client;

  ApiClient& api() { return *client; }
  TokenSource& token_source() { return *tokens; }
  // Wakes every waiter (budget, backoff); later calls return "stopped" at once.
  void Stop() { sleeper->Stop(); }
};

HttpOptions HttpOptionsFromConfig(const GenesysConfig& config);

// The stack, or why not (the endpoints cannot be resolved: config/genesys_endpoints.h).
Result<std::unique_ptr<ApiStack>> MakeApiStack(const Config& config, HealthState& health, const Clock& clock,
                                               RetryPolicy retry = {});

}  // namespace gx
