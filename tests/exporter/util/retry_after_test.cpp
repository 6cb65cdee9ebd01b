#include "exporter/util/retry_after.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kNow = 1'790'000'000LL * kSec;  // 2026-09-21T14:13:20Z
constexpr UnixNanos kCeiling = 180 * kSec;

std::optional<UnixNanos> Wait(std::string_view value, UnixNanos now = kNow) {
  const auto w = ParseRetryAfter(value, now, kMaxNanos);
  if (!w) return std::nullopt;
  return w->wait;
}

TEST(RetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(Wait("0"), 0);
  EXPECT_EQ(Wait("2"), 2 * kSec);
  EXPECT_EQ(Wait("120"), 120 * kSec);
  EXPECT_EQ(Wait(" 7\t"), 7 * kSec);
}

TEST(RetryAfterTest, HttpDate) {
  EXPECT_EQ(Wait("Mon, 21 Sep 2026 14:15:20 GMT"), 120 * kSec);
  // A date in the past means "now".
  EXPECT_EQ(Wait("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(Wait("Sat, 01 Jan 1000 00:00:00 GMT"), 0);  // before 1678 too
}

// Absurd values saturate instead of overflowing or being ignored.
TEST(RetryAfterTest, HugeValuesSaturate) {
  EXPECT_EQ(Wait("1000000000"), 1'000'000'000 * kSec);
  EXPECT_EQ(Wait("99999999999"), kMaxNanos);
  EXPECT_EQ(Wait("999999999999999999999999999999"), kMaxNanos);
  EXPECT_EQ(Wait("Fri, 31 Dec 9999 23:59:59 GMT"), kMaxNanos - kNow);  // 235 years
  EXPECT_EQ(Wait("Fri, 31 Dec 9999 23:59:59 GMT", -kNow), kMaxNanos);
}

// Issue 11: every wait a server asks for is clamped, and the caller hears that it was.
TEST(RetryAfterTest, IsClampedToTheCeiling) {
  for (const char* v : {"181", "99999999999", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"}) {
    const auto w = ParseRetryAfter(v, kNow, kCeiling);
    ASSERT_TRUE(w) << v;
    EXPECT_EQ(w->wait, kCeiling) << v;
    EXPECT_TRUE(w->clamped) << v;
  }
  const auto w = ParseRetryAfter("180", kNow, kCeiling);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->wait, kCeiling);
  EXPECT_FALSE(w->clamped);
  EXPECT_EQ(ParseRetryAfter("5", kNow, -1)->wait, 0);  // a negative ceiling is no wait
}

// The API client's copy accepted fractions and exponents, trimmed any white space and took
// any weekday; the webhook sender's read dates with strptime (locale names, one-digit
// fields). The one reading keeps the stricter of each: RFC 9110's two forms, nothing else.
TEST(RetryAfterTest, OnlyTheTwoRfcFormsAreRead) {
  for (const char* v : {"", " ", "-1", "-5", "+5", "1.5", "1e30", "0x10", "5s", "soon", "\n5", "5\r\n",
                        "Mon, 21 Sep 2026 13:48:40", "Mon, 21 Sep 2026 13:48:40 PST", "Wed, 21 Foo 2026 07:28:00 GMT",
                        "Mon, 1 Sep 2026 13:48:40 GMT", "Mon, 21 Sep 2026 1:48:40 GMT", "Xyz, 21 Sep 2026 13:48:40 GMT",
                        "Mon, 32 Sep 2026 13:48:40 GMT", "Mon, 21 Sep 2026 24:00:00 GMT", "Mon, 21 Sep 2026 13:61:40 GMT",
                        "Mon,  21 Sep 2026 13:48:40 GMT", "Monday, 21-Sep-26 13:48:40 GMT", "Mon Sep 21 13:48:40 2026",
                        "mon, 21 sep 2026 13:48:40 gmt"}) {
    EXPECT_FALSE(ParseRetryAfter(v, kNow, kMaxNanos).has_value()) << '"' << v << '"';
  }
}

TEST(ClampServerWaitTest, LimitsToZeroAndTheCeiling) {
  EXPECT_EQ(ClampServerWait(-kSec, kCeiling).wait, 0);
  EXPECT_FALSE(ClampServerWait(-kSec, kCeiling).clamped);
  EXPECT_EQ(ClampServerWait(kSec, kCeiling).wait, kSec);
  EXPECT_EQ(ClampServerWait(kMaxNanos, kCeiling).wait, kCeiling);
  EXPECT_TRUE(ClampServerWait(kMaxNanos, kCeiling).clamped);
}

}  // namespace
}  // namespace gx
