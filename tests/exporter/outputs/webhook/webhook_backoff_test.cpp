#include "exporter/outputs/webhook/webhook_backoff.h"

#include <gtest/gtest.h>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;

ReceiverConfig Receiver(double initial, double max) {
  ReceiverConfig r;
  r.initial_backoff = Seconds(initial);
  r.max_backoff = Seconds(max);
  return r;
}

TEST(WebhookBackoffTest, ExponentialWithEqualJitterUpToTheCap) {
  const auto r = Receiver(1, 60);
  EXPECT_EQ(ComputeRetryDelay(r, 1, 0.0, std::nullopt).delay, kSec / 2);
  EXPECT_EQ(ComputeRetryDelay(r, 1, 1.0, std::nullopt).delay, kSec);
  EXPECT_EQ(ComputeRetryDelay(r, 3, 0.0, std::nullopt).delay, 2 * kSec);
  EXPECT_EQ(ComputeRetryDelay(r, 1000, 1.0, std::nullopt).delay, 60 * kSec);
  EXPECT_EQ(ComputeRetryDelay(r, -5, 0.0, std::nullopt).delay, kSec / 2);
}

TEST(WebhookBackoffTest, RetryAfterLengthensButNeverShortens) {
  const auto r = Receiver(1, 60);
  EXPECT_EQ(ComputeRetryDelay(r, 5, 0.0, 0).delay, 8 * kSec);  // backoff 16 s, jitter floor 8 s
  EXPECT_EQ(ComputeRetryDelay(r, 5, 0.0, -kSec).delay, 8 * kSec);
  EXPECT_EQ(ComputeRetryDelay(r, 1, 0.0, 30 * kSec).delay, 30 * kSec);
  EXPECT_FALSE(ComputeRetryDelay(r, 1, 0.0, 30 * kSec).retry_after_clamped);
}

TEST(WebhookBackoffTest, RetryAfterIsCappedAtMaxBackoff) {
  const auto r = Receiver(1, 60);
  for (UnixNanos asked : {61 * kSec, 86400 * kSec, kMaxNanos}) {
    const RetryDelay d = ComputeRetryDelay(r, 1, 0.5, asked);
    EXPECT_EQ(d.delay, 60 * kSec);
    EXPECT_TRUE(d.retry_after_clamped);
  }
}

TEST(WebhookBackoffTest, AbsurdConfigurationStillWaits) {
  EXPECT_GE(ComputeRetryDelay(Receiver(0, 0), 1, 0.0, 0).delay, kNanosPerMilli);
  EXPECT_EQ(ComputeRetryDelay(Receiver(1e300, 1e300), 40, 1.0, kMaxNanos).delay, kMaxNanos);
}

}  // namespace
}  // namespace gx
