// Genesys Cloud regions: region domain -> API and login base URLs, per the
// region table in genesys-api.md. Pure lookups; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gx {

struct Region {
  std::string_view key;     // SDK key, e.g. us_east_1
  std::string_view domain;  // region domain, e.g. mypurecloud.com
};

std::span<const Region> KnownRegions();

// Accepts a region domain ("mypurecloud.ie") or an SDK key ("eu_west_1");
// nullopt when neither matches.
std::optional<std::string_view> RegionDomain(std::string_view region);

// https://api.<domain> and https://login.<domain>.
inline std::string ApiBaseUrl(std::string_view domain) { return "https://api." + std::string(domain); }
inline std::string LoginBaseUrl(std::string_view domain) { return "https://login." + std::string(domain); }

}  // namespace gx
