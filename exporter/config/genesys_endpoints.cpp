#include "exporter/config/genesys_endpoints.h"

#include <algorithm>
#include <cctype>

#include "exporter/config/regions.h"
#include "exporter/config/url_check.h"
#include "exporter/util/url.h"
#include "exporter/util/url_redact.h"

namespace gx {
namespace {

// The base URL `raw` names (trailing slashes dropped), or a problem under `key`.
std::string Override(std::string raw, const std::string& key, std::vector<EndpointProblem>& problems) {
  while (!raw.empty() && raw.back() == '/') raw.pop_back();
  const Status problem = CheckUrl(raw, UrlShape::kBase);
  if (problem.ok()) return raw;
  problems.push_back({key, "", "invalid URL \"" + RedactUrl(raw) + "\" (" + problem.error() + ")"});
  return "";
}

// The SDKs' rule: api.<domain> logs in at login.<domain>; any other host logs in at itself.
std::string LoginBaseOf(const std::string& api_base) {
  Result<Url> url = ParseUrl(api_base);
  std::string host = url ? url->host : "";
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host.rfind("api.", 0) != 0) return api_base;
  url->host = "login." + url->host.substr(4);
  return url->origin();
}

}  // namespace

EndpointResolution ResolveEndpoints(const GenesysConfig& config) {
  EndpointResolution out;
  auto& problems = out.problems;
  if (!config.region.empty()) {
    if (auto domain = RegionDomain(config.region)) {
      out.region_domain = *domain;
    } else {
      problems.push_back({"genesys.region", "",
                          "unknown region \"" + config.region +
                              "\" (use a region domain such as mypurecloud.com, mypurecloud.ie or usw2.pure.cloud)"});
    }
  } else if (config.api_url.empty()) {
    problems.push_back({"genesys.region", "genesys", "missing (set GENESYS_REGION, or GENESYS_API_URL)"});
  }
  const std::string& domain = out.region_domain;
  ApiEndpoints& e = out.endpoints;
  if (!config.api_url.empty()) {
    e.api_base = Override(config.api_url, "genesys.api_url", problems);
  } else if (!domain.empty()) {
    e.api_base = "https://api." + domain;
  }
  if (!config.login_url.empty()) {
    e.login_base = Override(config.login_url, "genesys.login_url", problems);
  } else if (!domain.empty()) {
    e.login_base = "https://login." + domain;
  } else if (!e.api_base.empty()) {
    e.login_base = LoginBaseOf(e.api_base);
  }
  return out;
}

Result<ApiEndpoints> ResolveApiEndpoints(const GenesysConfig& config) {
  EndpointResolution r = ResolveEndpoints(config);
  if (r.problems.empty()) return std::move(r.endpoints);
  return Result<ApiEndpoints>::Error(r.problems.front().key + ": " + r.problems.front().message);
}

}  // namespace gx
