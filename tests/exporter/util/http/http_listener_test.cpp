// HttpListener: serves, frees its port on Stop, and Stop returns whenever it is called,
// including before the listen thread has entered cpp-httplib's loop.
#include "exporter/util/http/http_listener.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <random>

#include "tests/exporter/util/finishes_within.h"
#include "tests/exporter/util/loopback_socket.h"

namespace gx {
namespace {

using gx::testing::FinishesWithin;
using namespace std::chrono_literals;

// A server with one route, and its listener.
struct Served {
  Served() {
    server.Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
  }
  httplib::Server server;
  HttpListener listener{server};
};

TEST(HttpListener, ServesUntilStopped) {
  Served s;
  const Status started = s.listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  ASSERT_GT(s.listener.port(), 0);
  httplib::Client client("127.0.0.1", s.listener.port());
  auto res = client.Get("/ping");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "pong");
  s.listener.Stop();
  httplib::Client after("127.0.0.1", s.listener.port());
  after.set_connection_timeout(2s);
  EXPECT_FALSE(after.Get("/ping"));  // the listening socket is closed
}

TEST(HttpListener, StopRightAfterStartReturns) {
  auto s = std::make_shared<Served>();
  const Status started = s->listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  EXPECT_TRUE(FinishesWithin([s] { s->listener.Stop(); }, 30s)) << "Stop() hung right after Start()";
}

// Start and Stop race: some stops land before the listen thread runs, some while it enters
// the loop, some once it serves. Every one must return, and must free the port.
TEST(HttpListener, StartStopRaceAlwaysStops) {
  auto failures = std::make_shared<int>(0);
  const bool finished = FinishesWithin(
      [failures] {
        std::minstd_rand rng(11);
        for (int i = 0; i < 200; ++i) {
          Served s;
          if (!s.listener.Start("127.0.0.1", 0).ok()) {
            ++*failures;
            continue;
          }
          // Stop at once (before the loop runs) or after a short random pause. Not a count of
          // yields: on a loaded machine each yield can give the core away for a whole slice.
          const unsigned pause_us = rng() % 400;
          if (pause_us >= 100) std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
          s.listener.Stop();
        }
      },
      60s);
  ASSERT_TRUE(finished) << "a Stop() hung";
  EXPECT_EQ(*failures, 0);
}

TEST(HttpListener, StopBeforeTheLoopStillFreesThePort) {
  int port = 0;
  {
    Served s;
    const Status started = s.listener.Start("127.0.0.1", 0);
    ASSERT_TRUE(started.ok()) << started.error();
    port = s.listener.port();
    s.listener.Stop();
  }
  Served again;
  const Status started = again.listener.Start("127.0.0.1", port);
  EXPECT_TRUE(started.ok()) << started.error();
}

TEST(HttpListener, StopWithoutStartAndTwiceAreNoOps) {
  Served s;
  s.listener.Stop();
  const Status started = s.listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  s.listener.Stop();
  s.listener.Stop();
}

TEST(HttpListener, BusyPortFailsInsteadOfSharing) {
  Served first;
  const Status started = first.listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  Served second;
  const Status refused = second.listener.Start("127.0.0.1", first.listener.port());
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), "Address already in use");
}

// genesys_sim's HTTP front and the tests' fake servers: a small response on a kept-alive
// connection must not wait for the client's delayed ACK (Nagle), and connections that
// arrive together must not overflow a 5-entry backlog.
TEST(HttpListener, AcceptedSocketsHaveTcpNoDelay) {
  Served s;
  const Status started = s.listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  httplib::Client client("127.0.0.1", s.listener.port());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/ping"));
  const std::vector<bool> nodelay = testing::AcceptedSocketsNoDelay(s.listener.port());
  ASSERT_EQ(nodelay.size(), 1u);
  EXPECT_TRUE(nodelay[0]);
}

TEST(HttpListener, BacklogIsANormalOne) {
  Served s;
  const Status started = s.listener.Start("127.0.0.1", 0);
  ASSERT_TRUE(started.ok()) << started.error();
  const int backlog = testing::ListenBacklog(s.listener.port());
  if (backlog < 0) GTEST_SKIP() << "ss (iproute2) is not installed";
  EXPECT_GE(backlog, 128);
}

}  // namespace
}  // namespace gx
