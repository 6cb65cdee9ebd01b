// The soft open-file limit is raised to the hard one (or to the cap a test gives).
#include "exporter/util/open_file_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace gx {
namespace {

TEST(OpenFileLimit, SoftIsRaisedToTheHardLimit) {
  rlimit lim{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_max < 512) GTEST_SKIP() << "the hard limit is too low to lower the soft one first";
  rlimit lowered = lim;
  lowered.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const OpenFileLimit raised = RaiseOpenFileLimit();
  EXPECT_TRUE(raised.status.ok()) << raised.status.error();
  EXPECT_EQ(raised.soft_before, 256u);
  EXPECT_EQ(raised.soft, lim.rlim_max);
  EXPECT_EQ(raised.hard, lim.rlim_max);
  EXPECT_EQ(CurrentOpenFileLimit(), lim.rlim_max);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
}

TEST(OpenFileLimit, NeverLowered) {
  const std::uint64_t now = CurrentOpenFileLimit();
  const OpenFileLimit same = RaiseOpenFileLimit(16);
  EXPECT_EQ(same.soft, now);
  EXPECT_EQ(CurrentOpenFileLimit(), now);
}

}  // namespace
}  // namespace gx
