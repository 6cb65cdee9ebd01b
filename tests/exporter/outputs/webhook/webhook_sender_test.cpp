#include "exporter/outputs/webhook/webhook_sender.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kNow = 1'790'000'000LL * kSec;  // 2026-09-21T14:13:20Z

TEST(ParseRetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("0", kNow), 0);
  EXPECT_EQ(ParseRetryAfter("120", kNow), 120 * kSec);
  EXPECT_EQ(ParseRetryAfter(" 7 ", kNow), 7 * kSec);
}

TEST(ParseRetryAfterTest, HugeValuesSaturateInsteadOfOverflowing) {
  EXPECT_EQ(ParseRetryAfter("99999999999", kNow), kMaxNanos);
  EXPECT_EQ(ParseRetryAfter("999999999999999999999999999999", kNow), kMaxNanos);
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNow), kMaxNanos - kNow);  // 235 years
}

TEST(ParseRetryAfterTest, HttpDate) {
  EXPECT_EQ(ParseRetryAfter("Mon, 21 Sep 2026 14:15:20 GMT", kNow), 120 * kSec);
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT", kNow), 0);  // the past: no wait
}

TEST(ParseRetryAfterTest, GarbageIsIgnored) {
  for (const char* v : {"", "-1", "1.5", "soon", "Mon, 21 Sep 2026 13:48:40", "Mon, 21 Sep 2026 13:48:40 PST"}) {
    EXPECT_FALSE(ParseRetryAfter(v, kNow).has_value()) << v;
  }
}

}  // namespace
}  // namespace gx
