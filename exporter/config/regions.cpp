#include "exporter/config/regions.h"

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

}  // namespace

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

std::optional<std::string> RegionDomainFromSubdomain(std::string_view subdomain) {
  if (auto domain = RegionDomain(subdomain)) return domain;
  const std::string sub = Lower(subdomain);
  constexpr std::string_view kClassic = "mypurecloud.";
  for (const auto& info : KnownRegions()) {
    const std::string_view d = info.domain;
    const std::string_view short_name =
        d.rfind(kClassic, 0) == 0 ? d.substr(kClassic.size()) : d.substr(0, d.find('.'));
    if (!sub.empty() && sub == short_name) return std::string(d);
  }
  return std::nullopt;
}

}  // namespace gx
