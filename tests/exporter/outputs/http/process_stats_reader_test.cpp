// ReadProcessStats reads this test process's own /proc figures: they must agree with what the
// process can see of itself another way (getrlimit, an extra open file, the clock).
#include "exporter/outputs/http/process_stats_reader.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>

namespace gx {
namespace {

TEST(ProcessStatsReaderTest, ReadsThisProcess) {
  const auto p = ReadProcessStats();
  ASSERT_TRUE(p.has_value());
  EXPECT_GT(p->resident_memory_bytes, 0);
  EXPECT_GE(p->virtual_memory_bytes, p->resident_memory_bytes);
  EXPECT_GE(p->cpu_seconds, 0);
  EXPECT_GE(p->open_fds, 3);  // stdin, stdout, stderr
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(p->start_time_seconds, now + 1);
  EXPECT_GT(p->start_time_seconds, now - 86400) << "a test process started more than a day ago";
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur == RLIM_INFINITY) {
    EXPECT_FALSE(p->max_fds.has_value());
  } else {
    ASSERT_TRUE(p->max_fds.has_value());
    EXPECT_EQ(*p->max_fds, static_cast<double>(limit.rlim_cur));
  }
}

TEST(ProcessStatsReaderTest, CountsAnOpenedFile) {
  const double before = ReadProcessStats().value().open_fds;
  const int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const double with = ReadProcessStats().value().open_fds;
  close(fd);
  EXPECT_EQ(with, before + 1);
}

// /proc/<pid>/stat: the command name may hold spaces and parentheses; utime 250 and stime 50
// ticks, starttime 5000 ticks after boot, vsize in bytes, rss in pages.
constexpr const char* kStat =
    "1234 (gx (a) b) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 5000 123456789 2048 18446744073709551615";

TEST(ProcessStatsReaderTest, ParsesTheStatFields) {
  const auto p = ParseProcSelfStat(kStat, 100, 4096, 1'700'000'000);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->cpu_seconds, 3.0);
  EXPECT_EQ(p->start_time_seconds, 1'700'000'050.0);
  EXPECT_EQ(p->virtual_memory_bytes, 123456789.0);
  EXPECT_EQ(p->resident_memory_bytes, 2048.0 * 4096);
}

// A field that was not a number threw std::invalid_argument out of the scrape.
TEST(ProcessStatsReaderTest, AnotherFormatIsNoFigures) {
  EXPECT_FALSE(ParseProcSelfStat("", 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcSelfStat("no parenthesis at all", 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcSelfStat("1 (x)", 100, 4096, 0).has_value());
  EXPECT_FALSE(ParseProcSelfStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 250 50", 100, 4096, 0).has_value());
  EXPECT_FALSE(
      ParseProcSelfStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 utime 50 0 0 20 0 9 0 5000 123456789 2048", 100, 4096, 0)
          .has_value());
}

}  // namespace
}  // namespace gx
