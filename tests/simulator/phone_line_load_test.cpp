// The benches' line-change stream: which phones, how many changes, its bounds, stopping early,
// and the control API's routes for it.
#include "simulator/phone_line_load.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "simulator/sim_core.h"
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

using testing::WaitFor;

class PhoneLineLoadTest : public ::testing::Test {
 protected:
  // Line 0 of the phones in id order, as now.
  std::vector<bool> LineZeroByIdOrder() {
    return core_.Read([](const Org& org) {
      std::vector<bool> out;
      for (int i : org.phones_by_id) out.push_back(org.phones[i].lines.front().reachable);
      return out;
    });
  }
  bool Finished() { return !load_.status().running; }

  ManualClock clock_{1'790'000'000LL * kNanosPerSecond};
  SimCore core_{testing::SmallScenario(), clock_, {}};
  PhoneLineLoad load_{core_};
};

TEST_F(PhoneLineLoadTest, FlipsLineZeroOfTheFirstPhonesInIdOrderOneAfterTheOther) {
  const std::vector<bool> before = LineZeroByIdOrder();
  // 50 changes over 10 phones: each phone flips 5 times, so each ends flipped; the rest keep.
  ASSERT_TRUE(load_.Start({.rate = 500, .seconds = 0.1, .phones = 10}).ok());
  ASSERT_TRUE(WaitFor([&] { return Finished(); }));
  const PhoneLineLoadStatus s = load_.status();
  EXPECT_EQ(s.sent, 50u);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_EQ(core_.events_published.load(), 50u);
  const std::vector<bool> after = LineZeroByIdOrder();
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i], i < 10 ? !before[i] : before[i]) << i;
}

TEST_F(PhoneLineLoadTest, ASpecOutOfBoundsIsRefused) {
  EXPECT_EQ(load_.Start({.rate = 0, .seconds = 1, .phones = 1}).error(), "rate must be above 0 and at most 100000");
  EXPECT_FALSE(load_.Start({.rate = 1e6, .seconds = 1, .phones = 1}).ok());
  EXPECT_EQ(load_.Start({.rate = 10, .seconds = 0, .phones = 1}).error(), "seconds must be above 0 and at most 3600");
  EXPECT_FALSE(load_.Start({.rate = 10, .seconds = 1e9, .phones = 1}).ok());
  EXPECT_EQ(load_.Start({.rate = 10, .seconds = 1, .phones = 0}).error(),
            "phones must be at least 1 and at most the org's 65 phones with a line");
  EXPECT_EQ(load_.Start({.rate = 10, .seconds = 1, .phones = 66}).error(),
            "phones must be at least 1 and at most the org's 65 phones with a line");
  EXPECT_FALSE(load_.status().running);
  EXPECT_EQ(core_.events_published.load(), 0u);
}

TEST_F(PhoneLineLoadTest, OneAtATimeAndStopEndsItEarly) {
  ASSERT_TRUE(load_.Start({.rate = 10, .seconds = 3600, .phones = 5}).ok());
  EXPECT_EQ(load_.Start({.rate = 10, .seconds = 1, .phones = 5}).error(), "a load is running");
  load_.Stop();
  EXPECT_TRUE(Finished());
  EXPECT_LT(load_.status().sent, 36000u);
  // A finished load can be followed by another, counted from zero.
  ASSERT_TRUE(load_.Start({.rate = 1000, .seconds = 0.01, .phones = 5}).ok());
  ASSERT_TRUE(WaitFor([&] { return Finished(); }));
  EXPECT_EQ(load_.status().sent, 10u);
}

// Two control requests at once (the control API serves each on its own thread): no race on the
// load's thread (TSan), and it ends stopped.
TEST_F(PhoneLineLoadTest, StartsAndStopsFromSeveralThreadsAtOnce) {
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) {
        if ((k + t) % 2 == 0) {
          (void)load_.Start({.rate = 1000, .seconds = 1, .phones = 5});
        } else {
          load_.Stop();
        }
        (void)load_.status();
      }
    });
  }
  for (auto& c : callers) c.join();
  load_.Stop();
  EXPECT_TRUE(Finished());
}

TEST(PhoneLineLoadRoutes, StartReadAndStopOverTheControlApi) {
  Simulator sim(testing::SmallScenario());
  ASSERT_TRUE(sim.Start().ok());
  testing::SimClient client(sim);
  auto& c = client.raw();
  auto bad = c.Post("/sim/v1/load/phone_lines", R"({"rate":0})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  auto too_many = c.Post("/sim/v1/load/phone_lines", R"({"rate":10,"seconds":1,"phones":1000})", "application/json");
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 400) << too_many->body;
  auto started = c.Post("/sim/v1/load/phone_lines", R"({"rate":10,"seconds":3600,"phones":3})", "application/json");
  ASSERT_TRUE(started);
  EXPECT_EQ(started->status, 202) << started->body;
  auto again = c.Post("/sim/v1/load/phone_lines", R"({"rate":10,"seconds":1,"phones":3})", "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;
  auto read = c.Get("/sim/v1/load/phone_lines");
  ASSERT_TRUE(read);
  EXPECT_NE(read->body.find(R"("running":true)"), std::string::npos) << read->body;
  EXPECT_NE(read->body.find(R"("lateOver1ms":)"), std::string::npos) << read->body;
  auto stopped = c.Delete("/sim/v1/load/phone_lines");
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->status, 200);
  read = c.Get("/sim/v1/load/phone_lines");
  ASSERT_TRUE(read);
  EXPECT_NE(read->body.find(R"("running":false)"), std::string::npos) << read->body;
}

}  // namespace
}  // namespace gx::sim
