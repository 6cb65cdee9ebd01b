#include "exporter/sources/poll/page_progress.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kT0 = 1'700'000'000 * kSec;

TEST(PageProgress, CountsPagesAcrossTheListingsOfARun) {
  PageProgress p(10 * kSec);
  p.BeginRun(kT0);
  EXPECT_EQ(p.done(), 0);
  EXPECT_EQ(p.expected(), 0);
  p.Page(1, 3, kT0);
  EXPECT_EQ(p.done(), 1);
  EXPECT_EQ(p.expected(), 3);
  p.Page(2, 3, kT0);
  p.Page(3, 3, kT0);
  // A second listing (trunk bases after trunks) adds its pages.
  p.Page(1, 2, kT0);
  EXPECT_EQ(p.done(), 4);
  EXPECT_EQ(p.expected(), 5);
  p.Page(2, 2, kT0);
  EXPECT_EQ(p.done(), 5);
  EXPECT_EQ(p.expected(), 5);
  // The next run starts from nothing.
  p.BeginRun(kT0 + kSec);
  EXPECT_EQ(p.done(), 0);
  EXPECT_EQ(p.expected(), 0);
}

TEST(PageProgress, AListingWithoutPageCountExpectsAtLeastThePageItIsOn) {
  PageProgress p(10 * kSec);
  p.BeginRun(kT0);
  p.Page(1, 0, kT0);
  p.Page(2, 0, kT0);
  EXPECT_EQ(p.done(), 2);
  EXPECT_EQ(p.expected(), 2);
}

TEST(PageProgress, LogsEveryIntervalAndTheLastPageOnlyOnceARunIsSlow) {
  PageProgress p(10 * kSec);
  p.BeginRun(kT0);
  // A fast run logs nothing at all.
  EXPECT_FALSE(p.Page(1, 2, kT0 + kSec));
  EXPECT_FALSE(p.Page(2, 2, kT0 + 2 * kSec));

  p.BeginRun(kT0 + 100 * kSec);
  int logged = 0;
  for (int page = 1; page <= 100; ++page) {  // one page per second: 100 s
    logged += p.Page(page, 100, kT0 + (100 + page) * kSec) ? 1 : 0;
  }
  EXPECT_EQ(logged, 10);  // at 10 s, 20 s, ... 100 s (the last page)
  // 1,000 pages read in one second: still at most one line per interval.
  p.BeginRun(kT0 + 1000 * kSec);
  logged = 0;
  for (int page = 1; page <= 1000; ++page) logged += p.Page(page, 1000, kT0 + 1011 * kSec) ? 1 : 0;
  EXPECT_EQ(logged, 2);  // the first page past 10 s, and the last
}

}  // namespace
}  // namespace gx
