#include "exporter/genesys/api/api_factory.h"

namespace gx {

HttpOptions HttpOptionsFromConfig(const GenesysConfig& config) {
  HttpOptions http;
  http.connect_timeout_s = config.connect_timeout.count();
  http.read_timeout_s = config.request_timeout.count();
  http.ca_file = config.ca_file;
  return http;
}

Result<std::unique_ptr<ApiStack>> MakeApiStack(const Config& config, HealthState& health, const Clock& clock,
                                               RetryPolicy retry) {
  const Result<ApiEndpoints> endpoints = ResolveApiEndpoints(config.genesys);
  if (!endpoints) return endpoints.status();
  auto stack = std::make_unique<ApiStack>();
  stack->endpoints = *endpoints;
  stack->sleeper = std::make_unique<RealSleeper>();
  stack->budget = std::make_unique<RequestBudget>(config.rate_limit.requests_per_minute, clock, *stack->sleeper);
  OAuthOptions oauth;
  oauth.client_id = config.genesys.client_id;
  oauth.client_secret = config.genesys.client_secret;
  HttpOptions http = HttpOptionsFromConfig(config.genesys);
  stack->tokens = std::make_unique<OAuthTokenSource>(endpoints->login_base, oauth, http, health, clock);
  stack->client = std::make_unique<GenesysApiClient>(endpoints->api_base, http, retry, *stack->tokens,
                                                     *stack->budget, health, clock, *stack->sleeper);
  return stack;
}

}  // namespace gx
