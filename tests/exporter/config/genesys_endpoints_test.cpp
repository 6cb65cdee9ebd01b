#include "exporter/genesys/api/api_endpoints.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

ApiEndpoints Resolve(GenesysConfig c) {
  std::string error;
  auto e = ResolveApiEndpoints(c, &error);
  EXPECT_TRUE(e.has_value()) << error;
  return e.value_or(ApiEndpoints{});
}

TEST(ApiEndpoints, EveryRegionByKeyAndDomain) {
  ASSERT_EQ(KnownRegions().size(), 18u);
  for (const auto& r : KnownRegions()) {
    GenesysConfig by_key;
    by_key.region = std::string(r.key);
    auto a = Resolve(by_key);
    EXPECT_EQ(a.api_base, "https://api." + std::string(r.domain));
    EXPECT_EQ(a.login_base, "https://login." + std::string(r.domain));
    GenesysConfig by_domain;
    by_domain.region = std::string(r.domain);
    auto b = Resolve(by_domain);
    EXPECT_EQ(b.api_base, a.api_base);
    EXPECT_EQ(b.login_base, a.login_base);
  }
}

TEST(ApiEndpoints, SpecificRegions) {
  GenesysConfig c;
  c.region = "eu-central-1";
  EXPECT_EQ(Resolve(c).login_base, "https://login.mypurecloud.de");
  c.region = "us_east_2";
  EXPECT_EQ(Resolve(c).api_base, "https://api.use2.us-gov-pure.cloud");
  c.region = "ap_southeast_2";
  EXPECT_EQ(Resolve(c).login_base, "https://login.mypurecloud.com.au");
  c.region = "api.usw2.pure.cloud";
  EXPECT_EQ(Resolve(c).api_base, "https://api.usw2.pure.cloud");
}

TEST(ApiEndpoints, UnknownRegionIsAnError) {
  GenesysConfig c;
  c.region = "mars_north_1";
  std::string error;
  EXPECT_FALSE(ResolveApiEndpoints(c, &error));
  EXPECT_EQ(error, "genesys.region: unknown region \"mars_north_1\"");
  GenesysConfig empty;
  EXPECT_FALSE(ResolveApiEndpoints(empty, &error));
  EXPECT_EQ(error, "genesys: set region or api_url");
}

TEST(ApiEndpoints, OverridesWin) {
  GenesysConfig c;
  c.region = "mypurecloud.com";
  c.api_url = "http://127.0.0.1:8080/";
  c.login_url = "http://127.0.0.1:8081";
  auto e = Resolve(c);
  EXPECT_EQ(e.api_base, "http://127.0.0.1:8080");
  EXPECT_EQ(e.login_base, "http://127.0.0.1:8081");
}

TEST(ApiEndpoints, HttpsUnlessHttpIsWritten) {
  GenesysConfig c;
  c.api_url = "api.proxy.example:8443";
  auto e = Resolve(c);
  EXPECT_EQ(e.api_base, "https://api.proxy.example:8443");
  // Login derived from the API override the way the SDKs do it.
  EXPECT_EQ(e.login_base, "https://login.proxy.example:8443");
}

TEST(ApiEndpoints, SingleHostStandInServesLoginToo) {
  GenesysConfig c;
  c.api_url = "http://127.0.0.1:9999";
  auto e = Resolve(c);
  EXPECT_EQ(e.login_base, "http://127.0.0.1:9999");
}

TEST(ApiEndpoints, RejectsOtherSchemesAndPaths) {
  GenesysConfig c;
  c.api_url = "ftp://x";
  std::string error;
  EXPECT_FALSE(ResolveApiEndpoints(c, &error));
  EXPECT_EQ(error, "genesys.api_url: scheme must be https:// or http://");
  c.api_url = "https://x/api/v2";
  EXPECT_FALSE(ResolveApiEndpoints(c, &error));
  EXPECT_EQ(error, "genesys.api_url: must be scheme://host[:port] with no path");
}

}  // namespace
}  // namespace gx
