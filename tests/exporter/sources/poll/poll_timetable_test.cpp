// The period of a source counts from the start of its last run, not its end.
#include "exporter/sources/poll/poll_timetable.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

constexpr UnixNanos kStart = 1'800'000'000 * kNanosPerSecond;
constexpr UnixNanos kSecond = kNanosPerSecond;

TEST(PollTimetable, TheFirstRunIsDueAtOnce) {
  PollTimetable t;
  EXPECT_LE(t.DueAt(), kStart);
}

TEST(PollTimetable, TheNextRunIsOneIntervalAfterTheStartOfTheLast) {
  PollTimetable t;
  t.Started(kStart, 71.5);
  // However long the run takes (a 40 s phones cycle), the next is due 71.5 s after its start.
  EXPECT_EQ(t.DueAt(), kStart + 71'500 * kNanosPerMilli);
  t.Started(t.DueAt(), 71.5);
  EXPECT_EQ(t.DueAt(), kStart + 143 * kSecond);
}

TEST(PollTimetable, ResyncIsDueAtOnceUntilTheNextStart) {
  PollTimetable t;
  t.Started(kStart, 3600);
  t.Resync();
  EXPECT_TRUE(t.resync_pending());
  EXPECT_LE(t.DueAt(), kStart);
  t.Started(kStart + 5 * kSecond, 3600);
  EXPECT_FALSE(t.resync_pending());
  EXPECT_EQ(t.DueAt(), kStart + 3605 * kSecond);
}

TEST(PollTimetable, ASkippedRunTriesAgainSoon) {
  PollTimetable t;
  t.Started(kStart, 30);
  t.Skipped(kStart + kSecond / 2);
  EXPECT_EQ(t.DueAt(), kStart + kSecond / 2 + kSkippedRetryNanos);
}

TEST(PollTimetable, ANewIntervalCountsFromTheLastStart) {
  PollTimetable t;
  t.Reschedule(10);  // nothing ran yet: still due at once
  EXPECT_LE(t.DueAt(), kStart);
  t.Started(kStart, 86400);
  t.Reschedule(1);
  EXPECT_EQ(t.DueAt(), kStart + kSecond);
}

TEST(PollTimetable, AHugeIntervalSaturates) {
  PollTimetable t;
  t.Started(kStart, 1e30);
  EXPECT_GT(t.DueAt(), kStart);
}

}  // namespace
}  // namespace gx
