// Where the exporter talks to Genesys Cloud: the API base URL and the OAuth login base URL,
// from a region (SDK key or region domain, regions.h) or explicit overrides. The one place
// that turns a region into URLs: the configuration loader and the API stack both ask it.
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/util/result.h"

namespace gx {

struct ApiEndpoints {
  std::string api_base;    // e.g. https://api.mypurecloud.com (no trailing slash)
  std::string login_base;  // e.g. https://login.mypurecloud.com
};

// What is wrong, under which configuration key (`fallback`: the key whose line to name when
// `key` has none, as ConfigErrors does).
struct EndpointProblem {
  std::string key;
  std::string fallback;
  std::string message;
};

struct EndpointResolution {
  ApiEndpoints endpoints;             // valid only without problems
  std::string region_domain;          // the region's domain, when a known region is set
  std::vector<EndpointProblem> problems;
};

// API base: the api_url override, else https://api.<region domain>.
// Login base: the login_url override, else https://login.<region domain>, else the API
// override's host with its leading "api." turned into "login.", else the API base itself
// (single-host stand-ins such as the simulator). Overrides lose trailing slashes and must be
// http(s)://host[:port]: a URL without a scheme is refused, not guessed (configuration.md).
// An unknown region is a problem even when api_url is set.
EndpointResolution ResolveEndpoints(const GenesysConfig& config);

// The same for the API stack: the endpoints, or the first problem as "key: message".
Result<ApiEndpoints> ResolveApiEndpoints(const GenesysConfig& config);

}  // namespace gx
