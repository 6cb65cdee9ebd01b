// The probe against loopback servers presenting certificates made at test time.
// Verification time is a fixed ManualClock (2026-06-01T00:00:00Z), so every date is exact.
#include "exporter/sources/tls/tls_probe.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "exporter/sources/tls/cert_facts.h"
#include "tests/exporter/sources/tls/test_pki.h"
#include "tests/exporter/util/finishes_within.h"

namespace gx::tls {
namespace {

using namespace gx::testpki;
using Server = TestServer;

constexpr const char* kNow = "2026-06-01T00:00:00Z";
constexpr const char* kHost = "sip.test.example";

UnixNanos Nanos(const char* iso) { return Utc(iso) * kNanosPerSecond; }

class TlsProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_key_ = NewKey();
    root_ = MakeCert({"GX Test Root CA", "01", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z", true, {}, {}},
                     root_key_.get());
    inter_key_ = NewKey();
    inter_ = MakeCert({"GX Test Intermediate CA", "1000", "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", true, {}, {}},
                      inter_key_.get(), root_.get(), root_key_.get());
  }
  static void TearDownTestSuite() {
    root_.reset();
    inter_.reset();
    root_key_.reset();
    inter_key_.reset();
  }

  void SetUp() override { ca_file_ = dir_.Write("root.pem", Pem(root_.get())); }

  // A leaf issued by the intermediate.
  CertPtr Leaf(const std::string& serial, const char* from, const char* to, std::vector<std::string> dns = {kHost},
               const CertPtr& issuer = nullptr, const KeyPtr& issuer_key = nullptr) {
    leaf_key_ = NewKey();
    return MakeCert({kHost, serial, from, to, false, std::move(dns), {}}, leaf_key_.get(),
                    issuer ? issuer.get() : inter_.get(), issuer_key ? issuer_key.get() : inter_key_.get());
  }

  Server::Options TlsOptions(CertPtr leaf, std::vector<CertPtr> chain) {
    Server::Options o;
    o.leaf = std::move(leaf);
    o.key = leaf_key_;
    o.chain = std::move(chain);
    return o;
  }

  TlsProbeResult Probe(int port, const std::string& host = "127.0.0.1", const std::string& server_name = kHost,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5), TlsProbeSettings settings = {}) {
    TlsTarget t;
    t.host = host;
    t.port = port;
    t.server_name = server_name;
    if (settings.ca_file.empty()) settings.ca_file = ca_file_;
    return ProbeTls(t, settings, std::chrono::steady_clock::now() + timeout, clock_);
  }

  // What `openssl s_client | openssl x509` says about the presented leaf: notAfter and serial.
  static std::string OpensslLeaf(int port) {
    return RunCommand("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -servername " + kHost +
                      " </dev/null 2>/dev/null | openssl x509 -noout -enddate -serial 2>/dev/null");
  }
  // The probe's leaf facts printed the way openssl prints them.
  static std::string AsOpenssl(const CertificateFacts& leaf) {
    char buf[64];
    std::time_t t = static_cast<std::time_t>(leaf.not_after / kNanosPerSecond);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof(buf), "%b %e %H:%M:%S %Y GMT", &tm);
    return std::string("notAfter=") + buf + "\nserial=" + leaf.serial + "\n";
  }

  static inline KeyPtr root_key_, inter_key_;
  static inline CertPtr root_, inter_;
  KeyPtr leaf_key_;
  TempDir dir_;
  std::string ca_file_;
  ManualClock clock_{Nanos(kNow)};
};

TEST_F(TlsProbeTest, ValidChain) {
  Server server(TlsOptions(Leaf("0A1B2C3D4E5F", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {inter_}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_TRUE(r.success) << r.error << " " << r.verify_result;
  EXPECT_TRUE(r.connected);
  EXPECT_TRUE(r.handshake_ok);
  EXPECT_TRUE(r.chain_verified);
  EXPECT_TRUE(r.hostname_verified);
  EXPECT_EQ(r.verify_result, "ok");
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.target, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.server_name, kHost);
  EXPECT_EQ(r.tls_version, "TLSv1.3");
  EXPECT_FALSE(r.cipher.empty());
  EXPECT_EQ(r.probed_at, Nanos(kNow));
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].position, 0);
  EXPECT_EQ(r.chain[0].serial, "0A1B2C3D4E5F");
  EXPECT_EQ(r.chain[0].subject_cn, kHost);
  EXPECT_EQ(r.chain[0].issuer_cn, "GX Test Intermediate CA");
  EXPECT_EQ(r.chain[0].not_before, Nanos("2026-05-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-05-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].dns_names, std::vector<std::string>{kHost});
  EXPECT_EQ(r.chain[1].position, 1);
  EXPECT_EQ(r.chain[1].serial, "1000");
  EXPECT_EQ(r.chain[1].subject_cn, "GX Test Intermediate CA");
  EXPECT_EQ(r.chain[1].issuer_cn, "GX Test Root CA");
  EXPECT_EQ(r.chain[1].not_after, Nanos("2031-01-01T00:00:00Z"));
  EXPECT_EQ(EarliestExpiry(r.chain), Nanos("2027-05-01T00:00:00Z"));
  EXPECT_EQ(r.verified_chain_earliest_expiry, Nanos("2027-05-01T00:00:00Z"));
  EXPECT_TRUE(WaitFor([&] { return !server.server_names().empty(); }));
  EXPECT_EQ(server.server_names(), std::vector<std::string>{kHost});
  EXPECT_EQ(OpensslLeaf(server.port()), "notAfter=May  1 00:00:00 2027 GMT\nserial=0A1B2C3D4E5F\n");
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, ExpiringInTenDays) {
  Server server(TlsOptions(Leaf("0E10", "2026-03-01T00:00:00Z", "2026-06-11T00:00:00Z"), {inter_}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.verify_result, "ok");
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].serial, "0E10");
  EXPECT_EQ(r.chain[0].not_before, Nanos("2026-03-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].not_after, Nanos("2026-06-11T00:00:00Z"));
  EXPECT_EQ(*EarliestExpiry(r.chain) - r.probed_at, 10 * 86400 * kNanosPerSecond);
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
  EXPECT_EQ(OpensslLeaf(server.port()), "notAfter=Jun 11 00:00:00 2026 GMT\nserial=0E10\n");
}

TEST_F(TlsProbeTest, ExpiredLeafStillReportsItsFacts) {
  Server server(TlsOptions(Leaf("DEAD01", "2025-05-01T00:00:00Z", "2026-05-15T12:30:00Z"), {inter_}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_TRUE(r.handshake_ok);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.verify_result, "certificate has expired");
  EXPECT_FALSE(r.chain_verified);
  EXPECT_TRUE(r.hostname_verified);
  EXPECT_FALSE(r.verified_chain_earliest_expiry.has_value());
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].serial, "DEAD01");
  EXPECT_EQ(r.chain[0].subject_cn, kHost);
  EXPECT_EQ(r.chain[0].issuer_cn, "GX Test Intermediate CA");
  EXPECT_EQ(r.chain[0].not_before, Nanos("2025-05-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].not_after, Nanos("2026-05-15T12:30:00Z"));
  EXPECT_EQ(EarliestExpiry(r.chain), Nanos("2026-05-15T12:30:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, NotYetValid) {
  Server server(TlsOptions(Leaf("0F0F", "2026-07-01T00:00:00Z", "2027-07-01T00:00:00Z"), {inter_}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.verify_result, "certificate is not yet valid");
  EXPECT_FALSE(r.chain_verified);
  EXPECT_TRUE(r.hostname_verified);
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].serial, "0F0F");
  EXPECT_EQ(r.chain[0].not_before, Nanos("2026-07-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-07-01T00:00:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, SelfSigned) {
  leaf_key_ = NewKey();
  CertPtr leaf = MakeCert({kHost, "5E1F", "2026-04-01T00:00:00Z", "2027-04-01T00:00:00Z", false, {kHost}, {}},
                          leaf_key_.get());
  Server server(TlsOptions(leaf, {}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.verify_result, "self-signed certificate");
  EXPECT_FALSE(r.chain_verified);
  EXPECT_TRUE(r.hostname_verified);
  ASSERT_EQ(r.chain.size(), 1u);
  EXPECT_EQ(r.chain[0].serial, "5E1F");
  EXPECT_EQ(r.chain[0].subject_cn, kHost);
  EXPECT_EQ(r.chain[0].issuer_cn, kHost);
  EXPECT_EQ(r.chain[0].not_before, Nanos("2026-04-01T00:00:00Z"));
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-04-01T00:00:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, WrongHostname) {
  Server server(TlsOptions(Leaf("0BAD", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", {"other.example"}), {inter_}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.verify_result, "hostname mismatch");
  EXPECT_TRUE(r.chain_verified);
  EXPECT_FALSE(r.hostname_verified);
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].serial, "0BAD");
  EXPECT_EQ(r.chain[0].dns_names, std::vector<std::string>{"other.example"});
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-05-01T00:00:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, IntermediateExpiresBeforeLeaf) {
  KeyPtr short_key = NewKey();
  CertPtr short_inter =
      MakeCert({"GX Short Intermediate CA", "2000", "2026-01-01T00:00:00Z", "2026-09-01T00:00:00Z", true, {}, {}},
               short_key.get(), root_.get(), root_key_.get());
  Server server(TlsOptions(
      Leaf("1EAF", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", {kHost}, short_inter, short_key), {short_inter}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.verify_result, "ok");
  ASSERT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-05-01T00:00:00Z"));
  EXPECT_EQ(r.chain[1].serial, "2000");
  EXPECT_EQ(r.chain[1].subject_cn, "GX Short Intermediate CA");
  EXPECT_EQ(r.chain[1].not_after, Nanos("2026-09-01T00:00:00Z"));
  EXPECT_EQ(EarliestExpiry(r.chain), Nanos("2026-09-01T00:00:00Z"));
  EXPECT_EQ(r.verified_chain_earliest_expiry, Nanos("2026-09-01T00:00:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, MissingIntermediate) {
  Server server(TlsOptions(Leaf("0A0A", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {}));
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.verify_result, "unable to get local issuer certificate");
  EXPECT_FALSE(r.chain_verified);
  EXPECT_TRUE(r.hostname_verified);
  ASSERT_EQ(r.chain.size(), 1u);
  EXPECT_EQ(r.chain[0].serial, "0A0A");
  EXPECT_EQ(r.chain[0].issuer_cn, "GX Test Intermediate CA");
  EXPECT_EQ(r.chain[0].not_after, Nanos("2027-05-01T00:00:00Z"));
  EXPECT_EQ(OpensslLeaf(server.port()), AsOpenssl(r.chain[0]));
}

TEST_F(TlsProbeTest, SilentServerHitsTheDeadline) {
  Server server({Server::Mode::kSilent, nullptr, nullptr, {}, "", nullptr, nullptr});
  TlsProbeResult r = Probe(server.port(), "127.0.0.1", kHost, std::chrono::milliseconds(300));
  EXPECT_FALSE(r.success);
  EXPECT_TRUE(r.connected);
  EXPECT_FALSE(r.handshake_ok);
  EXPECT_EQ(r.failed_stage, ProbeStage::kHandshake);
  EXPECT_EQ(r.error, "handshake timeout");
  EXPECT_FALSE(r.cancelled);  // a timeout is a measurement
  EXPECT_EQ(r.verify_result, "");
  EXPECT_TRUE(r.chain.empty());
  EXPECT_EQ(r.tls_version, "");
}

TEST_F(TlsProbeTest, CancelEndsAWaitingProbe) {
  Server server({Server::Mode::kSilent, nullptr, nullptr, {}, "", nullptr, nullptr});
  std::atomic<bool> cancel{false};
  TlsProbeSettings settings;
  settings.cancel = &cancel;
  TlsProbeResult r;
  std::thread t([&] { r = Probe(server.port(), "127.0.0.1", kHost, std::chrono::seconds(60), settings); });
  EXPECT_TRUE(WaitFor([&] { return server.accepted() > 0; }));
  cancel = true;
  t.join();
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_TRUE(r.cancelled);  // the prober keeps the last real result instead
  EXPECT_FALSE(r.success);
}

TEST_F(TlsProbeTest, PlainTcpServer) {
  Server server({Server::Mode::kPlain, nullptr, nullptr, {}, "", nullptr, nullptr});
  TlsProbeResult r = Probe(server.port());
  EXPECT_FALSE(r.success);
  EXPECT_TRUE(r.connected);
  EXPECT_FALSE(r.handshake_ok);
  EXPECT_EQ(r.failed_stage, ProbeStage::kHandshake);
  EXPECT_EQ(r.error, "wrong version number");
  EXPECT_EQ(r.verify_result, "");
  EXPECT_TRUE(r.chain.empty());
}

TEST_F(TlsProbeTest, RefusedConnection) {
  TlsProbeResult r = Probe(RefusedPort());
  EXPECT_FALSE(r.success);
  EXPECT_FALSE(r.connected);
  EXPECT_EQ(r.failed_stage, ProbeStage::kConnect);
  EXPECT_EQ(r.error, "connection refused");
  EXPECT_TRUE(r.chain.empty());
}

TEST_F(TlsProbeTest, UnresolvableHost) {
  TlsProbeResult r = Probe(5061, "no-such-host.invalid", "");
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.failed_stage, ProbeStage::kResolve);
  EXPECT_FALSE(r.connected);
}

TEST_F(TlsProbeTest, SniDefaultsToTheHost) {
  leaf_key_ = NewKey();
  CertPtr leaf = MakeCert({"localhost", "4C", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", false, {"localhost"}, {}},
                          leaf_key_.get(), inter_.get(), inter_key_.get());
  Server server(TlsOptions(leaf, {inter_}));
  TlsProbeResult r = Probe(server.port(), "localhost", "");
  EXPECT_TRUE(r.success) << r.error << r.verify_result;
  EXPECT_EQ(r.server_name, "localhost");
  EXPECT_EQ(r.target, "localhost:" + std::to_string(server.port()));
  EXPECT_TRUE(WaitFor([&] { return !server.server_names().empty(); }));
  EXPECT_EQ(server.server_names(), std::vector<std::string>{"localhost"});
}

TEST_F(TlsProbeTest, IpAddressTargetIsCheckedAgainstIpSans) {
  leaf_key_ = NewKey();
  CertPtr leaf = MakeCert({"loopback", "1F", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", false, {}, {"127.0.0.1"}},
                          leaf_key_.get(), inter_.get(), inter_key_.get());
  Server server(TlsOptions(leaf, {inter_}));
  TlsProbeResult r = Probe(server.port(), "127.0.0.1", "");
  EXPECT_TRUE(r.success) << r.verify_result;
  EXPECT_TRUE(WaitFor([&] { return !server.server_names().empty(); }));
  EXPECT_EQ(server.server_names(), std::vector<std::string>{""});  // no SNI for an IP address
}

TEST_F(TlsProbeTest, UnreadableCaFileIsASetupError) {
  TlsProbeSettings settings;
  settings.ca_file = (dir_.path() / "missing.pem").string();
  TlsProbeResult r = Probe(RefusedPort(), "127.0.0.1", kHost, std::chrono::seconds(5), settings);
  EXPECT_EQ(r.failed_stage, ProbeStage::kSetup);
  EXPECT_NE(r.error.find("cannot load ca_file"), std::string::npos) << r.error;
  EXPECT_FALSE(r.connected);
}

TEST_F(TlsProbeTest, SipOptionsOverTls) {
  auto options = TlsOptions(Leaf("51", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {inter_});
  options.sip_response =
      "SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  Server server(options);
  TlsProbeSettings settings;
  settings.sip_options = true;
  TlsProbeResult r = Probe(server.port(), "127.0.0.1", kHost, std::chrono::seconds(5), settings);
  EXPECT_TRUE(r.success);
  EXPECT_TRUE(r.sip_options.attempted);
  EXPECT_EQ(r.sip_options.status_code, 200);
  EXPECT_EQ(r.sip_options.error, "");
  EXPECT_GE(r.sip_options.rtt_seconds, 0);
  auto requests = server.sip_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("OPTIONS sip:127.0.0.1:" + std::to_string(server.port()) + " SIP/2.0\r\n", 0), 0u);
}

TEST_F(TlsProbeTest, SipOptionsGarbageAnswer) {
  auto options = TlsOptions(Leaf("52", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {inter_});
  options.sip_response = "HTTP/1.1 400 Bad Request\r\n\r\n";
  Server server(options);
  TlsProbeSettings settings;
  settings.sip_options = true;
  TlsProbeResult r = Probe(server.port(), "127.0.0.1", kHost, std::chrono::seconds(5), settings);
  EXPECT_TRUE(r.success);  // the certificate verdict does not depend on SIP
  EXPECT_TRUE(r.sip_options.attempted);
  EXPECT_FALSE(r.sip_options.status_code.has_value());
  EXPECT_EQ(r.sip_options.failure, "malformed");
  EXPECT_EQ(r.sip_options.error, "invalid sip response: not a SIP status line");
}

// Hostile SIP peers: each probe must end by its deadline with a SIP failure and a reason,
// while the certificate verdict stays what it is.
class HostileSipPeerTest : public TlsProbeTest {
 protected:
  // Probes a server whose SIP answer is `peer`, on a thread with a bound, so that a hang
  // fails the test instead of hanging it.
  TlsProbeResult ProbeHostile(std::function<void(SSL*, const std::atomic<bool>&)> peer,
                              std::chrono::milliseconds timeout) {
    auto options = TlsOptions(Leaf("5A", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {inter_});
    options.sip_peer = std::move(peer);
    auto server = std::make_shared<Server>(options);
    TlsTarget t;
    t.host = "127.0.0.1";
    t.port = server->port();
    t.server_name = kHost;
    TlsProbeSettings settings;
    settings.ca_file = ca_file_;
    settings.sip_options = true;
    auto result = std::make_shared<TlsProbeResult>();
    auto clock = std::make_shared<ManualClock>(Nanos(kNow));
    const bool returned = gx::testing::FinishesWithin(
        [t, settings, result, clock, timeout] {
          *result = ProbeTls(t, settings, std::chrono::steady_clock::now() + timeout, *clock);
        },
        timeout + std::chrono::seconds(20));
    if (!returned) {
      ADD_FAILURE() << "ProbeTls did not return by its deadline";
      (void)new std::shared_ptr<Server>(server);  // the stuck probe still uses it: never destroy it
      return {};
    }
    EXPECT_TRUE(result->success) << result->error;
    EXPECT_TRUE(result->sip_options.attempted);
    EXPECT_FALSE(result->sip_options.status_code.has_value());
    return *result;
  }

  // A peer that writes `bytes` once, then closes.
  static std::function<void(SSL*, const std::atomic<bool>&)> Once(std::string bytes) {
    return
        [bytes](SSL* ssl, const std::atomic<bool>&) { SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())); };
  }

  // A peer that writes `first`, then `chunk` until told to stop or the connection fails.
  static std::function<void(SSL*, const std::atomic<bool>&)> Endless(std::string chunk, std::string first = "") {
    return [chunk, first](SSL* ssl, const std::atomic<bool>& stop) {
      if (!first.empty() && SSL_write(ssl, first.data(), static_cast<int>(first.size())) <= 0) return;
      while (!stop && SSL_write(ssl, chunk.data(), static_cast<int>(chunk.size())) > 0) {
      }
    };
  }
};

TEST_F(HostileSipPeerTest, ContentLengthThatWrapsToZero) {
  TlsProbeResult r = ProbeHostile(Once("SIP/2.0 100 Trying\r\nContent-Length: 18446744073709551556\r\n\r\n"),
                                  std::chrono::seconds(10));
  EXPECT_EQ(r.sip_options.failure, "limit");
  EXPECT_EQ(r.sip_options.error, "invalid sip response: Content-Length 18446744073709551556 exceeds 16384 bytes");
}

TEST_F(HostileSipPeerTest, EndlessProvisionalResponses) {
  TlsProbeResult r = ProbeHostile(Endless("SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n"), std::chrono::seconds(10));
  EXPECT_EQ(r.sip_options.failure, "limit");
  EXPECT_EQ(r.sip_options.error, "invalid sip response: more than 8 provisional responses");
}

TEST_F(HostileSipPeerTest, EndlessHeaderLine) {
  TlsProbeResult r =
      ProbeHostile(Endless(std::string(1024, 'a'), "SIP/2.0 200 OK\r\nX-Pad: "), std::chrono::seconds(10));
  EXPECT_EQ(r.sip_options.failure, "limit");
  EXPECT_EQ(r.sip_options.error, "invalid sip response: header block exceeds 8192 bytes");
}

TEST_F(HostileSipPeerTest, EndlessKeepAlives) {
  std::string crlfs;
  for (int i = 0; i < 256; ++i) crlfs += "\r\n";
  TlsProbeResult r = ProbeHostile(Endless(crlfs), std::chrono::seconds(10));
  EXPECT_EQ(r.sip_options.failure, "limit");
  EXPECT_EQ(r.sip_options.error, "invalid sip response: no final response in 65536 bytes");
}

TEST_F(HostileSipPeerTest, ResponseTrickledPastTheDeadline) {
  TlsProbeResult r =
      ProbeHostile(SipTrickle("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", std::chrono::milliseconds(100)),
                   std::chrono::milliseconds(700));
  EXPECT_EQ(r.sip_options.failure, "timeout");
  EXPECT_EQ(r.sip_options.error, "sip response timeout");
}

TEST_F(HostileSipPeerTest, ClosesMidResponse) {
  TlsProbeResult r = ProbeHostile(Once("SIP/2.0 200 OK\r\nContent-"), std::chrono::seconds(10));
  EXPECT_EQ(r.sip_options.failure, "connection");
  EXPECT_EQ(r.sip_options.error, "connection closed during sip response");
}

TEST_F(TlsProbeTest, ClientCertificate) {
  auto options = TlsOptions(Leaf("53", "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z"), {inter_});
  options.client_ca = root_;
  options.sip_response = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  Server server(options);
  KeyPtr client_key = NewKey();
  CertPtr client = MakeCert({"gx-exporter", "C1", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", false, {}, {}},
                            client_key.get(), root_.get(), root_key_.get());
  TlsProbeSettings settings;
  settings.sip_options = true;
  settings.cert_file = dir_.Write("client.pem", Pem(client.get()));
  settings.key_file = dir_.Write("client.key", KeyPem(client_key.get()));
  TlsProbeResult with = Probe(server.port(), "127.0.0.1", kHost, std::chrono::seconds(5), settings);
  EXPECT_TRUE(with.success) << with.error;
  EXPECT_EQ(with.sip_options.status_code, 200) << with.sip_options.error;

  settings.cert_file.clear();
  settings.key_file.clear();
  TlsProbeResult without = Probe(server.port(), "127.0.0.1", kHost, std::chrono::seconds(5), settings);
  EXPECT_FALSE(without.sip_options.status_code.has_value());  // TLS 1.3: the server rejects after the handshake
  EXPECT_NE(without.sip_options.error, "");
}

}  // namespace
}  // namespace gx::tls
