#include "exporter/util/backoff.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kMs = kNanosPerMilli;

TEST(BackoffTest, DoublesFromTheInitialWaitUpToTheCap) {
  const Backoff b{500 * kMs, 30 * kSec};
  EXPECT_EQ(BackoffDelay(b, 0, 1.0), 500 * kMs);
  EXPECT_EQ(BackoffDelay(b, 1, 1.0), 1 * kSec);
  EXPECT_EQ(BackoffDelay(b, 3, 1.0), 4 * kSec);
  EXPECT_EQ(BackoffDelay(b, 10, 1.0), 30 * kSec);
  EXPECT_EQ(BackoffDelay(b, 1000, 1.0), 30 * kSec);
  EXPECT_EQ(BackoffDelay(b, -5, 1.0), 500 * kMs);
}

TEST(BackoffTest, EqualJitterStaysBetweenHalfAndAllOfTheNominalWait) {
  const Backoff b{2 * kSec, 60 * kSec};
  EXPECT_EQ(BackoffDelay(b, 2, 0.0), 4 * kSec);
  EXPECT_EQ(BackoffDelay(b, 2, 0.5), 6 * kSec);
  EXPECT_LE(BackoffDelay(b, 2, 0.999), 8 * kSec);
  // Out-of-range randomness is clamped rather than trusted.
  EXPECT_EQ(BackoffDelay(b, 2, -3), 4 * kSec);
  EXPECT_EQ(BackoffDelay(b, 2, 7), 8 * kSec);
  EXPECT_EQ(BackoffDelay(b, 10, 0.0), 30 * kSec);
}

TEST(BackoffTest, ACapBelowTheInitialWaitIsTheInitialWait) {
  EXPECT_EQ(BackoffDelay({5 * kSec, 1 * kSec}, 3, 1.0), 5 * kSec);
}

TEST(BackoffTest, AbsurdPoliciesSaturateInsteadOfOverflowing) {
  EXPECT_EQ(BackoffDelay({kMaxNanos, kMaxNanos}, 62, 1.0), kMaxNanos);
  EXPECT_EQ(BackoffDelay({kMaxNanos / 3, kMaxNanos}, 40, 1.0), kMaxNanos);
  EXPECT_EQ(BackoffDelay({-kSec, -kSec}, 3, 1.0), 0);
  EXPECT_EQ(BackoffDelay({0, 0}, 3, 1.0), 0);
}

TEST(UnitRandomTest, AnInjectedSourceIsWhatComesOut) {
  std::vector<double> values = {0.0, 0.25, 0.999};
  size_t next = 0;
  UnitRandom random([&] { return values[next++ % values.size()]; });
  EXPECT_EQ(random.Next(), 0.0);
  EXPECT_EQ(random.Next(), 0.25);
  EXPECT_EQ(random.Next(), 0.999);
}

TEST(UnitRandomTest, TheSeededGeneratorStaysInTheUnitIntervalAndVaries) {
  UnitRandom random;
  std::set<double> seen;
  for (int i = 0; i < 1000; ++i) {
    const double v = random.Next();
    ASSERT_GE(v, 0.0);
    ASSERT_LT(v, 1.0);
    seen.insert(v);
  }
  EXPECT_GT(seen.size(), 990u);
}

TEST(UnitRandomTest, IsSafeToShareBetweenThreads) {
  UnitRandom random;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        const double v = random.Next();
        if (v < 0 || v >= 1) ADD_FAILURE() << v;
      }
    });
  }
  for (auto& t : threads) t.join();
}

}  // namespace
}  // namespace gx
