// Numbers in /metrics must use '.' whatever the process locale is.
#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/comma_decimal_locale.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

class LocaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BuildScenario(state_);
    testing::BuildHealth(health_);
  }
  void TearDown() override { testing::RestoreClassicLocale(); }
  std::string Render() {
    return testing::Render(state_, health_, options_, {"edges", "exporter_health", "trunks"});
  }
  static void ExpectDots(const std::string& text) {
    EXPECT_NE(text.find("genesys_edge_uptime_seconds{edge_id=\"e-1\"} 864000.123"), std::string::npos) << text;
    EXPECT_NE(text.find("genesys_collector_duration_seconds{collector=\"phones\"} 1.25"), std::string::npos);
    EXPECT_NE(text.find("1778400000.5"), std::string::npos);
    EXPECT_EQ(text.find("864000,123"), std::string::npos);
    EXPECT_EQ(text.find("1.778.400"), std::string::npos);
  }
  TelephonyState state_;
  HealthState health_;
  CollectorOptions options_;
};

TEST_F(LocaleTest, GlobalCppLocaleWithCommaDecimalPoint) {
  std::locale::global(std::locale(std::locale::classic(), new testing::CommaPunct));
  ExpectDots(Render());
}

TEST_F(LocaleTest, SystemGermanLocaleIfInstalled) {
  if (!testing::UseCommaDecimalSystemLocale()) {
    GTEST_SKIP() << "no de_DE/fr_FR locale installed (see `locale -a`); "
                    "GlobalCppLocaleWithCommaDecimalPoint shows the property without one";
  }
  ExpectDots(Render());
}

}  // namespace
}  // namespace gx
