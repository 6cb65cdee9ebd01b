// genesys_sim's HTTP front: it serves, and Stop() returns however soon it follows Start()
// (it once joined a listen thread whose loop had not started, and hung).
#include "simulator/http_front.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>

#include "simulator/sim_core.h"
#include "tests/exporter/util/finishes_within.h"
#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

using gx::testing::FinishesWithin;
using namespace std::chrono_literals;

// What an HttpFront needs, shared with a body that may outlive the test when it hangs.
struct Parts {
  Parts() : sim(Scenario(Small())), core(Small(), SystemClock::Instance(), {}) {}
  static Scenario Small() {
    Scenario s = testing::SmallScenario();
    s.tls_endpoints = false;
    return s;
  }
  Simulator sim;
  SimCore core;
};

TEST(HttpFrontTest, ServesOAuth) {
  Parts p;
  HttpFront front(p.core, p.sim);
  const Status started = front.Start(0);
  ASSERT_TRUE(started.ok()) << started.error();
  httplib::Client client("127.0.0.1", front.port());
  auto res = client.Post("/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);  // no client id: an OAuth error, from the simulator's own route
  front.Stop();
}

TEST(HttpFrontTest, StopRightAfterStartReturns) {
  auto p = std::make_shared<Parts>();
  const bool stopped = FinishesWithin(
      [p] {
        HttpFront front(p->core, p->sim);
        if (front.Start(0).ok()) front.Stop();
      },
      30s);
  EXPECT_TRUE(stopped) << "HttpFront::Stop() hung right after Start()";
}

TEST(HttpFrontTest, StartStopRaceAlwaysStops) {
  auto p = std::make_shared<Parts>();
  auto started = std::make_shared<int>(0);
  const bool finished = FinishesWithin(
      [p, started] {
        for (int i = 0; i < 200; ++i) {
          HttpFront front(p->core, p->sim);
          if (!front.Start(0).ok()) continue;
          ++*started;
          // Stop at once or after a pause that grows with i (up to ~400 us). Not a count of
          // yields: on a loaded machine each yield can give the core away for a whole slice.
          if (i % 4 != 0) std::this_thread::sleep_for(std::chrono::microseconds(2 * i));
          front.Stop();
        }
      },
      60s);
  ASSERT_TRUE(finished) << "an HttpFront::Stop() hung";
  EXPECT_EQ(*started, 200);
}

TEST(HttpFrontTest, BusyPortFailsWithMessage) {
  Parts p;
  HttpFront first(p.core, p.sim);
  const Status started = first.Start(0);
  ASSERT_TRUE(started.ok()) << started.error();
  HttpFront second(p.core, p.sim);
  const Status refused = second.Start(first.port());
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), "cannot bind HTTP on 127.0.0.1:" + std::to_string(first.port()) + ": Address already in use");
}

}  // namespace
}  // namespace gx::sim
