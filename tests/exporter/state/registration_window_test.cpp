#include "exporter/state/registration_window.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace gx {
namespace {

constexpr UnixNanos kMinute = 60 * kNanosPerSecond;
constexpr UnixNanos kBase = 29'000'000 * kMinute;  // a minute in 2025

UnixNanos At(std::int64_t minute, int second = 0) { return kBase + minute * kMinute + second * kNanosPerSecond; }

TEST(RegistrationWindowTest, CountsTheChecksOfTheLastHourAndDay) {
  RegistrationWindow w;
  w.Record(At(0), false);
  w.Record(At(0, 30), true);
  w.Record(At(100), false);
  w.Record(At(150), true);
  const WindowTotals hour = w.Since(At(150), 60);
  EXPECT_EQ(hour.checks, 2u);  // minutes 91 to 150
  EXPECT_EQ(hour.failures, 1u);
  const WindowTotals day = w.Since(At(150), 24 * 60);
  EXPECT_EQ(day.checks, 4u);
  EXPECT_EQ(day.failures, 2u);
  EXPECT_EQ(w.Since(At(0, 59), 1).checks, 2u);  // the minute being counted is in
}

TEST(RegistrationWindowTest, ALateCheckCountsInItsOwnMinute) {
  RegistrationWindow w;
  w.Record(At(10), false);
  w.Record(At(5), true);  // an event observed earlier, applied later
  EXPECT_EQ(w.Since(At(10), 1).checks, 1u);
  EXPECT_EQ(w.Since(At(10), 6).checks, 2u);
  EXPECT_EQ(w.Since(At(10), 6).failures, 1u);
}

TEST(RegistrationWindowTest, ACheckOlderThanTheDayIsDroppedAndOverwritesNothing) {
  RegistrationWindow w;
  w.Record(At(2000), false);
  w.Record(At(2001), false);  // minute 2000 is now in its hour's slot
  w.Record(At(2000 - RegistrationWindow::kMinutes), true);  // the same slot, a day earlier
  const WindowTotals day = w.Since(At(2001), RegistrationWindow::kMinutes);
  EXPECT_EQ(day.checks, 2u);
  EXPECT_EQ(day.failures, 0u);
}

TEST(RegistrationWindowTest, ACopyKeepsWhatItHadWhenCopied) {
  RegistrationWindow w;
  w.Record(At(1), false);
  w.Record(At(2), false);
  const RegistrationWindow snapshot = w;
  w.Record(At(2), true);
  w.Record(At(3), true);
  w.Record(At(1), true);
  EXPECT_EQ(snapshot.Since(At(3), 60).checks, 2u);
  EXPECT_EQ(snapshot.Since(At(3), 60).failures, 0u);
  EXPECT_EQ(w.Since(At(3), 60).checks, 5u);
  EXPECT_EQ(w.Since(At(3), 60).failures, 3u);
}

// Against the plainest model: every check kept by minute. Mostly forward in time, some late,
// over more than a day so that slots are reused.
TEST(RegistrationWindowTest, EqualsCountingEveryCheckByMinute) {
  std::mt19937 rng(7);
  RegistrationWindow w;
  std::map<std::int64_t, WindowTotals> model;
  std::int64_t newest = 0;
  for (int i = 0; i < 20000; ++i) {
    newest += std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? 1 : 0;
    if (std::uniform_int_distribution<int>(0, 50)(rng) == 0) newest += 200;
    std::int64_t minute = newest;
    if (std::uniform_int_distribution<int>(0, 10)(rng) == 0) minute -= std::uniform_int_distribution<int>(1, 90)(rng);
    const bool failed = std::uniform_int_distribution<int>(0, 4)(rng) == 0;
    w.Record(At(minute, std::uniform_int_distribution<int>(0, 59)(rng)), failed);
    // The model drops what the window can no longer hold: older than a day before the newest.
    if (minute > newest - RegistrationWindow::kMinutes) {
      ++model[minute].checks;
      if (failed) ++model[minute].failures;
    }
    if (i % 97 == 0) {
      for (int span : {1, 60, RegistrationWindow::kMinutes}) {
        WindowTotals want;
        for (const auto& [m, t] : model) {
          if (m > newest - span && m <= newest) {
            want.checks += t.checks;
            want.failures += t.failures;
          }
        }
        const WindowTotals got = w.Since(At(newest), span);
        ASSERT_EQ(got.checks, want.checks) << "check " << i << ", span " << span;
        ASSERT_EQ(got.failures, want.failures) << "check " << i << ", span " << span;
      }
    }
  }
}

}  // namespace
}  // namespace gx
