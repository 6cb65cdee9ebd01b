// Resolves where the exporter talks to Genesys Cloud: the API base URL and the
// OAuth login base URL, from a region (SDK key or region domain) or explicit
// overrides. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/regions.h"

namespace gx {

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
