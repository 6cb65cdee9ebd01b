#include "exporter/config/config_errors.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(ConfigErrorsTest, AddWritesWhereKeyMessage) {
  ConfigErrors e;
  EXPECT_TRUE(e.ok());
  e.Add("config.yml:3", "collection.page_size", "must be an integer");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.messages[0], "config.yml:3: collection.page_size: must be an integer");
}

TEST(ConfigErrorsTest, AChecksErrorGoesWhereTheKeyWasSet) {
  ConfigErrors e;
  e.file = "config.yml";
  e.where["alerting.tls_critical"] = "config.yml:7";
  e.where["genesys.region"] = "GENESYS_REGION";
  e.AddFor("alerting.tls_critical", "must not be longer than alerting.tls_warning", "alerting.tls_warning");
  e.AddFor("genesys.region", "unknown region");
  EXPECT_EQ(e.messages[0], "config.yml:7: alerting.tls_critical: must not be longer than alerting.tls_warning");
  EXPECT_EQ(e.messages[1], "GENESYS_REGION: genesys.region: unknown region");
}

TEST(ConfigErrorsTest, ElseWhereItsFallbackWasElseTheFileElseTheEnvironment) {
  ConfigErrors e;
  e.where["alerting.tls_warning"] = "config.yml:5";
  EXPECT_EQ(e.WhereOf("alerting.tls_critical", "alerting.tls_warning"), "config.yml:5");
  EXPECT_EQ(e.WhereOf("genesys.client_id", "genesys"), "environment");
  e.file = "config.yml";
  EXPECT_EQ(e.WhereOf("genesys.client_id", "genesys"), "config.yml");
  EXPECT_EQ(e.WhereOf("genesys.client_id"), "config.yml");
}

}  // namespace
}  // namespace gx
