#include "exporter/util/thread_name.h"

#include <gtest/gtest.h>

#include <thread>

namespace gx {
namespace {

// The name a new thread reads back after naming itself `name`.
std::string NameOnANewThread(std::string_view name) {
  std::string read;
  std::thread([&] {
    NameThisThread(name);
    read = ThisThreadName();
  }).join();
  return read;
}

TEST(ThreadName, NamesTheCallingThreadOnly) {
  const std::string before = ThisThreadName();
  EXPECT_EQ(NameOnANewThread("gx-test"), "gx-test");
  EXPECT_EQ(ThisThreadName(), before);
}

TEST(ThreadName, ALongNameIsCutToWhatTheKernelKeeps) {
  const std::string read = NameOnANewThread("poll/trunk_metrics-and-more");
  EXPECT_EQ(read, "poll/trunk_metr");
  EXPECT_EQ(read.size(), kThreadNameMax);
}

}  // namespace
}  // namespace gx
