// The rollover plan from a channel's `expires`: believed within bounds, replaced by the
// documented 24 h otherwise, and never sooner than one rollover interval after creation.
#include "exporter/sources/notifications/channel_expiry.h"

#include <gtest/gtest.h>

#include "exporter/util/iso_time.h"
#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kHour = 3600 * kNanosPerSecond;
constexpr UnixNanos kMinute = 60 * kNanosPerSecond;
const RolloverPolicy kPolicy{10 * kMinute, 2 * kMinute};  // the defaults
const UnixNanos kCreated = *ParseIsoTime("2026-05-10T08:00:00Z");

TEST(ChannelExpiryTest, ADocumentedChannelRollsOverBeforeItsExpiry) {
  const RolloverPlan p = PlanRollover(kCreated + 24 * kHour, kCreated, kPolicy);
  EXPECT_EQ(p.verdict, ExpiryVerdict::kBelieved);
  EXPECT_EQ(p.expires, kCreated + 24 * kHour);
  EXPECT_EQ(p.rollover_at, kCreated + 24 * kHour - 10 * kMinute);
  EXPECT_EQ(DescribeVerdict(p.verdict), "");
}

TEST(ChannelExpiryTest, AShortLifetimeRollsOverAtTwoThirdsButNotBeforeTheInterval) {
  RolloverPlan p = PlanRollover(kCreated + 6 * kMinute, kCreated, kPolicy);
  EXPECT_EQ(p.verdict, ExpiryVerdict::kBelieved);
  EXPECT_EQ(p.rollover_at, kCreated + 4 * kMinute);  // margin = lifetime / 3
  p = PlanRollover(kCreated + 2 * kMinute, kCreated, kPolicy);
  EXPECT_EQ(p.verdict, ExpiryVerdict::kBelieved);
  EXPECT_EQ(p.rollover_at, kCreated + 2 * kMinute);  // not at 1m20s: once per interval at most
}

TEST(ChannelExpiryTest, UnbelievableExpiriesAssumeTheDocumentedLifetime) {
  const UnixNanos documented_rollover = kCreated + 24 * kHour - 10 * kMinute;
  const struct {
    std::optional<UnixNanos> expires;
    ExpiryVerdict verdict;
  } cases[] = {
      {std::nullopt, ExpiryVerdict::kMissing},
      {*ParseIsoTime("9999-12-31T23:59:59Z"), ExpiryVerdict::kTooFar},  // saturated to kMaxNanos
      {kMaxNanos, ExpiryVerdict::kTooFar},
      {kCreated + 48 * kHour + 1, ExpiryVerdict::kTooFar},
      {kCreated, ExpiryVerdict::kPast},  // equal to now
      {*ParseIsoTime("2001-01-01T00:00:00Z"), ExpiryVerdict::kPast},
      {kMinNanos, ExpiryVerdict::kPast},
      {kCreated + 1, ExpiryVerdict::kTooNear},
      {kCreated + 2 * kMinute - 1, ExpiryVerdict::kTooNear},
  };
  for (const auto& c : cases) {
    const RolloverPlan p = PlanRollover(c.expires, kCreated, kPolicy);
    SCOPED_TRACE(c.expires ? FormatIsoTime(*c.expires) : "none");
    EXPECT_EQ(p.verdict, c.verdict);
    EXPECT_EQ(p.expires, kCreated + 24 * kHour);
    EXPECT_EQ(p.rollover_at, documented_rollover);
    EXPECT_NE(DescribeVerdict(p.verdict), "");
  }
  EXPECT_EQ(PlanRollover(kCreated + 48 * kHour, kCreated, kPolicy).verdict, ExpiryVerdict::kBelieved);
}

TEST(ChannelExpiryTest, ExtremeClocksAndMarginsSaturate) {
  // A created time near the end of int64 and a margin of "forever" must not wrap.
  const RolloverPolicy huge{kMaxNanos, 2 * kMinute};
  RolloverPlan p = PlanRollover(kCreated + 24 * kHour, kCreated, huge);
  EXPECT_EQ(p.rollover_at, kCreated + 16 * kHour);  // margin limited to lifetime / 3
  p = PlanRollover(kMaxNanos, kMaxNanos - kHour, kPolicy);
  EXPECT_EQ(p.verdict, ExpiryVerdict::kBelieved);
  EXPECT_EQ(p.rollover_at, kMaxNanos - kHour + 50 * kMinute);
  p = PlanRollover(std::nullopt, kMaxNanos - kHour, kPolicy);
  EXPECT_EQ(p.expires, kMaxNanos);
  EXPECT_GT(p.rollover_at, kMaxNanos - kHour);
  p = PlanRollover(kMaxNanos, kMinNanos, kPolicy);
  EXPECT_EQ(p.verdict, ExpiryVerdict::kTooFar);
  EXPECT_EQ(p.expires, kMinNanos + 24 * kHour);
  const RolloverPolicy negative{-kHour, 2 * kMinute};  // config forbids it; still no rollover after expiry
  EXPECT_EQ(PlanRollover(kCreated + 24 * kHour, kCreated, negative).rollover_at, kCreated + 24 * kHour);
}

}  // namespace
}  // namespace gx
