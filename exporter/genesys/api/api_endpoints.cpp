#include "exporter/genesys/api/api_endpoints.h"

#include <algorithm>
#include <cctype>

namespace gx {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Adds https:// when no scheme is given and drops trailing slashes.
std::optional<std::string> NormalizeBase(std::string_view url, std::string_view what, std::string* error) {
  std::string u(url);
  while (!u.empty() && u.back() == '/') u.pop_back();
  std::string lower = Lower(u);
  if (lower.find("://") == std::string::npos) {
    u = "https://" + u;
  } else if (lower.rfind("https://", 0) != 0 && lower.rfind("http://", 0) != 0) {
    if (error) *error = std::string(what) + ": scheme must be https:// or http://";
    return std::nullopt;
  }
  std::string_view rest = std::string_view(u).substr(u.find("://") + 3);
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    if (error) *error = std::string(what) + ": must be scheme://host[:port] with no path";
    return std::nullopt;
  }
  return u;
}

}  // namespace

std::optional<ApiEndpoints> ResolveApiEndpoints(const GenesysConfig& config, std::string* error) {
  ApiEndpoints out;
  std::optional<std::string> domain;
  if (!config.region.empty()) {
    domain = RegionDomain(config.region);
    if (!domain && config.api_url.empty()) {
      if (error) *error = "genesys.region: unknown region \"" + config.region + "\"";
      return std::nullopt;
    }
  }
  if (!config.api_url.empty()) {
    auto base = NormalizeBase(config.api_url, "genesys.api_url", error);
    if (!base) return std::nullopt;
    out.api_base = *base;
  } else if (domain) {
    out.api_base = "https://api." + *domain;
  } else {
    if (error) *error = "genesys: set region or api_url";
    return std::nullopt;
  }
  if (!config.login_url.empty()) {
    auto base = NormalizeBase(config.login_url, "genesys.login_url", error);
    if (!base) return std::nullopt;
    out.login_base = *base;
  } else if (domain && config.api_url.empty()) {
    out.login_base = "https://login." + *domain;
  } else {
    out.login_base = out.api_base;
    auto host = out.login_base.find("://") + 3;
    if (Lower(out.login_base.substr(host, 4)) == "api.") {
      out.login_base.replace(host, 4, "login.");
    }
  }
  return out;
}

}  // namespace gx
