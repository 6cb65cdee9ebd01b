#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

std::string Render(const HealthState& health) {
  return testing::Render(TelephonyState{}, health, CollectorOptions{}, {"config"});
}

TEST(ConfigCollectorTest, AStartIsASuccessfulLoad) {
  HealthState h;
  h.Update([](HealthData& d) { d.config.last_success = 1700000123 * kNanosPerSecond; });
  const std::string text = Render(h);
  EXPECT_NE(text.find("\ngenesys_exporter_config_last_reload_successful 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_exporter_config_last_reload_success_timestamp_seconds 1700000123\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ngenesys_exporter_config_restart_required 0\n"), std::string::npos) << text;
}

TEST(ConfigCollectorTest, ARefusedReloadKeepsTheLastSuccessTime) {
  HealthState h;
  h.Update([](HealthData& d) {
    d.config.last_success = 1700000123 * kNanosPerSecond;
    d.config.last_attempt = 1700000060 * kNanosPerSecond;
    d.config.last_successful = false;
    d.config.errors = {"c.yml:3: genesys.region: unknown region \"mars\""};
    d.config.restart_required = {"genesys.region"};
  });
  const std::string text = Render(h);
  EXPECT_NE(text.find("\ngenesys_exporter_config_last_reload_successful 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_exporter_config_last_reload_success_timestamp_seconds 1700000123\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ngenesys_exporter_config_restart_required 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("mars"), std::string::npos) << "errors belong on the page and in the log, not in labels";
}

}  // namespace
}  // namespace gx
