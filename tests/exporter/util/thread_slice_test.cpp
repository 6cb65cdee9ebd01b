#include "exporter/util/thread_slice.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

namespace gx {
namespace {

using std::chrono::microseconds;

// Runs `body` on a new thread: a slice or a nice value set there stays there.
template <typename F>
void OnANewThread(F body) {
  std::thread(body).join();
}

int ThisThreadNice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); }

TEST(ThreadSlice, TheCallingThreadGetsTheSliceItAsks) {
  OnANewThread([] {
    if (ThisThreadSlice() == microseconds(0)) GTEST_SKIP() << "this kernel reports no slice (before Linux 6.12)";
    const Status asked = RequestShortSlice(microseconds(250));
    ASSERT_TRUE(asked.ok()) << asked.error();
    EXPECT_EQ(ThisThreadSlice(), microseconds(250));
  });
}

TEST(ThreadSlice, OtherThreadsKeepTheirs) {
  const microseconds before = ThisThreadSlice();
  OnANewThread([] { ASSERT_TRUE(RequestShortSlice().ok()); });
  EXPECT_EQ(ThisThreadSlice(), before);
}

TEST(ThreadSlice, TheNiceValueIsKept) {
  OnANewThread([] {
    ASSERT_EQ(setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), ThisThreadNice() + 3), 0);
    const int nice = ThisThreadNice();
    ASSERT_TRUE(RequestShortSlice().ok());
    EXPECT_EQ(ThisThreadNice(), nice);
  });
}

TEST(ThreadSlice, AnotherPolicyIsRefusedAndKept) {
  OnANewThread([] {
    sched_param none{};
    ASSERT_EQ(sched_setscheduler(0, SCHED_BATCH, &none), 0);
    const Status asked = RequestShortSlice();
    EXPECT_FALSE(asked.ok());
    EXPECT_EQ(asked.error(), "not the normal scheduling policy");
    EXPECT_EQ(sched_getscheduler(0), SCHED_BATCH);
  });
}

}  // namespace
}  // namespace gx
