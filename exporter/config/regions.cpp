#include "exporter/config/regions.h"

namespace gx {

std::span<const Region> KnownRegions() {
  static const Region kRegions[] = {
      {"us_east_1", "mypurecloud.com"},       {"us_east_2", "use2.us-gov-pure.cloud"},
      {"us_west_2", "usw2.pure.cloud"},       {"ca_central_1", "cac1.pure.cloud"},
      {"sa_east_1", "sae1.pure.cloud"},       {"mx_central_1", "mxc1.pure.cloud"},
      {"eu_west_1", "mypurecloud.ie"},        {"eu_west_2", "euw2.pure.cloud"},
      {"eu_central_1", "mypurecloud.de"},     {"eu_central_2", "euc2.pure.cloud"},
      {"eusc_de_east_1", "edee1.eusc-pure.cloud"}, {"me_central_1", "mec1.pure.cloud"},
      {"ap_south_1", "aps1.pure.cloud"},      {"ap_northeast_1", "mypurecloud.jp"},
      {"ap_northeast_2", "apne2.pure.cloud"}, {"ap_northeast_3", "apne3.pure.cloud"},
      {"ap_southeast_1", "apse1.pure.cloud"}, {"ap_southeast_2", "mypurecloud.com.au"},
  };
  return kRegions;
}

std::optional<std::string_view> RegionDomain(std::string_view region) {
  for (const auto& r : KnownRegions()) {
    if (region == r.domain || region == r.key) return r.domain;
  }
  return std::nullopt;
}

}  // namespace gx
