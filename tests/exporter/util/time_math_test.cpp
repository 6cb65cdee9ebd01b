#include "exporter/util/time_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace gx {
namespace {

TEST(TimeMath, SecondsToNanosSaturatesInsteadOfOverflowing) {
  EXPECT_EQ(SecondsToNanos(2), 2 * kNanosPerSecond);
  EXPECT_EQ(SecondsToNanos(-2), -2 * kNanosPerSecond);
  EXPECT_EQ(SecondsToNanos(99999999999LL), kMaxNanos);  // a hostile Retry-After
  EXPECT_EQ(SecondsToNanos(-99999999999LL), kMinNanos);
  EXPECT_EQ(SecondsToNanos(std::numeric_limits<std::uint64_t>::max()), kMaxNanos);
  EXPECT_EQ(SecondsToNanos(std::numeric_limits<std::int64_t>::max()), kMaxNanos);
}

TEST(TimeMath, FractionalSecondsSaturateAndNanIsZero) {
  EXPECT_EQ(SecondsToNanos(1.5), 1'500'000'000);
  EXPECT_EQ(SecondsToNanos(1e300), kMaxNanos);
  EXPECT_EQ(SecondsToNanos(-1e300), kMinNanos);
  EXPECT_EQ(SecondsToNanos(std::numeric_limits<double>::infinity()), kMaxNanos);
  EXPECT_EQ(SecondsToNanos(std::numeric_limits<double>::quiet_NaN()), 0);
  EXPECT_EQ(SecondsToNanos(9223372036.854775807), kMaxNanos);  // rounds to 2^63 in double
}

TEST(TimeMath, AddSubMulSaturate) {
  EXPECT_EQ(SaturatingAdd(kMaxNanos, 1), kMaxNanos);
  EXPECT_EQ(SaturatingAdd(kMinNanos, -1), kMinNanos);
  EXPECT_EQ(SaturatingAdd(5, -7), -2);
  EXPECT_EQ(SaturatingSub(kMinNanos, 1), kMinNanos);
  EXPECT_EQ(SaturatingSub(kMaxNanos, -1), kMaxNanos);
  EXPECT_EQ(SaturatingSub(10, 3), 7);
  EXPECT_EQ(SaturatingMul(kMaxNanos / 2, 3), kMaxNanos);
  EXPECT_EQ(SaturatingMul(kMaxNanos / 2, -3), kMinNanos);
  EXPECT_EQ(SaturatingMul(-4, 5), -20);
}

TEST(TimeMath, Clamp) {
  EXPECT_EQ(ClampNanos(5, 0, 3), 3);
  EXPECT_EQ(ClampNanos(-5, 0, 3), 0);
  EXPECT_EQ(ClampNanos(2, 0, 3), 2);
}

}  // namespace
}  // namespace gx
