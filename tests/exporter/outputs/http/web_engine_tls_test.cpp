// The web server with a WebPolicy's TLS context (what --web.config.file builds): curl and
// openssl s_client as clients, certificates generated here, basic auth over TLS, a client
// certificate when the context requires one, plain HTTP refused, and a new context (a
// reload) used by the next connection.
#include <gtest/gtest.h>

#include <boost/asio/ssl/context.hpp>

#include <mutex>

#include "exporter/outputs/http/http_server.h"
#include "exporter/outputs/http/tls_context.h"
#include "exporter/state/health_state.h"
#include "tests/exporter/sources/tls/test_pki.h"
#include "tests/exporter/util/loopback_socket.h"

namespace gx {
namespace {

namespace pki = gx::testpki;
namespace ssl = boost::asio::ssl;

struct Pki {
  Pki() {
    ca = pki::MakeCert({"GX Test CA", "10", "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", true, {}, {}},
                       ca_key.get());
    server = Leaf("exporter-a", "11", leaf_key);
    other_server = Leaf("exporter-b", "12", leaf_key);
    client = Leaf("scraper", "13", client_key);
    ca_file = dir.Write("ca.pem", pki::Pem(ca.get()));
    client_cert_file = dir.Write("client.pem", pki::Pem(client.get()));
    client_key_file = dir.Write("client.key", pki::KeyPem(client_key.get()));
  }
  pki::CertPtr Leaf(const std::string& cn, const std::string& serial, const pki::KeyPtr& key) {
    return pki::MakeCert({cn, serial, "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", false, {"localhost"}, {"127.0.0.1"}},
                         key.get(), ca.get(), ca_key.get());
  }
  std::shared_ptr<ssl::context> Context(const pki::CertPtr& cert, bool require_client_cert = false) const {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_use_certificate(native, cert.get());
    SSL_CTX_use_PrivateKey(native, leaf_key.get());
    if (require_client_cert) {
      X509_STORE_add_cert(SSL_CTX_get_cert_store(native), ca.get());
      ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return ctx;
  }

  pki::TempDir dir;
  pki::KeyPtr ca_key = pki::NewKey(), leaf_key = pki::NewKey(), client_key = pki::NewKey();
  pki::CertPtr ca, server, other_server, client;
  std::string ca_file, client_cert_file, client_key_file;
};

class WebEngineTls : public ::testing::Test {
 protected:
  void Start(WebPolicy first) {
    Set(std::move(first));
    HttpServerOptions options;
    options.health = &health_;
    options.policy = [this] {
      std::lock_guard lock(mu_);
      return policy_;
    };
    HttpHandlers h;
    h.metrics = [](bool) { return EncodedBody{"genesys_up 1\n"}; };
    h.landing_page = [] { return std::string(); };
    h.ready = [] { return true; };
    h.dashboard = [](const QueryParams&) { return WebResponse{}; };
    server_ = std::make_unique<HttpServer>("/metrics", h, options);
    const Status started = server_->Start({"127.0.0.1:0"});
    ASSERT_TRUE(started.ok()) << started.error();
    url_ = "https://127.0.0.1:" + std::to_string(server_->ports()[0]);
  }
  void Set(WebPolicy p) {
    std::lock_guard lock(mu_);
    policy_ = std::make_shared<const WebPolicy>(std::move(p));
  }
  // curl's answer: "<status> <body>", or "curl failed" with its exit code.
  std::string Curl(const std::string& args) const {
    return pki::RunCommand("curl -sS --max-time 10 --cacert " + pki_.ca_file + " " + args +
                           " -w ' %{http_code}' 2>&1 || echo ' curl failed'");
  }
  std::string SClient(const std::string& args = "") const {
    return pki::RunCommand("echo | timeout 10 openssl s_client -connect 127.0.0.1:" +
                           std::to_string(server_->ports()[0]) + " -CAfile " + pki_.ca_file + " " + args + " 2>&1");
  }
  std::uint64_t Closed(const std::string& reason) const {
    return health_.Read([&](const HealthData& d) {
      auto it = d.web.closed.find(reason);
      return it == d.web.closed.end() ? std::uint64_t{0} : it->second;
    });
  }

  Pki pki_;
  HealthState health_;
  std::mutex mu_;
  std::shared_ptr<const WebPolicy> policy_;
  std::unique_ptr<HttpServer> server_;
  std::string url_;
};

TEST_F(WebEngineTls, CurlScrapesOverTls) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server);
  Start(p);
  EXPECT_EQ(Curl(url_ + "/metrics"), "genesys_up 1\n 200");
  const std::string s_client = SClient();
  EXPECT_NE(s_client.find("CN = exporter-a"), std::string::npos) << s_client;
  EXPECT_NE(s_client.find("Verify return code: 0 (ok)"), std::string::npos) << s_client;
}

TEST_F(WebEngineTls, BasicAuthOverTls) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server);
  p.authorize = [](std::string_view authorization) { return authorization == "Basic dXNlcjpwYXNz"; };
  Start(p);
  EXPECT_EQ(Curl(url_ + "/metrics"), "Unauthorized\n 401");
  EXPECT_EQ(Curl("-u user:wrong " + url_ + "/metrics"), "Unauthorized\n 401");
  EXPECT_EQ(Curl("-u user:pass " + url_ + "/metrics"), "genesys_up 1\n 200");
  const std::string headers = Curl("-o /dev/null -D - " + url_ + "/dashboard");
  EXPECT_NE(headers.find("WWW-Authenticate: Basic realm=\"genesys_exporter\""), std::string::npos) << headers;
}

TEST_F(WebEngineTls, PlainHttpOnTheTlsPortIsRefused) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server);
  Start(p);
  gx::testing::LoopbackSocket plain(server_->ports()[0]);
  plain.Send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string answer = plain.ReadResponse();
  EXPECT_EQ(answer.find("genesys_up"), std::string::npos) << answer;
  EXPECT_TRUE(plain.WaitClosed());
  EXPECT_TRUE(pki::WaitFor([&] { return Closed("tls_handshake") == 1; }));
  EXPECT_EQ(Curl(url_ + "/metrics"), "genesys_up 1\n 200") << "the server goes on serving TLS";
}

TEST_F(WebEngineTls, ClientCertificateWhenTheContextRequiresIt) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server, /*require_client_cert=*/true);
  Start(p);
  EXPECT_NE(Curl(url_ + "/metrics").find("curl failed"), std::string::npos);
  EXPECT_EQ(Curl("--cert " + pki_.client_cert_file + " --key " + pki_.client_key_file + " " + url_ + "/metrics"),
            "genesys_up 1\n 200");
}

TEST_F(WebEngineTls, TheNextConnectionUsesANewContext) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server);
  Start(p);
  EXPECT_NE(SClient().find("CN = exporter-a"), std::string::npos);
  WebPolicy reloaded;
  reloaded.tls = pki_.Context(pki_.other_server);
  Set(reloaded);
  const std::string s_client = SClient();
  EXPECT_NE(s_client.find("CN = exporter-b"), std::string::npos) << s_client;
}

TEST_F(WebEngineTls, TlsFixedAtStartAndAPolicyWithoutContextRefusesConnections) {
  WebPolicy p;
  p.tls = pki_.Context(pki_.server);
  Start(p);
  Set(WebPolicy{});  // a reload that lost the TLS context must not fall back to plain HTTP
  gx::testing::LoopbackSocket plain(server_->ports()[0]);
  plain.Send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(plain.ReadResponse().find("genesys_up"), std::string::npos);
  EXPECT_TRUE(plain.WaitClosed());
}

// The context --web.config.file builds, with no cipher_suites, against openssl s_client: an RSA
// key exchange (CBC) suite is refused at TLS 1.2, an ECDHE AEAD one is taken.
TEST_F(WebEngineTls, DefaultCipherSuitesRefuseRsaKeyExchange) {
  pki::KeyPtr rsa_key = pki::NewRsaKey();
  pki::CertPtr rsa = pki::MakeCert({"exporter-rsa", "21", "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", false,
                                    {"localhost"}, {"127.0.0.1"}},
                                   rsa_key.get(), pki_.ca.get(), pki_.ca_key.get());
  TlsServerConfig c;
  c.cert_file = pki_.dir.Write("rsa.crt", pki::Pem(rsa.get()));
  c.key_file = pki_.dir.Write("rsa.key", pki::KeyPem(rsa_key.get()));
  auto made = MakeServerTlsContext(c, "web.yml");
  ASSERT_TRUE(made.ok()) << made.error();
  WebPolicy p;
  p.tls = std::move(made).value();
  Start(p);
  const std::string refused = SClient("-tls1_2 -cipher AES128-SHA");
  EXPECT_NE(refused.find("Cipher is (NONE)"), std::string::npos) << refused;
  EXPECT_NE(refused.find("handshake failure"), std::string::npos) << refused;
  const std::string taken = SClient("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_NE(taken.find("Cipher is ECDHE-RSA-AES128-GCM-SHA256"), std::string::npos) << taken;
  EXPECT_NE(taken.find("Verify return code: 0 (ok)"), std::string::npos) << taken;
}

}  // namespace
}  // namespace gx
