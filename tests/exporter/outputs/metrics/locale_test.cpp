// Numbers in /metrics must use '.' whatever the process locale is.
#include <clocale>
#include <locale>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

// A German-style numpunct that needs no installed system locale.
struct CommaPunct : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

class LocaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::BuildScenario(state_);
    testing::BuildHealth(health_);
  }
  void TearDown() override {
    std::locale::global(std::locale::classic());
    std::setlocale(LC_ALL, "C");
  }
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
  std::locale::global(std::locale(std::locale::classic(), new CommaPunct));
  ExpectDots(Render());
}

TEST_F(LocaleTest, SystemGermanLocaleIfInstalled) {
  const char* found = nullptr;
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    if (std::setlocale(LC_ALL, name)) {
      found = name;
      break;
    }
  }
  if (!found) GTEST_SKIP() << "no de_DE/fr_FR locale installed (see `locale -a`)";
  std::locale::global(std::locale(found));
  ExpectDots(Render());
}

}  // namespace
}  // namespace gx
