// Listening for the web server: a wildcard address answers on IPv4 and IPv6 (as Go
// exporters do), [::1] answers, the backlog is a normal one, explicit addresses stay what
// they say. The first tests go through HttpServer's original interface.
#include "exporter/outputs/http/listen_sockets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "exporter/outputs/http/http_server.h"
#include "tests/exporter/util/loopback_socket.h"

namespace gx {
namespace {

using gx::testing::HasIpv6Loopback;
using gx::testing::LoopbackSocket;
using gx::testing::StatusOf;

HttpHandlers Handlers() {
  HttpHandlers h;
  h.metrics = [](bool) { return EncodedBody{"genesys_up 1\n"}; };
  h.landing_page = [] { return std::string(); };
  h.ready = [] { return true; };
  h.dashboard = [](const QueryParams&) { return WebResponse{}; };
  return h;
}

int Healthy(int port, int family) {
  LoopbackSocket client(port, family);
  if (!client.ok()) return 0;
  client.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n");
  return StatusOf(client.ReadResponse());
}

int Somaxconn() {
  std::ifstream in("/proc/sys/net/core/somaxconn");
  int n = 0;
  in >> n;
  return n;
}

TEST(WebListen, WildcardAnswersOnIpv4AndIpv6) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({":0"});
  ASSERT_TRUE(started.ok()) << started.error();
  EXPECT_EQ(Healthy(server.ports()[0], AF_INET), 200);
  if (!HasIpv6Loopback()) GTEST_SKIP() << "this machine has no IPv6 loopback";
  EXPECT_EQ(Healthy(server.ports()[0], AF_INET6), 200) << "[::1] is not served by :port";
}

TEST(WebListen, Ipv6LoopbackAnswers) {
  if (!HasIpv6Loopback()) GTEST_SKIP() << "this machine has no IPv6 loopback";
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"[::1]:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  EXPECT_EQ(Healthy(server.ports()[0], AF_INET6), 200);
}

TEST(WebListen, BacklogIsANormalOne) {
  HttpServer server("/metrics", Handlers());
  const Status started = server.Start({"127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.error();
  const int backlog = gx::testing::ListenBacklog(server.ports()[0]);
  if (backlog < 0) GTEST_SKIP() << "ss (iproute2) is not installed";
  EXPECT_EQ(backlog, std::min(4096, Somaxconn()));
}

TEST(ListenSockets, ExplicitIpv4AddressIsIpv4Only) {
  const auto opened = OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const ListenSocket& s = *opened;
  EXPECT_EQ(s.bound, "127.0.0.1:" + std::to_string(s.port));
  EXPECT_TRUE(s.note.empty());
  if (HasIpv6Loopback()) {
    EXPECT_FALSE(LoopbackSocket(s.port, AF_INET6).ok());
  }
  ::close(s.fd);
}

TEST(ListenSockets, WildcardSaysItServesBothStacks) {
  const auto opened = OpenListenSocket(":0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const ListenSocket& s = *opened;
  if (s.note.empty()) {
    EXPECT_EQ(s.bound, "[::]:" + std::to_string(s.port) + " (IPv6 and IPv4)");
  } else {
    EXPECT_EQ(s.bound, "0.0.0.0:" + std::to_string(s.port)) << s.note;  // a machine without IPv6
  }
  ::close(s.fd);
}

TEST(ListenSockets, BusyPortAndBadAddressFail) {
  const auto first = OpenListenSocket("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.error();
  const auto busy = OpenListenSocket("127.0.0.1:" + std::to_string(first->port));
  EXPECT_FALSE(busy.ok());
  EXPECT_EQ(busy.error(), "Address already in use");
  EXPECT_FALSE(OpenListenSocket(":" + std::to_string(first->port)).ok()) << "the wildcard shares IPv4";
  EXPECT_EQ(OpenListenSocket("9786").error(), "invalid address \"9786\" (want host:port or :port)");
  const std::string unresolved = OpenListenSocket("no-such-host.invalid:80").error();
  EXPECT_EQ(unresolved.rfind("cannot resolve no-such-host.invalid", 0), 0u) << unresolved;
  ::close(first->fd);
}

TEST(ListenSockets, HostNameIsResolved) {
  const auto opened = OpenListenSocket("localhost:0");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const ListenSocket& s = *opened;
  EXPECT_GT(s.port, 0);
  ::close(s.fd);
}

}  // namespace
}  // namespace gx
