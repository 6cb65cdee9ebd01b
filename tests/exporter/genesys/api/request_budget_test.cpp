#include "exporter/genesys/api/request_budget.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

constexpr UnixNanos kStart = 1'800'000'000 * kNanosPerSecond;

TEST(RequestBudget, BurstThenSteadyRate) {
  ManualClock clock(kStart);
  ClockAdvancingSleeper sleeper(clock);
  RequestBudget budget(150, clock, sleeper);
  EXPECT_DOUBLE_EQ(budget.burst(), 25);
  // The burst goes out at once.
  for (int i = 0; i < 25; ++i) ASSERT_EQ(budget.TryAcquire(), 0) << i;
  // Then one request per 60/150 = 0.4 s.
  EXPECT_EQ(budget.TryAcquire(), 400 * kNanosPerMilli);
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(budget.Acquire());
  EXPECT_EQ(sleeper.slept(), 60 * kNanosPerSecond);
}

TEST(RequestBudget, NeverMoreThanRatePlusBurstPerMinute) {
  ManualClock clock(kStart);
  ClockAdvancingSleeper sleeper(clock);
  RequestBudget budget(150, clock, sleeper);
  int sent = 0;
  while (clock.Now() - kStart < 60 * kNanosPerSecond) {
    ASSERT_TRUE(budget.Acquire());
    if (clock.Now() - kStart < 60 * kNanosPerSecond) ++sent;
  }
  EXPECT_LE(sent, 150 + 25);
  EXPECT_GE(sent, 150 + 25 - 1);
}

TEST(RequestBudget, RefillIsCappedAtBurst) {
  ManualClock clock(kStart);
  ClockAdvancingSleeper sleeper(clock);
  RequestBudget budget(60, clock, sleeper);  // 1/s, burst 10
  clock.Advance(3600 * kNanosPerSecond);
  EXPECT_EQ(budget.available(), 10);
}

TEST(RequestBudget, BlockUntilHoldsEveryRequest) {
  ManualClock clock(kStart);
  ClockAdvancingSleeper sleeper(clock);
  RequestBudget budget(150, clock, sleeper);
  budget.BlockUntil(kStart + 5 * kNanosPerSecond);
  EXPECT_EQ(budget.TryAcquire(), 5 * kNanosPerSecond);
  ASSERT_TRUE(budget.Acquire());
  EXPECT_GE(clock.Now(), kStart + 5 * kNanosPerSecond);
  // An earlier deadline never shortens the gate.
  budget.BlockUntil(kStart + 20 * kNanosPerSecond);
  budget.BlockUntil(kStart + 10 * kNanosPerSecond);
  EXPECT_EQ(budget.blocked_until(), kStart + 20 * kNanosPerSecond);
}

TEST(RequestBudget, StopEndsAWait) {
  SystemClock clock;
  RealSleeper sleeper;
  RequestBudget budget(1, clock, sleeper, 1);
  ASSERT_TRUE(budget.Acquire());
  sleeper.Stop();
  EXPECT_FALSE(budget.Acquire());  // would otherwise wait a minute
}

}  // namespace
}  // namespace gx
