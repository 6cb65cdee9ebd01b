#include "exporter/util/iso_time.h"

#include "exporter/util/time_math.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

constexpr UnixNanos k20260510 = 1778400000LL * kNanosPerSecond;  // 2026-05-10T08:00:00Z

TEST(IsoTime, ParsesEveryFractionLength) {
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00Z"), k20260510);
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00.1Z"), k20260510 + 100'000'000);
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00.123Z"), k20260510 + 123'000'000);
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00.123456Z"), k20260510 + 123'456'000);
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00.123456789Z"), k20260510 + 123'456'789);
  // Digits past nanoseconds are dropped, not rounded.
  EXPECT_EQ(ParseIsoTime("2026-05-10T08:00:00.1234567899Z"), k20260510 + 123'456'789);
}

TEST(IsoTime, ParsesOffsets) {
  EXPECT_EQ(ParseIsoTime("2026-05-10T10:00:00+02:00"), k20260510);
  EXPECT_EQ(ParseIsoTime("2026-05-10T07:30:00.5-00:30"), k20260510 + 500'000'000);
}

TEST(IsoTime, RejectsMalformed) {
  for (const char* bad : {"", "2026-05-10", "2026-05-10T08:00:00", "2026-13-10T08:00:00Z", "2026-02-30T08:00:00Z",
                          "2026-05-10T24:00:00Z", "2026-05-10T08:00:00.Z", "2026-05-10T08:00:00Zjunk",
                          "2026-05-10T08:00:00+2:00", "x026-05-10T08:00:00Z", "null"}) {
    EXPECT_FALSE(ParseIsoTime(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseIsoTime("2024-02-29T00:00:00Z").has_value());  // leap day
}

TEST(IsoTime, FormatsWithChosenDigits) {
  const UnixNanos t = k20260510 + 123'456'789;
  EXPECT_EQ(FormatIsoTime(t), "2026-05-10T08:00:00.123Z");
  EXPECT_EQ(FormatIsoTime(t, 0), "2026-05-10T08:00:00Z");
  EXPECT_EQ(FormatIsoTime(t, 9), "2026-05-10T08:00:00.123456789Z");
  EXPECT_EQ(FormatIsoTime(0, 3), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoTime(-1, 3), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(ParseIsoTime(FormatIsoTime(t, 9)), t);
}

TEST(IsoTime, YearsOutsideInt64NanosSaturate) {
  // Regression: 9999-12-31 used to overflow (signed, undefined) into a time in 1706.
  EXPECT_EQ(ParseIsoTime("9999-12-31T23:59:59Z"), kMaxNanos);
  EXPECT_EQ(ParseIsoTime("2263-01-01T00:00:00.5Z"), kMaxNanos);
  EXPECT_EQ(ParseIsoTime("0001-01-01T00:00:00Z"), kMinNanos);
  EXPECT_EQ(ParseIsoTime("2262-04-11T23:47:16Z"), 9223372036LL * kNanosPerSecond);  // the last whole second
}

TEST(IsoTime, TheEdgesOfInt64NanosRoundTrip) {
  // Found by tests/fuzz/iso_time_fuzz.cpp: the earliest representable instant has a
  // negative whole second and a positive fraction; saturating the seconds before adding
  // the fraction gave kMinNanos + 0.145224192 s instead of kMinNanos.
  EXPECT_EQ(ParseIsoTime("1677-09-21T00:12:43.145224192Z"), kMinNanos);
  EXPECT_EQ(ParseIsoTime("1677-09-21T00:12:43.145224193Z"), kMinNanos + 1);
  EXPECT_EQ(ParseIsoTime("1677-09-21T00:12:43.145224191Z"), kMinNanos);  // before it: saturates
  EXPECT_EQ(ParseIsoTime("2262-04-11T23:47:16.854775807Z"), kMaxNanos);
  for (UnixNanos t : {kMinNanos, kMinNanos + 1, kMaxNanos, kMaxNanos - 1, UnixNanos{-1}}) {
    EXPECT_EQ(ParseIsoTime(FormatIsoTime(t, 9)), t) << FormatIsoTime(t, 9);
  }
}

}  // namespace
}  // namespace gx
