// Genesys Cloud regions: SDK key and region domain, per the region table in
// genesys-api.md. Pure lookups; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gx {

struct RegionInfo {
  std::string_view key;     // SDK region key, e.g. us_east_1
  std::string_view domain;  // region domain, e.g. mypurecloud.com
};

// Every Genesys Cloud region known to the official SDKs (genesys-api.md §1).
const std::vector<RegionInfo>& KnownRegions();

// The region domain for a region key (us_east_1 or us-east-1) or a region
// domain (mypurecloud.com, also as api.<domain>); nullopt when unknown.
std::optional<std::string> RegionDomain(std::string_view region);

// The region the original Go service's GENESYS_SUBDOMAIN meant (it built
// api.<subdomain>.mypurecloud.com): a region key or domain as above, the first label of a
// domain (usw2 for usw2.pure.cloud) or what follows "mypurecloud." (ie, com.au); nullopt else.
std::optional<std::string> RegionDomainFromSubdomain(std::string_view subdomain);

}  // namespace gx
