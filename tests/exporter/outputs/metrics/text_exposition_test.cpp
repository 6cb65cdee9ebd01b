#include "exporter/outputs/metrics/text_exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <map>
#include <sstream>

#include "exporter/outputs/metrics/family_builder.h"
#include "tests/exporter/outputs/metrics/comma_decimal_locale.h"

namespace gx {
namespace {

std::vector<prometheus::MetricFamily> Sample() {
  std::vector<prometheus::MetricFamily> out;
  Gauge("g_value", "help with \\ backslash\nand newline")
      .Add({{"site", "HQ \"main\"\\x\ny"}, {"status", "OK"}}, 0.1)
      .Add({}, 1e21)
      .Add({{"a", "b"}}, -3)
      .MoveTo(out);
  Counter("c_total", "a counter").Add({{"k", "v"}}, 42).MoveTo(out);
  Gauge("special", "nan and inf")
      .Add({{"x", "nan"}}, std::numeric_limits<double>::quiet_NaN())
      .Add({{"x", "inf"}}, std::numeric_limits<double>::infinity())
      .MoveTo(out);
  prometheus::MetricFamily histogram{"h_seconds", "a histogram", prometheus::MetricType::Histogram, {}};
  prometheus::ClientMetric h;
  h.label = {{"endpoint", "/p"}};
  h.histogram.bucket = {{2, 0.1}, {5, 1}, {6, std::numeric_limits<double>::infinity()}};
  h.histogram.sample_count = 6;
  h.histogram.sample_sum = 2.5;
  histogram.metric.push_back(h);
  out.push_back(histogram);
  Gauge("empty", "no series").MoveTo(out, true);
  return out;
}

// Parses exposition text into series -> value, ignoring comments.
std::map<std::string, std::string> Samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    std::string value = line.substr(space + 1);
    if (value == "Nan") value = "NaN";  // the library spells it Nan; both parse
    if (value != "NaN" && value != "+Inf" && value != "-Inf") value = std::to_string(std::stod(value));
    out[line.substr(0, space)] = value;
  }
  return out;
}

TEST(TextExposition, SameSeriesAndValuesAsTheLibrarySerializer) {
  auto families = Sample();
  families[0].help = "plain";  // the library writes a newline in HELP unescaped, breaking its own output
  const std::string ours = SerializeTextExposition(families);
  const std::string reference = prometheus::TextSerializer().Serialize(families);
  auto a = Samples(ours), b = Samples(reference);
  EXPECT_EQ(a.size(), 11u);
  EXPECT_EQ(a, b) << ours << "\n----\n" << reference;
}

TEST(TextExposition, ExactLines) {
  const std::string text = SerializeTextExposition(Sample());
  EXPECT_NE(text.find("# HELP g_value help with \\\\ backslash\\nand newline\n# TYPE g_value gauge\n"),
            std::string::npos);
  EXPECT_NE(text.find("g_value{site=\"HQ \\\"main\\\"\\\\x\\ny\",status=\"OK\"} 0.1\n"), std::string::npos);
  EXPECT_NE(text.find("g_value 1e+21\n"), std::string::npos);
  EXPECT_NE(text.find("special{x=\"nan\"} NaN\n"), std::string::npos);
  EXPECT_NE(text.find("special{x=\"inf\"} +Inf\n"), std::string::npos);
  EXPECT_NE(text.find("h_seconds_bucket{endpoint=\"/p\",le=\"0.1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("h_seconds_bucket{endpoint=\"/p\",le=\"+Inf\"} 6\n"), std::string::npos);
  EXPECT_NE(text.find("h_seconds_count{endpoint=\"/p\"} 6\n"), std::string::npos);
  EXPECT_EQ(text.find("empty"), std::string::npos);  // a family without series is left out
}

// Numbers keep '.' whatever the locale; 0.1 and the histogram's sum 2.5 are the fractions.
void ExpectDots(const std::string& text) {
  EXPECT_NE(text.find("g_value{a=\"b\"} -3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("} 0.1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("h_seconds_sum{endpoint=\"/p\"} 2.5\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("0,1"), std::string::npos) << text;
  EXPECT_EQ(text.find("2,5"), std::string::npos) << text;
}

TEST(TextExposition, IgnoresAGlobalCppLocaleWithCommaDecimalPoint) {
  std::locale::global(std::locale(std::locale::classic(), new testing::CommaPunct));
  const std::string text = SerializeTextExposition(Sample());
  testing::RestoreClassicLocale();
  ExpectDots(text);
}

TEST(TextExposition, IgnoresASystemGermanLocale) {
  if (!testing::UseCommaDecimalSystemLocale()) {
    GTEST_SKIP() << "no de_DE/fr_FR locale installed (see `locale -a`); "
                    "IgnoresAGlobalCppLocaleWithCommaDecimalPoint shows the property without one";
  }
  const std::string text = SerializeTextExposition(Sample());
  testing::RestoreClassicLocale();
  ExpectDots(text);
}

}  // namespace
}  // namespace gx
