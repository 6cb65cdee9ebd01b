#include "exporter/genesys/api/api_factory.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(MakeApiStackTest, SaysWhyWhenTheEndpointsDoNotResolve) {
  Config config;
  config.genesys.api_url = "api.example.com";  // no scheme: refused, not guessed
  HealthState health;
  const auto stack = MakeApiStack(config, health, SystemClock::Instance());
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error(), "genesys.api_url: invalid URL \"api.example.com\" (want http(s)://host[:port])");
}

TEST(MakeApiStackTest, BuildsTheStackForResolvedEndpoints) {
  Config config;
  config.genesys.region = "mypurecloud.ie";
  HealthState health;
  auto stack = MakeApiStack(config, health, SystemClock::Instance());
  ASSERT_TRUE(stack) << stack.error();
  EXPECT_EQ((*stack)->endpoints.api_base, "https://api.mypurecloud.ie");
  EXPECT_EQ((*stack)->endpoints.login_base, "https://login.mypurecloud.ie");
  (*stack)->Stop();
}

}  // namespace
}  // namespace gx
