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

}  // namespace
}  // namespace gx
