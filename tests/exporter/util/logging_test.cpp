#include "exporter/util/logging.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gx {
namespace {

class LoggingTest : public ::testing::Test {
 protected:
  void Use(std::string_view level, LogFormat format = LogFormat::kLogfmt) {
    SetupLogging(level, format, [this](std::string_view line) { lines.emplace_back(line); });
  }
  void TearDown() override { SetupLogging("info", LogFormat::kLogfmt); }

  std::vector<std::string> lines;
};

TEST_F(LoggingTest, ALineCarriesItsCallerAndFields) {
  Use("info");
  const int line = __LINE__ + 1;
  LogWarn("source failed, keeping its previous data", {{"collector", "phones"}, {"err", "HTTP 503"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(" level=warn caller=logging_test.cpp:" + std::to_string(line) +
                          " msg=\"source failed, keeping its previous data\" collector=phones err=\"HTTP 503\"\n"),
            std::string::npos)
      << lines[0];
  EXPECT_EQ(lines[0].rfind("ts=", 0), 0u);
}

TEST_F(LoggingTest, AUrlIsRedactedAndAVariableSetOfFieldsIsAccepted) {
  Use("info");
  std::vector<LogField> fields{{"receiver", "ops"}, {"url", "https://user:Hunter2Secret@hooks.example/T0/B0?x=1"}};
  fields.emplace_back("attempt", 2);
  LogWarn("webhook delivery failed, retrying", fields);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find("Hunter2Secret"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(" receiver=ops url=\"https://***@hooks.example/T0/B0?x=1\" attempt=2\n"), std::string::npos)
      << lines[0];
}

TEST_F(LoggingTest, TheLevelFilters) {
  Use("warn");
  LogDebug("d");
  LogInfo("i");
  LogWarn("w");
  LogError("e");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("level=warn"), std::string::npos);
  EXPECT_NE(lines[1].find("level=error"), std::string::npos);
  Use("debug");
  LogDebug("d");
  EXPECT_EQ(lines.size(), 3u);
}

TEST_F(LoggingTest, JsonFormat) {
  Use("info", LogFormat::kJson);
  LogInfo("stopped", {{"signal", "SIGTERM"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"msg\":\"stopped\",\"signal\":\"SIGTERM\"}\n"), std::string::npos) << lines[0];
}

TEST_F(LoggingTest, ARepeatedErrorIsLoggedOnceWithTheCountOfTheRest) {
  Use("info");
  RateLimitedLog limited(std::chrono::hours(1));
  const int line = __LINE__ + 1;
  for (int i = 0; i < 5; ++i) limited.Warn("k", "delivery failed", {{"receiver", "ops"}});
  limited.Warn("other", "delivery failed", {{"receiver", "dev"}});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("caller=logging_test.cpp:" + std::to_string(line) + " msg=\"delivery failed\" receiver=ops\n"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("receiver=dev\n"), std::string::npos) << lines[1];

  RateLimitedLog every_time(std::chrono::nanoseconds(0));
  every_time.Error("k", "m", {{"a", 1}});
  every_time.Error("k", "m", {{"a", 2}});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[3].find("level=error"), std::string::npos);
  EXPECT_NE(lines[3].find("a=2\n"), std::string::npos) << lines[3];
}

TEST_F(LoggingTest, TheSuppressedCountIsAFieldOfTheNextLine) {
  Use("info");
  RateLimitedLog limited(std::chrono::milliseconds(1));
  // Calls within the millisecond are suppressed; the first one after it says how many.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto has_count = [&] {
    for (const auto& l : lines) {
      if (l.find("msg=\"delivery failed\" receiver=ops repeated=") != std::string::npos) return true;
    }
    return false;
  };
  while (!has_count() && std::chrono::steady_clock::now() < deadline) {
    limited.Warn("k", "delivery failed", {{"receiver", "ops"}});
  }
  EXPECT_TRUE(has_count()) << lines.size() << " lines, none with repeated=";
}

}  // namespace
}  // namespace gx
