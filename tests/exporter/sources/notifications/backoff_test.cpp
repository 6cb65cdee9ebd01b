#include "exporter/sources/notifications/backoff.h"

#include <gtest/gtest.h>
#include "exporter/util/time_math.h"

namespace gx {
namespace {

TEST(BackoffTest, DoublesFromTheInitialDelay) {
  BackoffPolicy p{1, 60};
  EXPECT_EQ(BackoffDelay(p, 0, 1.0), SecondsToNanos(1));
  EXPECT_EQ(BackoffDelay(p, 1, 1.0), SecondsToNanos(2));
  EXPECT_EQ(BackoffDelay(p, 3, 1.0), SecondsToNanos(8));
}

TEST(BackoffTest, IsCapped) {
  BackoffPolicy p{1, 60};
  EXPECT_EQ(BackoffDelay(p, 10, 1.0), SecondsToNanos(60));
  EXPECT_EQ(BackoffDelay(p, 1000, 1.0), SecondsToNanos(60));
  EXPECT_EQ(BackoffDelay(p, -5, 1.0), SecondsToNanos(1));
}

TEST(BackoffTest, JitterStaysWithinHalfAndFullDelay) {
  BackoffPolicy p{2, 60};
  EXPECT_EQ(BackoffDelay(p, 2, 0.0), SecondsToNanos(4));
  EXPECT_EQ(BackoffDelay(p, 2, 0.5), SecondsToNanos(6));
  EXPECT_LE(BackoffDelay(p, 2, 0.999), SecondsToNanos(8));
  // Out-of-range randomness is clamped rather than trusted.
  EXPECT_EQ(BackoffDelay(p, 2, -3), SecondsToNanos(4));
  EXPECT_EQ(BackoffDelay(p, 2, 7), SecondsToNanos(8));
}

TEST(BackoffTest, CapBelowInitialUsesInitial) {
  BackoffPolicy p{5, 1};
  EXPECT_EQ(BackoffDelay(p, 3, 1.0), SecondsToNanos(5));
}

}  // namespace
}  // namespace gx
