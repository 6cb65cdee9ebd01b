#include "exporter/util/thread_name.h"

#include <gtest/gtest.h>

#include <thread>

namespace gx {
namespace {

TEST(ThreadName, NamesTheCallingThreadOnly) {
  const std::string before = ThisThreadName();
  std::string inside;
  std::thread([&] {
    NameThisThread("gx-test");
    inside = ThisThreadName();
  }).join();
  EXPECT_EQ(inside, "gx-test");
  EXPECT_EQ(ThisThreadName(), before);
}

TEST(ThreadName, ALongNameIsCutToWhatTheKernelKeeps) {
  std::string inside;
  std::thread([&] {
    NameThisThread("poll/trunk_metrics-and-more");
    inside = ThisThreadName();
  }).join();
  EXPECT_EQ(inside, "poll/trunk_metr");
  EXPECT_EQ(inside.size(), kThreadNameMax);
}

}  // namespace
}  // namespace gx
