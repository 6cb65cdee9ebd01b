// The deadline socket layer on loopback sockets and socket pairs: every way a step
// ends (ready, timeout, cancelled, error) comes back typed, with the message the
// probe reports.
#include "exporter/sources/tls/deadline_socket.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include <openssl/ssl.h>

#include "tests/exporter/sources/tls/test_pki.h"

namespace gx::tls {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

WaitLimit Within(std::chrono::milliseconds d, const std::atomic<bool>* cancel = nullptr) {
  return {SteadyClock::now() + d, cancel};
}

// Both ends of a connected stream socket pair.
struct Pair {
  Pair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
    a = Fd(fds[0]);
    b = Fd(fds[1]);
  }
  Fd a, b;
};

int Port(const Address& a) { return ntohs(reinterpret_cast<const sockaddr_in*>(&a.addr)->sin_port); }

TEST(DeadlineSocketTest, IpLiterals) {
  EXPECT_TRUE(IsIpLiteral("127.0.0.1"));
  EXPECT_TRUE(IsIpLiteral("::1"));
  EXPECT_FALSE(IsIpLiteral("sip.example.com"));
  EXPECT_FALSE(IsIpLiteral(""));
  EXPECT_FALSE(IsIpLiteral("127.0.0.1:5061"));
}

TEST(DeadlineSocketTest, AnIpLiteralResolvesWithoutALookup) {
  IoError error;
  auto v4 = Resolve("127.0.0.1", 5061, Within(1s), error);
  ASSERT_EQ(v4.size(), 1u) << error.message;
  EXPECT_EQ(v4[0].family, AF_INET);
  EXPECT_EQ(Port(v4[0]), 5061);
  auto v6 = Resolve("::1", 5061, Within(1s), error);
  ASSERT_EQ(v6.size(), 1u) << error.message;
  EXPECT_EQ(v6[0].family, AF_INET6);
  EXPECT_EQ(error.kind, IoFailure::kNone);
}

TEST(DeadlineSocketTest, AnAddressIsConnectedAndARefusalIsAnError) {
  testpki::TestServer::Options silent;
  silent.mode = testpki::TestServer::Mode::kSilent;
  testpki::TestServer server(silent);
  IoError error;
  Fd fd = Connect(Resolve("127.0.0.1", server.port(), Within(1s), error), Within(5s), error);
  EXPECT_GE(fd.get(), 0) << error.message;
  EXPECT_EQ(error.kind, IoFailure::kNone);

  Fd refused = Connect(Resolve("127.0.0.1", testpki::RefusedPort(), Within(1s), error), Within(5s), error);
  EXPECT_LT(refused.get(), 0);
  EXPECT_EQ(error.kind, IoFailure::kError);
  EXPECT_EQ(error.message, "connection refused");

  Fd none = Connect({}, Within(5s), error);
  EXPECT_LT(none.get(), 0);
  EXPECT_EQ(error.kind, IoFailure::kError);
  EXPECT_EQ(error.message, "no address to connect to");
}

TEST(DeadlineSocketTest, WaitingEndsReadyTimedOutOrCancelled) {
  Pair p;
  EXPECT_EQ(WaitFd(p.a.get(), POLLIN, Within(0ms)), IoFailure::kTimeout);
  EXPECT_EQ(WaitFd(p.a.get(), POLLIN, Within(20ms)), IoFailure::kTimeout);
  std::atomic<bool> cancel{true};
  EXPECT_EQ(WaitFd(p.a.get(), POLLIN, Within(0ms, &cancel)), IoFailure::kCancelled);  // cancel first
  EXPECT_EQ(WaitFd(p.a.get(), POLLOUT, Within(1s)), IoFailure::kNone);
  ASSERT_EQ(::write(p.b.get(), "x", 1), 1);
  EXPECT_EQ(WaitFd(p.a.get(), POLLIN, Within(1s)), IoFailure::kNone);
}

class DriveSslTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = SSL_CTX_new(TLS_client_method());
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, pair_.a.get());
  }
  void TearDown() override {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  int Handshake(const WaitLimit& limit) {
    SSL* s = ssl_;
    return DriveSsl(s, pair_.a.get(), [s] { return SSL_connect(s); }, limit, "handshake", error_);
  }
  Pair pair_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  IoError error_;
};

TEST_F(DriveSslTest, ASilentPeerTimesOut) {
  EXPECT_EQ(Handshake(Within(50ms)), 0);
  EXPECT_EQ(error_.kind, IoFailure::kTimeout);
  EXPECT_EQ(error_.message, "handshake timeout");
}

TEST_F(DriveSslTest, ACancelIsNotATimeout) {
  std::atomic<bool> cancel{true};
  EXPECT_EQ(Handshake(Within(5s, &cancel)), 0);
  EXPECT_EQ(error_.kind, IoFailure::kCancelled);
  EXPECT_EQ(error_.message, "cancelled");
}

TEST_F(DriveSslTest, APeerThatClosesIsAnError) {
  pair_.b.Reset();
  SigpipeGuard guard;  // the ClientHello is written into a closed pair
  EXPECT_EQ(Handshake(Within(5s)), 0);
  EXPECT_EQ(error_.kind, IoFailure::kError);
  EXPECT_FALSE(error_.message.empty());
}

TEST_F(DriveSslTest, APeerThatIsNotTlsIsAnError) {
  const std::string http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  ASSERT_EQ(::write(pair_.b.get(), http.data(), http.size()), static_cast<ssize_t>(http.size()));
  EXPECT_EQ(Handshake(Within(5s)), 0);
  EXPECT_EQ(error_.kind, IoFailure::kError);
  EXPECT_FALSE(error_.message.empty());
  EXPECT_EQ(error_.message.find("timeout"), std::string::npos) << error_.message;
}

TEST(SigpipeGuardTest, AWriteToAClosedPeerDoesNotKillTheProcess) {
  Pair p;
  p.b.Reset();
  {
    SigpipeGuard guard;
    errno = 0;
    EXPECT_EQ(::write(p.a.get(), "x", 1), -1);
    EXPECT_EQ(errno, EPIPE);
  }
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);  // swallowed, not left for later
}

TEST(FdTest, MovesOwnership) {
  Pair p;
  const int raw = p.a.get();
  Fd moved(std::move(p.a));
  EXPECT_EQ(p.a.get(), -1);
  EXPECT_EQ(moved.get(), raw);
  Fd assigned;
  assigned = std::move(moved);
  EXPECT_EQ(moved.get(), -1);
  EXPECT_EQ(assigned.get(), raw);
  assigned.Reset();
  EXPECT_EQ(assigned.get(), -1);
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);  // closed
}

}  // namespace
}  // namespace gx::tls
