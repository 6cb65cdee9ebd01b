#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

std::string Render(const HealthState& health) {
  return testing::Render(TelephonyState{}, health, CollectorOptions{}, {"web_config"});
}

TEST(WebConfigCollectorTest, AbsentWithoutAWebConfigFile) {
  EXPECT_EQ(Render(HealthState{}).find("genesys_web_config"), std::string::npos);
}

TEST(WebConfigCollectorTest, SaysWhetherTheLastLoadWorkedAndWhenOneLastDid) {
  HealthState h;
  h.Update([](HealthData& d) {
    d.web_config.in_use = true;
    d.web_config.last_successful = true;
    d.web_config.last_success = 1'700'000'123 * kNanosPerSecond;
  });
  std::string text = Render(h);
  EXPECT_NE(text.find("# TYPE genesys_web_config_last_reload_successful gauge\n"
                      "genesys_web_config_last_reload_successful 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE genesys_web_config_last_reload_success_timestamp_seconds gauge\n"
                      "genesys_web_config_last_reload_success_timestamp_seconds 1700000123\n"),
            std::string::npos)
      << text;
  h.Update([](HealthData& d) {
    d.web_config.last_successful = false;
    d.web_config.errors = {"web.yml:3: x: y"};
  });
  text = Render(h);
  EXPECT_NE(text.find("\ngenesys_web_config_last_reload_successful 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("genesys_web_config_last_reload_success_timestamp_seconds 1700000123"), std::string::npos);
}

TEST(WebConfigCollectorTest, NoTimestampBeforeAFirstSuccess) {
  HealthState h;
  h.Update([](HealthData& d) {
    d.web_config.in_use = true;
    d.web_config.last_successful = false;  // the first load failed
  });
  const std::string text = Render(h);
  EXPECT_NE(text.find("genesys_web_config_last_reload_successful 0"), std::string::npos);
  EXPECT_EQ(text.find("genesys_web_config_last_reload_success_timestamp_seconds "), std::string::npos);
}

}  // namespace
}  // namespace gx
