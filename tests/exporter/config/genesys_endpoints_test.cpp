#include "exporter/config/genesys_endpoints.h"

#include <gtest/gtest.h>

#include "exporter/config/regions.h"

namespace gx {
namespace {

ApiEndpoints Resolve(const GenesysConfig& c) {
  const auto e = ResolveApiEndpoints(c);
  EXPECT_TRUE(e) << e.error();
  return e.value_or(ApiEndpoints{});
}

std::string ErrorOf(const GenesysConfig& c) { return ResolveApiEndpoints(c).error(); }

TEST(GenesysEndpoints, EveryRegionByKeyAndDomain) {
  ASSERT_EQ(KnownRegions().size(), 18u);
  for (const auto& r : KnownRegions()) {
    GenesysConfig by_key;
    by_key.region = std::string(r.key);
    auto a = Resolve(by_key);
    EXPECT_EQ(a.api_base, "https://api." + std::string(r.domain));
    EXPECT_EQ(a.login_base, "https://login." + std::string(r.domain));
    EXPECT_EQ(ResolveEndpoints(by_key).region_domain, r.domain);
    GenesysConfig by_domain;
    by_domain.region = std::string(r.domain);
    auto b = Resolve(by_domain);
    EXPECT_EQ(b.api_base, a.api_base);
    EXPECT_EQ(b.login_base, a.login_base);
  }
}

TEST(GenesysEndpoints, SpecificRegions) {
  const struct {
    const char* region;
    const char* login_base;
  } cases[] = {{"eu-central-1", "https://login.mypurecloud.de"},
               {"us_east_2", "https://login.use2.us-gov-pure.cloud"},
               {"ap_southeast_2", "https://login.mypurecloud.com.au"},
               {"api.usw2.pure.cloud", "https://login.usw2.pure.cloud"}};
  for (const auto& k : cases) {
    GenesysConfig c;
    c.region = k.region;
    EXPECT_EQ(Resolve(c).login_base, k.login_base) << k.region;
  }
}

// The API stack used to accept an unknown region beside an api_url; the loader refused it.
// One rule now: the loader's.
TEST(GenesysEndpoints, UnknownOrMissingRegionIsAnError) {
  GenesysConfig c;
  c.region = "mars_north_1";
  EXPECT_EQ(ErrorOf(c), "genesys.region: unknown region \"mars_north_1\" (use a region domain such as "
                        "mypurecloud.com, mypurecloud.ie or usw2.pure.cloud)");
  c.api_url = "https://api.mypurecloud.com";
  EXPECT_FALSE(ResolveApiEndpoints(c));
  EXPECT_EQ(ErrorOf(GenesysConfig{}), "genesys.region: missing (set GENESYS_REGION, or GENESYS_API_URL)");
  EXPECT_EQ(ResolveEndpoints(GenesysConfig{}).problems.at(0).fallback, "genesys");
}

TEST(GenesysEndpoints, OverridesWinAndLoseTrailingSlashes) {
  GenesysConfig c;
  c.region = "mypurecloud.com";
  c.api_url = "http://127.0.0.1:8080/";
  c.login_url = "http://127.0.0.1:8081//";
  auto e = Resolve(c);
  EXPECT_EQ(e.api_base, "http://127.0.0.1:8080");
  EXPECT_EQ(e.login_base, "http://127.0.0.1:8081");
  // With a region, the login host is the region's, whatever the API override says.
  c.login_url.clear();
  EXPECT_EQ(Resolve(c).login_base, "https://login.mypurecloud.com");
}

// The decision of issue 16 (docs/configuration.md): a URL without a scheme is refused with
// the same words as --config.check, never completed to https:// (the API stack did that,
// the loader refused it).
TEST(GenesysEndpoints, AUrlWithoutASchemeIsRefused) {
  GenesysConfig c;
  c.api_url = "api.proxy.example:8443";
  EXPECT_EQ(ErrorOf(c), "genesys.api_url: invalid URL \"api.proxy.example:8443\" (want http(s)://host[:port])");
  c.api_url = "https://api.proxy.example:8443";
  c.login_url = "login.proxy.example";
  EXPECT_EQ(ErrorOf(c), "genesys.login_url: invalid URL \"login.proxy.example\" (want http(s)://host[:port])");
}

TEST(GenesysEndpoints, LoginDerivesFromTheApiOverrideAsTheSdksDo) {
  GenesysConfig c;
  c.api_url = "https://api.proxy.example:8443";
  EXPECT_EQ(Resolve(c).login_base, "https://login.proxy.example:8443");
  c.api_url = "https://API.proxy.example";
  EXPECT_EQ(Resolve(c).login_base, "https://login.proxy.example");
}

TEST(GenesysEndpoints, SingleHostStandInServesLoginToo) {
  GenesysConfig c;
  c.api_url = "http://127.0.0.1:9999";
  EXPECT_EQ(Resolve(c).login_base, "http://127.0.0.1:9999");
}

TEST(GenesysEndpoints, RejectsOtherSchemesPathsAndUserInfo) {
  GenesysConfig c;
  c.api_url = "ftp://x";
  EXPECT_EQ(ErrorOf(c), "genesys.api_url: invalid URL \"ftp://x\" (want http(s)://host[:port])");
  c.api_url = "https://x/api/v2";
  EXPECT_EQ(ErrorOf(c), "genesys.api_url: invalid URL \"https://x/api/v2\" (want http(s)://host[:port])");
  c.api_url = "https://u:secret@x";
  EXPECT_EQ(ErrorOf(c), "genesys.api_url: invalid URL \"https://***@x\" (user info is not supported; want "
                        "http(s)://host[:port])");
}

}  // namespace
}  // namespace gx
