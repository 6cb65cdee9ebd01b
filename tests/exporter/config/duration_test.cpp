#include "exporter/config/duration.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

TEST(ParseDuration, Forms) {
  EXPECT_EQ(*ParseDuration("500ms"), 500 * kNanosPerMilli);
  EXPECT_EQ(*ParseDuration("30s"), 30 * kNanosPerSecond);
  EXPECT_EQ(*ParseDuration("5m"), 5 * kNanosPerMinute);
  EXPECT_EQ(*ParseDuration("1h30m"), 90 * kNanosPerMinute);
  EXPECT_EQ(*ParseDuration("2d"), 2 * kNanosPerDay);
  EXPECT_EQ(*ParseDuration("1w"), 7 * kNanosPerDay);
  EXPECT_EQ(*ParseDuration("0"), 0);
  EXPECT_EQ(*ParseDuration("0s"), 0);
  EXPECT_FALSE(ParseDuration(""));
  EXPECT_FALSE(ParseDuration("10"));
  EXPECT_FALSE(ParseDuration("m5"));
  EXPECT_FALSE(ParseDuration("5 m"));
  EXPECT_FALSE(ParseDuration("-5s"));
  EXPECT_FALSE(ParseDuration("+5s"));
  EXPECT_FALSE(ParseDuration("5y"));
  EXPECT_FALSE(ParseDuration("5S"));
  EXPECT_FALSE(ParseDuration(".s"));
  EXPECT_FALSE(ParseDuration("1.2.3s"));
  EXPECT_FALSE(ParseDuration("1e3s"));
  EXPECT_FALSE(ParseDuration("5s "));
}

TEST(ParseDuration, FractionsAreExact) {
  EXPECT_EQ(*ParseDuration("1.5h"), 90 * kNanosPerMinute);
  EXPECT_EQ(*ParseDuration(".5s"), 500 * kNanosPerMilli);
  EXPECT_EQ(*ParseDuration("5.s"), 5 * kNanosPerSecond);
  EXPECT_EQ(*ParseDuration("0.001s"), kNanosPerMilli);
  EXPECT_EQ(*ParseDuration("0.1s"), 100 * kNanosPerMilli);  // no binary rounding: 100000000 exactly
  // Digits finer than a nanosecond are dropped, however many there are.
  EXPECT_EQ(*ParseDuration("1.0000000019s"), kNanosPerSecond + 1);
  EXPECT_EQ(*ParseDuration("0." + std::string(10000, '9') + "ms"), kNanosPerMilli - 1);
}

TEST(ParseDuration, HugeValuesSaturateInsteadOfOverflowing) {
  EXPECT_EQ(*ParseDuration("99999999999999999999d"), kMaxNanos);
  EXPECT_EQ(*ParseDuration("106752d"), kMaxNanos);  // just past 2^63 ns (106751.99 days)
  EXPECT_EQ(*ParseDuration("106751d"), 106751 * kNanosPerDay);
  EXPECT_EQ(*ParseDuration(std::string(5000, '9') + "w"), kMaxNanos);
  EXPECT_EQ(*ParseDuration("9223372036s9223372036s"), kMaxNanos);  // the sum saturates too
  EXPECT_EQ(*ParseDuration("00000000000000000000000001s"), kNanosPerSecond);
}

TEST(FormatDuration, ShortestFormThatParsesBack) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(500 * kNanosPerMilli), "500ms");
  EXPECT_EQ(FormatDuration(90 * kNanosPerSecond), "1m30s");
  EXPECT_EQ(FormatDuration(7 * kNanosPerDay), "7d");
  EXPECT_EQ(FormatDuration(kNanosPerDay + kNanosPerMilli), "1d1ms");
  EXPECT_EQ(FormatDuration(1500), "0.0015ms");
  EXPECT_EQ(FormatDuration(-90 * kNanosPerSecond), "-1m30s");
  EXPECT_EQ(FormatDuration(kMinNanos), std::string("-").append(FormatDuration(kMaxNanos)));  // -kMinNanos overflows
  for (UnixNanos d : {UnixNanos{1}, 1500 * kNanosPerMilli, 365 * kNanosPerDay, kMaxNanos}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(d)), d) << FormatDuration(d);
  }
}

}  // namespace
}  // namespace gx
