// The simulator's carrier SIP-TLS listeners: each certificate case verifies (or fails) as its
// name says against the CA bundle with hostname 127.0.0.1, and OPTIONS gets "SIP/2.0 200 OK".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

struct ProbeResult {
  bool handshake = false;
  long verify = -1;
  int chain_length = 0;
  std::string reply;
};

ProbeResult Probe(const std::string& address, const std::string& ca, const std::string& send) {
  ProbeResult out;
  auto colon = address.rfind(':');
  int port = std::stoi(address.substr(colon + 1));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  // Verify after the handshake so that failing cases still complete it and report why.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set1_host(ssl, "127.0.0.1");
  if (SSL_connect(ssl) == 1) {
    out.handshake = true;
    out.verify = SSL_get_verify_result(ssl);
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) out.chain_length = sk_X509_num(chain);
    if (!send.empty()) {
      SSL_write(ssl, send.data(), static_cast<int>(send.size()));
      char buf[2048];
      int n = SSL_read(ssl, buf, sizeof buf);
      if (n > 0) out.reply.assign(buf, static_cast<size_t>(n));
    }
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return out;
}

class TlsListenersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<Simulator>(testing::SmallScenario());
    ASSERT_TRUE(sim_->Start());
  }
  std::unique_ptr<Simulator> sim_;
};

TEST_F(TlsListenersTest, EachCaseVerifiesAsNamed) {
  auto endpoints = sim_->tls_endpoints();
  ASSERT_EQ(endpoints.size(), 6u);
  std::map<std::string, long> verify;
  for (const auto& e : endpoints) {
    auto r = Probe(e.address, sim_->ca_bundle_path(), "");
    ASSERT_TRUE(r.handshake) << e.name;
    verify[e.name] = r.verify;
    EXPECT_EQ(r.verify == X509_V_OK, e.expect_verified) << e.name << " " << X509_verify_cert_error_string(r.verify);
    if (e.name == "intermediate_expiring") {
      EXPECT_EQ(r.chain_length, 2);
    }
  }
  EXPECT_EQ(verify["expired"], X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_TRUE(verify["wrong_host"] == X509_V_ERR_HOSTNAME_MISMATCH || verify["wrong_host"] == X509_V_ERR_IP_ADDRESS_MISMATCH);
  EXPECT_TRUE(verify["self_signed"] == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
              verify["self_signed"] == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
}

TEST_F(TlsListenersTest, AnswersSipOptions) {
  auto e = sim_->tls_endpoints().front();
  std::string options =
      "OPTIONS sip:" + e.address + ";transport=tls SIP/2.0\r\n"
      "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK776asdhds\r\n"
      "From: <sip:probe@127.0.0.1>;tag=1928301774\r\nTo: <sip:" + e.address + ">\r\n"
      "Call-ID: a84b4c76e66710@127.0.0.1\r\nCSeq: 63104 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  auto r = Probe(e.address, sim_->ca_bundle_path(), options);
  ASSERT_TRUE(r.handshake);
  EXPECT_EQ(r.reply.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << r.reply;
  EXPECT_NE(r.reply.find("Call-ID: a84b4c76e66710@127.0.0.1"), std::string::npos);
  EXPECT_NE(r.reply.find("CSeq: 63104 OPTIONS"), std::string::npos);
}

TEST_F(TlsListenersTest, TlsTrunksListTheListeners) {
  auto truth = sim_->GetTruth();
  std::set<std::string> addresses;
  for (const auto& e : sim_->tls_endpoints()) addresses.insert(e.address);
  std::set<std::string> cases;
  for (const auto& t : truth.trunks) {
    if (t.tls_case.empty()) continue;
    cases.insert(t.tls_case);
    EXPECT_EQ(t.protocol, "tls");
    for (const auto& p : t.proxies) EXPECT_TRUE(addresses.count(p.address)) << p.address;
  }
  EXPECT_EQ(cases.size(), 6u);
}

}  // namespace
}  // namespace gx::sim
