// The SIP OPTIONS exchange on its own: a TLS connection to a loopback TestServer is
// set up with the deadline socket layer, then PingSipOptions runs against scripted peers.
#include "exporter/sources/tls/sip_ping.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include <openssl/ssl.h>

#include "exporter/sources/tls/sip_options.h"
#include "tests/exporter/sources/tls/test_pki.h"

namespace gx::tls {
namespace {

using namespace std::chrono_literals;
using namespace gx::testpki;

struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};

class SipPingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = NewKey();
    cert_ = MakeCert({"sip.test.example", "51", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z", false,
                      {"sip.test.example"}, {}},
                     key_.get());
  }
  static void TearDownTestSuite() {
    cert_.reset();
    key_.reset();
  }

  // Starts a server with `options` (leaf and key filled in) and completes a TLS handshake to it.
  void ConnectTo(TestServer::Options options) {
    options.leaf = cert_;
    options.key = key_;
    server_ = std::make_unique<TestServer>(std::move(options));
    IoError error;
    fd_ = Connect(Resolve("127.0.0.1", server_->port(), Within(5s), error), Within(5s), error);
    ASSERT_GE(fd_.get(), 0) << error.message;
    ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_NONE, nullptr);  // the certificate is not what is tested here
    ssl_.reset(SSL_new(ctx_.get()));
    SSL_set_fd(ssl_.get(), fd_.get());
    SSL* s = ssl_.get();
    ASSERT_GT(DriveSsl(s, fd_.get(), [s] { return SSL_connect(s); }, Within(5s), "handshake", error), 0)
        << error.message;
  }

  SipOptionsResult Ping(std::chrono::milliseconds timeout, const std::atomic<bool>* cancel = nullptr) {
    return PingSipOptions(ssl_.get(), fd_.get(), "127.0.0.1", server_->port(), Within(timeout, cancel), cancelled_);
  }

  static WaitLimit Within(std::chrono::milliseconds d, const std::atomic<bool>* cancel = nullptr) {
    return {std::chrono::steady_clock::now() + d, cancel};
  }

  static inline KeyPtr key_;
  static inline CertPtr cert_;
  SigpipeGuard sigpipe_;
  std::unique_ptr<TestServer> server_;
  Fd fd_;
  std::unique_ptr<SSL_CTX, CtxFree> ctx_;
  std::unique_ptr<SSL, SslFree> ssl_;
  bool cancelled_ = true;  // PingSipOptions must set it either way
};

TEST_F(SipPingTest, AFinalAnswerAfterAProvisionalOne) {
  TestServer::Options o;
  o.sip_response = "SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  ConnectTo(o);
  SipOptionsResult r = Ping(5s);
  EXPECT_TRUE(r.attempted);
  EXPECT_EQ(r.status_code, 200) << r.error;
  EXPECT_EQ(r.failure, "");
  EXPECT_GE(r.rtt_seconds, 0);
  EXPECT_FALSE(cancelled_);
  auto requests = server_->sip_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("OPTIONS sip:127.0.0.1:" + std::to_string(server_->port()) + " SIP/2.0\r\n", 0), 0u);
}

TEST_F(SipPingTest, ASilentPeerIsATimeout) {
  TestServer::Options o;
  o.sip_peer = [](SSL*, const std::atomic<bool>& stop) { WaitFor([&] { return stop.load(); }); };
  ConnectTo(o);
  SipOptionsResult r = Ping(200ms);
  EXPECT_FALSE(r.status_code.has_value());
  EXPECT_EQ(r.failure, kSipTimeout);
  EXPECT_EQ(r.error, "sip response timeout");
  EXPECT_FALSE(cancelled_);
}

TEST_F(SipPingTest, ACancelIsReportedAsSuch) {
  TestServer::Options o;
  o.sip_peer = [](SSL*, const std::atomic<bool>& stop) { WaitFor([&] { return stop.load(); }); };
  ConnectTo(o);
  std::atomic<bool> cancel{true};
  SipOptionsResult r = Ping(5s, &cancel);
  EXPECT_FALSE(r.status_code.has_value());
  EXPECT_EQ(r.failure, kSipConnection);
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_TRUE(cancelled_);
}

TEST_F(SipPingTest, APeerThatClosesMidAnswerIsAConnectionFailure) {
  TestServer::Options o;
  o.sip_peer = [](SSL* ssl, const std::atomic<bool>&) { SSL_write(ssl, "SIP/2.0 200 OK\r\nCon", 19); };
  ConnectTo(o);
  SipOptionsResult r = Ping(5s);
  EXPECT_EQ(r.failure, kSipConnection);
  EXPECT_EQ(r.error, "connection closed during sip response");
  EXPECT_FALSE(cancelled_);
}

TEST_F(SipPingTest, BytesThatAreNotSipAreMalformed) {
  TestServer::Options o;
  o.sip_response = "HTTP/1.1 400 Bad Request\r\n\r\n";
  ConnectTo(o);
  SipOptionsResult r = Ping(5s);
  EXPECT_EQ(r.failure, kSipMalformed);
  EXPECT_EQ(r.error, "invalid sip response: not a SIP status line");
}

TEST_F(SipPingTest, AByteTricklingPeerIsCutOffAfterTheReadLimit) {
  TestServer::Options o;
  // One byte per read, never a complete status line: the read bound ends it, not the deadline.
  o.sip_peer = [](SSL* ssl, const std::atomic<bool>& stop) {
    const std::string line = "SIP/2.0 200 ";
    SSL_write(ssl, line.data(), static_cast<int>(line.size()));
    for (int i = 0; i < kMaxSipReads + 8 && !stop; ++i) {
      if (SSL_write(ssl, "a", 1) <= 0) return;
    }
  };
  ConnectTo(o);
  SipOptionsResult r = Ping(60s);
  EXPECT_FALSE(r.status_code.has_value());
  // SSL_read returns one record at a time, so each byte costs one read.
  EXPECT_EQ(r.failure, kSipLimit) << r.error;
  EXPECT_EQ(r.error, "invalid sip response: no final response in 1024 reads");
}

}  // namespace
}  // namespace gx::tls
