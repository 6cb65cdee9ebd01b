// SimCore's org behind Read and Change, and the changes that publish an event.
#include "simulator/sim_core.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

class SimCoreTest : public ::testing::Test {
 protected:
  ManualClock clock_{1'790'000'000LL * kNanosPerSecond};
  SimCore core_{testing::SmallScenario(), clock_, {}};
};

TEST_F(SimCoreTest, ReadReturnsWhatTheFunctionReturns) {
  const size_t phones = core_.Read([](const Org& org) { return org.phones.size(); });
  EXPECT_EQ(phones, 65u);  // the small scenario's 40 + 25
}

TEST_F(SimCoreTest, AChangeIsSeenByTheNextRead) {
  const std::string id = core_.Read([](const Org& org) { return org.phones[0].id; });
  const Status changed = core_.SetLineReachable(id, 0, false);
  ASSERT_TRUE(changed.ok()) << changed.error();
  EXPECT_FALSE(core_.Read([](const Org& org) { return org.phones[0].lines.front().reachable; }));
  EXPECT_EQ(core_.events_published.load(), 1u);
  core_.Change([](Org& org) { org.phones[0].lines.front().reachable = true; });
  EXPECT_TRUE(core_.Read([](const Org& org) { return org.phones[0].lines.front().reachable; }));
}

TEST_F(SimCoreTest, AnUnknownTargetIsAnErrorAndPublishesNothing) {
  const Status changed = core_.SetLineReachable("no-such-phone", 0, false);
  EXPECT_FALSE(changed.ok());
  EXPECT_EQ(changed.error(), "unknown phone 'no-such-phone'");
  EXPECT_EQ(core_.events_published.load(), 0u);
}

// Readers and a writer at once: every read sees a whole change (run under TSan in CI).
TEST_F(SimCoreTest, ReadersSeeWholeChanges) {
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!stop) {
      ++reads;
      core_.Read([&](const Org& org) {
        const auto& l = org.phones[1].lines.front();
        if (l.reachable != (org.phones[1].status == "OPERATIONAL")) ++torn;
      });
    }
  });
  // Write until the reader has read a while (bounded: no test waits forever).
  for (int i = 0; i < 2000 || (reads < 500 && i < 10'000'000); ++i) {
    core_.Change([&](Org& org) {
      const bool up = i % 2 == 0;
      org.phones[1].lines.front().reachable = up;
      org.phones[1].status = up ? "OPERATIONAL" : "OFFLINE";
    });
  }
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GE(reads.load(), 500);
}

}  // namespace
}  // namespace gx::sim
