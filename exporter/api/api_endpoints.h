// Resolves where the exporter talks to Genesys Cloud: the API base URL and the
// OAuth login base URL, from a region (SDK key or region domain) or explicit
// overrides. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"

namespace gx {

struct RegionInfo {
  std::string_view key;     // SDK region key, e.g. us_east_1
  std::string_view domain;  // region domain, e.g. mypurecloud.com
};

// Every Genesys Cloud region known to the official SDKs (genesys-api.md §1).
const std::vector<RegionInfo>& KnownRegions();

// The region domain for a region key (us_east_1 or us-east-1) or a region
// domain (mypurecloud.com); nullopt when unknown.
std::optional<std::string> RegionDomain(std::string_view region);

struct ApiEndpoints {
  std::string api_base;    // e.g. https://api.mypurecloud.com (no trailing slash)
  std::string login_base;  // e.g. https://login.mypurecloud.com
};

// API base: the api_url override, else https://api.<region domain>.
// Login base: the login_url override, else https://login.<region domain>, else
// the API override's host with its leading "api." turned into "login.", else
// the API base itself (single-host stand-ins such as the simulator).
// An override without a scheme gets https://; http:// only when written.
std::optional<ApiEndpoints> ResolveApiEndpoints(const GenesysConfig& config, std::string* error);

}  // namespace gx
