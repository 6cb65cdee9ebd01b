#include "exporter/api/api_endpoints.h"

#include <algorithm>
#include <cctype>

namespace gx {

const std::vector<RegionInfo>& KnownRegions() {
  static const std::vector<RegionInfo> regions = {
      {"us_east_1", "mypurecloud.com"},        {"us_east_2", "use2.us-gov-pure.cloud"},
      {"us_west_2", "usw2.pure.cloud"},        {"ca_central_1", "cac1.pure.cloud"},
      {"sa_east_1", "sae1.pure.cloud"},        {"mx_central_1", "mxc1.pure.cloud"},
      {"eu_west_1", "mypurecloud.ie"},         {"eu_west_2", "euw2.pure.cloud"},
      {"eu_central_1", "mypurecloud.de"},      {"eu_central_2", "euc2.pure.cloud"},
      {"eusc_de_east_1", "edee1.eusc-pure.cloud"}, {"me_central_1", "mec1.pure.cloud"},
      {"ap_south_1", "aps1.pure.cloud"},       {"ap_northeast_1", "mypurecloud.jp"},
      {"ap_northeast_2", "apne2.pure.cloud"},  {"ap_northeast_3", "apne3.pure.cloud"},
      {"ap_southeast_1", "apse1.pure.cloud"},  {"ap_southeast_2", "mypurecloud.com.au"},
  };
  return regions;
}

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

std::optional<std::string> RegionDomain(std::string_view region) {
  std::string r = Lower(region);
  std::replace(r.begin(), r.end(), '-', '_');
  std::string domain = Lower(region);
  // Accept "api.<domain>" and "login.<domain>" as a courtesy.
  for (std::string_view prefix : {"api.", "login."}) {
    if (domain.rfind(prefix, 0) == 0) domain = domain.substr(prefix.size());
  }
  for (const auto& info : KnownRegions()) {
    if (r == info.key || domain == info.domain) return std::string(info.domain);
  }
  return std::nullopt;
}

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
