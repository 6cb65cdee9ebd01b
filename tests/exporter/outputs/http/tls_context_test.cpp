#include "exporter/outputs/http/tls_context.h"

#include <gtest/gtest.h>

#include <boost/asio/ssl/context.hpp>

#include "tests/exporter/outputs/http/web_test_pki.h"

namespace gx {
namespace {

using testing::WebPki;

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

struct ClientOptions {
  std::string cert_file, key_file;
  int min_version = 0, max_version = 0;
  std::string ciphers;       // TLS 1.2 and below
  std::string groups;
  bool old_protocols = false;  // security level 0, so that the client offers TLS 1.0/1.1
};

ClientOptions Versions(int min, int max, bool old_protocols = false) {
  ClientOptions o;
  o.min_version = min;
  o.max_version = max;
  o.old_protocols = old_protocols;
  return o;
}

ClientOptions WithCert(const std::string& cert, const std::string& key, int max = 0) {
  ClientOptions o;
  o.cert_file = cert;
  o.key_file = key;
  o.max_version = max;
  return o;
}

// A client that trusts the test CA for the server's certificate.
CtxPtr Client(const WebPki& pki, const ClientOptions& o = {}) {
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), pki.ca.get());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!o.cert_file.empty()) {
    EXPECT_EQ(SSL_CTX_use_certificate_file(ctx.get(), o.cert_file.c_str(), SSL_FILETYPE_PEM), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx.get(), o.key_file.c_str(), SSL_FILETYPE_PEM), 1);
  }
  if (o.old_protocols) SSL_CTX_set_security_level(ctx.get(), 0);
  if (o.min_version) SSL_CTX_set_min_proto_version(ctx.get(), o.min_version);
  if (o.max_version) SSL_CTX_set_max_proto_version(ctx.get(), o.max_version);
  if (!o.ciphers.empty()) {
    EXPECT_EQ(SSL_CTX_set_cipher_list(ctx.get(), o.ciphers.c_str()), 1);
  }
  if (!o.groups.empty()) {
    EXPECT_EQ(SSL_CTX_set1_groups_list(ctx.get(), o.groups.c_str()), 1);
  }
  return ctx;
}

struct Handshake {
  bool ok = false;
  std::string version;  // "TLSv1.3"
  std::string cipher;   // OpenSSL's name
  std::string server_error;
};

// A full handshake between the two contexts over a memory BIO pair, both ends in this thread.
Handshake Shake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  SSL* server = SSL_new(server_ctx);
  SSL* client = SSL_new(client_ctx);
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_accept_state(server);
  SSL_set_connect_state(client);
  SSL_set_tlsext_host_name(client, "localhost");
  SSL_set1_host(client, "localhost");
  Handshake h;
  bool client_done = false, server_done = false, failed = false;
  for (int round = 0; round < 50 && !failed && !(client_done && server_done); ++round) {
    if (!client_done) {
      const int rc = SSL_do_handshake(client);
      client_done = rc == 1;
      const int e = SSL_get_error(client, rc);
      if (rc != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) failed = true;
    }
    if (!server_done) {
      const int rs = SSL_do_handshake(server);
      server_done = rs == 1;
      const int e = SSL_get_error(server, rs);
      if (rs != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        failed = true;
        const unsigned long code = ERR_peek_last_error();
        h.server_error = code ? ERR_reason_error_string(code) : "no reason";
      }
    }
  }
  // TLS 1.3: the client finishes before the server has checked its certificate; a read makes
  // the client see the server's verdict.
  if (!failed && client_done && server_done) {
    char byte;
    SSL_write(server, "x", 1);
    failed = SSL_read(client, &byte, 1) != 1;
  }
  h.ok = !failed && client_done && server_done;
  if (h.ok) {
    h.version = SSL_get_version(server);
    h.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(server));
  }
  ERR_clear_error();
  SSL_free(server);
  SSL_free(client);
  return h;
}

TlsServerConfig Server(const WebPki& pki) {
  TlsServerConfig c;
  c.cert_file = pki.server_cert_file;
  c.key_file = pki.server_key_file;
  return c;
}

std::shared_ptr<boost::asio::ssl::context> Make(const TlsServerConfig& c) {
  auto made = MakeServerTlsContext(c, "web.yml");
  EXPECT_TRUE(made.ok()) << made.error();
  return made.value_or(nullptr);
}

TEST(TlsContext, EveryGoCipherNameHasAnOpenSslName) {
  for (const char* name : {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                           "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                           "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                           "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                           "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                           "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                           "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}) {
    EXPECT_TRUE(IsKnownCipherSuite(name)) << name;
    EXPECT_NE(OpenSslCipherName(name), "(NONE)") << name;
  }
  EXPECT_EQ(OpenSslCipherName("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(OpenSslCipherName("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), "ECDHE-RSA-CHACHA20-POLY1305");
  // Go's insecure list (tls.InsecureCipherSuites) is not accepted, as in exporter-toolkit.
  EXPECT_FALSE(IsKnownCipherSuite("TLS_RSA_WITH_AES_128_CBC_SHA"));
  EXPECT_FALSE(IsKnownCipherSuite("TLS_ECDHE_RSA_WITH_RC4_128_SHA"));
  for (const char* curve : {"CurveP256", "CurveP384", "CurveP521", "X25519"}) EXPECT_TRUE(IsKnownCurve(curve));
  EXPECT_FALSE(IsKnownCurve("P-256"));
}

TEST(TlsContext, ServesTls13AndTls12ByDefault) {
  WebPki pki;
  auto ctx = Make(Server(pki));
  ASSERT_TRUE(ctx);
  EXPECT_EQ(Shake(ctx->native_handle(), Client(pki).get()).version, "TLSv1.3");
  auto tls12 = Shake(ctx->native_handle(), Client(pki, Versions(0, TLS1_2_VERSION)).get());
  EXPECT_TRUE(tls12.ok);
  EXPECT_EQ(tls12.version, "TLSv1.2");
}

TEST(TlsContext, RefusesTls11AndTls10ByDefault) {
  WebPki pki;
  auto ctx = Make(Server(pki));
  ASSERT_TRUE(ctx);
  for (int version : {TLS1_1_VERSION, TLS1_VERSION}) {
    auto h = Shake(ctx->native_handle(),
                 Client(pki, Versions(version, version, true)).get());
    EXPECT_FALSE(h.ok) << version;
    EXPECT_EQ(h.server_error, "unsupported protocol");
  }
}

TEST(TlsContext, MinVersionTls10ServesTls10AsGoDoes) {
  WebPki pki;
  TlsServerConfig c = Server(pki);
  c.min_version = TlsVersion::kTls10;
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  auto h = Shake(ctx->native_handle(),
               Client(pki, Versions(TLS1_VERSION, TLS1_VERSION, true)).get());
  EXPECT_TRUE(h.ok) << h.server_error;
  EXPECT_EQ(h.version, "TLSv1");
}

TEST(TlsContext, MaxVersionTls12RefusesATls13OnlyClient) {
  WebPki pki;
  TlsServerConfig c = Server(pki);
  c.max_version = TlsVersion::kTls12;
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(Shake(ctx->native_handle(), Client(pki).get()).version, "TLSv1.2");
  EXPECT_FALSE(Shake(ctx->native_handle(), Client(pki, Versions(TLS1_3_VERSION, 0)).get()).ok);
}

TEST(TlsContext, RequireAndVerifyClientCert) {
  WebPki pki;
  TlsServerConfig c = Server(pki);
  c.client_auth_type = ClientAuthType::kRequireAndVerifyClientCert;
  c.client_ca_file = pki.ca_file;
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  for (int max : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    auto none = Shake(ctx->native_handle(), Client(pki, Versions(0, max)).get());
    EXPECT_FALSE(none.ok);
    EXPECT_EQ(none.server_error, "peer did not return a certificate");
    auto stranger = Shake(ctx->native_handle(), Client(pki, WithCert(pki.stranger_cert_file, pki.stranger_key_file, max))
                                                  .get());
    EXPECT_FALSE(stranger.ok);
    EXPECT_EQ(stranger.server_error, "certificate verify failed");
    auto client = Shake(ctx->native_handle(),
                      Client(pki, WithCert(pki.client_cert_file, pki.client_key_file, max))
                          .get());
    EXPECT_TRUE(client.ok) << client.server_error;
  }
}

TEST(TlsContext, TheOtherClientAuthTypes) {
  WebPki pki;
  const ClientOptions none;
  const ClientOptions stranger = WithCert(pki.stranger_cert_file, pki.stranger_key_file);
  const ClientOptions client = WithCert(pki.client_cert_file, pki.client_key_file);
  struct Case {
    ClientAuthType type;
    bool none, stranger, client;
  };
  for (const Case& k : {Case{ClientAuthType::kNoClientCert, true, true, true},
                        Case{ClientAuthType::kRequestClientCert, true, true, true},
                        Case{ClientAuthType::kRequireAnyClientCert, false, true, true},
                        Case{ClientAuthType::kVerifyClientCertIfGiven, true, false, true}}) {
    TlsServerConfig c = Server(pki);
    c.client_auth_type = k.type;
    if (k.type != ClientAuthType::kNoClientCert) c.client_ca_file = pki.ca_file;
    auto ctx = Make(c);
    ASSERT_TRUE(ctx);
    EXPECT_EQ(Shake(ctx->native_handle(), Client(pki, none).get()).ok, k.none) << static_cast<int>(k.type);
    EXPECT_EQ(Shake(ctx->native_handle(), Client(pki, stranger).get()).ok, k.stranger) << static_cast<int>(k.type);
    EXPECT_EQ(Shake(ctx->native_handle(), Client(pki, client).get()).ok, k.client) << static_cast<int>(k.type);
  }
}

TEST(TlsContext, ClientAllowedSansMatchesOneSanExactly) {
  WebPki pki;
  const ClientOptions client = WithCert(pki.client_cert_file, pki.client_key_file);
  for (const auto& [sans, ok] : std::vector<std::pair<std::vector<std::string>, bool>>{
           {{"other.example", "scraper.example"}, true},
           {{"10.0.0.7"}, true},
           {{"SCRAPER.example"}, false},
           {{"example"}, false},
           {{"scraper"}, false},  // the CN is not a SAN
       }) {
    TlsServerConfig c = Server(pki);
    c.client_auth_type = ClientAuthType::kRequireAndVerifyClientCert;
    c.client_ca_file = pki.ca_file;
    c.client_allowed_sans = sans;
    auto ctx = Make(c);
    ASSERT_TRUE(ctx);
    EXPECT_EQ(Shake(ctx->native_handle(), Client(pki, client).get()).ok, ok) << sans[0];
  }
}

TEST(TlsContext, CipherSuitesAndCurvesAreThoseConfigured) {
  WebPki pki;
  TlsServerConfig c = Server(pki);
  c.cipher_suites = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"};
  c.curve_preferences = {"CurveP384"};
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  auto tls12 = Shake(ctx->native_handle(), Client(pki, Versions(0, TLS1_2_VERSION)).get());
  EXPECT_EQ(tls12.cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
  EXPECT_EQ(Shake(ctx->native_handle(), Client(pki).get()).cipher, "TLS_AES_256_GCM_SHA384");
  // A client without the one TLS 1.2 suite, or without the curve, gets no handshake.
  ClientOptions other_cipher = Versions(0, TLS1_2_VERSION);
  other_cipher.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  EXPECT_FALSE(Shake(ctx->native_handle(), Client(pki, other_cipher).get()).ok);
  ClientOptions other_curves;
  other_curves.groups = "X25519:P-256";
  EXPECT_FALSE(Shake(ctx->native_handle(), Client(pki, other_curves).get()).ok);
}

// With no cipher_suites: TLS 1.2 offers ECDHE AEAD suites only (not OpenSSL's DEFAULT, which has
// RSA key exchange and CBC), and the security level is the system's unless TLS 1.0/1.1 is asked.
TEST(TlsContext, DefaultCiphersAreForwardSecretAeadAndTheSecurityLevelStays) {
  WebPki pki;
  // An RSA certificate: with the ECDSA one, no RSA key exchange suite could be chosen anyway.
  testpki::KeyPtr rsa_key = testpki::NewRsaKey();
  testpki::CertPtr rsa = testpki::MakeCert(WebPki::Spec("localhost", "21", false, {"localhost"}, {"127.0.0.1"}),
                                           rsa_key.get(), pki.ca.get(), pki.ca_key.get());
  TlsServerConfig c;
  c.cert_file = pki.dir.Write("rsa.crt", testpki::Pem(rsa.get()));
  c.key_file = pki.dir.Write("rsa.key", testpki::KeyPem(rsa_key.get()));
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  for (const char* refused : {"AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384",
                              "DHE-RSA-AES128-GCM-SHA256"}) {
    ClientOptions o = Versions(0, TLS1_2_VERSION);
    o.ciphers = refused;
    EXPECT_FALSE(Shake(ctx->native_handle(), Client(pki, o).get()).ok) << refused;
  }
  for (const char* taken :
       {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    ClientOptions o = Versions(0, TLS1_2_VERSION);
    o.ciphers = taken;
    EXPECT_EQ(Shake(ctx->native_handle(), Client(pki, o).get()).cipher, taken);
  }
  EXPECT_EQ(Shake(ctx->native_handle(), Client(pki).get()).version, "TLSv1.3");
  CtxPtr system(SSL_CTX_new(TLS_server_method()));
  EXPECT_EQ(SSL_CTX_get_security_level(ctx->native_handle()), SSL_CTX_get_security_level(system.get()));
  EXPECT_GE(SSL_CTX_get_security_level(ctx->native_handle()), 1);
  c.min_version = TlsVersion::kTls12;
  c.max_version = TlsVersion::kTls12;
  EXPECT_EQ(SSL_CTX_get_security_level(Make(c)->native_handle()), SSL_CTX_get_security_level(system.get()));
  // Asked for TLS 1.0: level 0 (old clients sign with SHA-1), and Go's ECDHE CBC-SHA suites
  // (TLS 1.0 has no AEAD suite), still no RSA key exchange.
  c.min_version = TlsVersion::kTls10;
  auto old = Make(c);
  ASSERT_TRUE(old);
  EXPECT_EQ(SSL_CTX_get_security_level(old->native_handle()), 0);
  ClientOptions rsa_kex = Versions(0, TLS1_2_VERSION, /*old_protocols=*/true);
  rsa_kex.ciphers = "AES128-SHA";
  EXPECT_FALSE(Shake(old->native_handle(), Client(pki, rsa_kex).get()).ok);
  ClientOptions tls10 = Versions(TLS1_VERSION, TLS1_VERSION, /*old_protocols=*/true);
  EXPECT_EQ(Shake(old->native_handle(), Client(pki, tls10).get()).cipher, "ECDHE-RSA-AES128-SHA");
}

TEST(TlsContext, InlinePemWorksAsFilesDo) {
  WebPki pki;
  TlsServerConfig c;
  c.cert = testpki::Pem(pki.server.get()) + testpki::Pem(pki.ca.get());  // a chain
  c.key = testpki::KeyPem(pki.server_key.get());
  c.client_auth_type = ClientAuthType::kRequireAndVerifyClientCert;
  c.client_ca = testpki::Pem(pki.ca.get());
  auto ctx = Make(c);
  ASSERT_TRUE(ctx);
  EXPECT_TRUE(Shake(ctx->native_handle(),
                  Client(pki, WithCert(pki.client_cert_file, pki.client_key_file)).get())
                  .ok);
}

struct ErrorCase {
  std::string name;
  std::function<void(const WebPki&, TlsServerConfig&)> edit;
  std::string key;
  std::string message;  // "$DIR" is the PKI's folder
};

TEST(TlsContext, EachFaultNamesItsKey) {
  WebPki pki;
  const std::string dir = pki.dir.path().string();
  const std::string garbage = pki.dir.Write("garbage.pem", "not PEM at all\n");
  const std::string encrypted = pki.dir.Write("encrypted.key", [&] {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(bio, pki.server_key.get(), EVP_aes_128_cbc(), nullptr, 0, nullptr,
                                  const_cast<char*>("pass"));
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
  }());
  const std::vector<ErrorCase> cases = {
      {"missing cert", [](const WebPki& p, TlsServerConfig& c) { c.cert_file = p.dir.path().string() + "/nope.crt"; },
       "cert_file", "cannot read $DIR/nope.crt: No such file or directory"},
      {"garbage cert", [&](const WebPki&, TlsServerConfig& c) { c.cert_file = garbage; }, "cert_file",
       "no PEM certificate found"},
      {"inline garbage", [](const WebPki&, TlsServerConfig& c) { c.cert_file.clear(), c.cert = "junk"; }, "cert",
       "no PEM certificate found"},
      {"missing key", [](const WebPki& p, TlsServerConfig& c) { c.key_file = p.dir.path().string() + "/nope.key"; },
       "key_file", "cannot read $DIR/nope.key: No such file or directory"},
      {"key is a certificate", [](const WebPki& p, TlsServerConfig& c) { c.key_file = p.server_cert_file; },
       "key_file", "no PEM private key found"},
      {"encrypted key", [&](const WebPki&, TlsServerConfig& c) { c.key_file = encrypted; }, "key_file",
       "the private key is encrypted (pass phrases are not supported: decrypt it with openssl pkey)"},
      {"key of another certificate", [](const WebPki& p, TlsServerConfig& c) { c.key_file = p.client_key_file; },
       "key_file", "the private key does not match the certificate (key values mismatch)"},
      {"empty client CA",
       [&](const WebPki& p, TlsServerConfig& c) {
         c.client_auth_type = ClientAuthType::kRequireAndVerifyClientCert;
         c.client_ca_file = p.dir.Write("empty-ca.pem", "");
       },
       "client_ca_file", "no PEM certificate found"},
      {"device as a cert", [](const WebPki&, TlsServerConfig& c) { c.cert_file = "/dev/zero"; }, "cert_file",
       "cannot read /dev/zero: not a regular file"},
  };
  for (const ErrorCase& k : cases) {
    TlsServerConfig c = Server(pki);
    k.edit(pki, c);
    const auto made = MakeServerTlsContext(c, "web.yml");
    EXPECT_FALSE(made.ok()) << k.name;
    std::string message = k.message;
    if (auto at = message.find("$DIR"); at != std::string::npos) message.replace(at, 4, dir);
    EXPECT_EQ(made.error(), "web.yml: tls_server_config." + k.key + ": " + message) << k.name;
  }
}

// An error names the line that wrote its key, when the parser located it.
TEST(TlsContext, AFaultIsAtTheLineOfItsKey) {
  WebPki pki;
  TlsServerConfig c = Server(pki);
  c.cert_file = pki.dir.path().string() + "/nope.crt";
  c.where = {{"cert_file", "web.yml:3"}, {"key_file", "web.yml:4"}};
  const auto made = MakeServerTlsContext(c, "web.yml");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error(), "web.yml:3: tls_server_config.cert_file: cannot read " + pki.dir.path().string() +
                              "/nope.crt: No such file or directory");
}

}  // namespace
}  // namespace gx
