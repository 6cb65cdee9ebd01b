// The TLS collector as a pure view: state built with TelephonyState's apply
// functions, exposition checked line by line.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "exporter/outputs/metrics/collectors.h"

namespace gx {
namespace {

constexpr UnixNanos kS = kNanosPerSecond;

TlsTarget Target(const std::string& host, int port, const std::string& source, std::vector<std::string> trunks = {}) {
  TlsTarget t;
  t.host = host;
  t.port = port;
  t.source = source;
  t.trunk_ids = std::move(trunks);
  return t;
}

CertificateFacts Cert(int position, const std::string& serial, const std::string& cn, const std::string& issuer,
                      UnixNanos not_before, UnixNanos not_after) {
  CertificateFacts c;
  c.position = position;
  c.serial = serial;
  c.subject_cn = cn;
  c.issuer_cn = issuer;
  c.sha256_fingerprint = std::string(64, static_cast<char>('a' + position));
  c.not_before = not_before;
  c.not_after = not_after;
  return c;
}

std::string Render(const TelephonyState& state) {
  HealthData health;
  CollectorOptions options;
  MetricFamilies families;
  state.Read([&](const TelephonyData& d) {
    CollectTls(CollectInput{d, health, options}, families);
    return 0;
  });
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, families);
  return os.str();
}

bool Has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }
bool Mentions(const std::string& text, const std::string& s) { return text.find(s) != std::string::npos; }

class TlsCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_.ReplaceTlsTargets({Target("sip.ok.example", 5061, "trunk", {"t1", "t2"}),
                              Target("sip.expired.example", 5061, "config", {"t3"}),
                              Target("sip.down.example", 5061, "trunk", {"t4"}),
                              Target("sip.new.example", 5061, "config")},
                             /*complete=*/true);
  }
  TelephonyState state_;
};

TEST_F(TlsCollectorTest, VerifiedTarget) {
  TlsProbeResult r;
  r.target = "sip.ok.example:5061";
  r.success = r.connected = r.handshake_ok = r.chain_verified = r.hostname_verified = true;
  r.duration_seconds = 0.25;
  r.server_name = "sip.ok.example";
  r.tls_version = "TLSv1.3";
  r.cipher = "TLS_AES_256_GCM_SHA384";
  r.verify_result = "ok";
  r.probed_at = 1780272000 * kS;
  r.chain = {Cert(0, "0A1B", "sip.ok.example", "Inter CA", 1777593600 * kS, 1809129600 * kS),
             Cert(1, "1000", "Inter CA", "Root CA", 1767225600 * kS, 1788220800 * kS)};
  r.verified_chain_earliest_expiry = 1788220800 * kS;
  r.sip_options.attempted = true;
  r.sip_options.status_code = 200;
  r.sip_options.rtt_seconds = 0.012;
  state_.ApplyTlsResult(r);
  const std::string text = Render(state_);

  const std::string t = "target=\"sip.ok.example:5061\"";
  EXPECT_TRUE(Has(text, "genesys_tls_probe_success{" + t + "} 1")) << text;
  EXPECT_TRUE(Has(text, "genesys_tls_probe_duration_seconds{" + t + "} 0.25"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_verified{" + t + "} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_earliest_cert_expiry_timestamp_seconds{" + t + "} 1788220800"));
  EXPECT_TRUE(Has(text, "genesys_tls_verified_chain_earliest_expiry_timestamp_seconds{" + t + "} 1788220800"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_not_after_timestamp_seconds{" + t +
                            ",position=\"0\",serial=\"0A1B\",subject_cn=\"sip.ok.example\",issuer_cn=\"Inter CA\"} "
                            "1809129600"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_not_before_timestamp_seconds{" + t +
                            ",position=\"1\",serial=\"1000\",subject_cn=\"Inter CA\",issuer_cn=\"Root CA\"} "
                            "1767225600"));
  EXPECT_TRUE(Has(text, "genesys_tls_probe_info{" + t +
                            ",server_name=\"sip.ok.example\",tls_version=\"TLSv1.3\",cipher=\"TLS_AES_256_GCM_"
                            "SHA384\",verify_result=\"ok\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_sha256_info{" + t + ",position=\"0\",sha256=\"" + std::string(64, 'a') +
                            "\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_target_info{" + t + ",source=\"trunk\",trunk_id=\"t1\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_target_info{" + t + ",source=\"trunk\",trunk_id=\"t2\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_up{" + t + "} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_status_code{" + t + "} 200"));
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_rtt_seconds{" + t + "} 0.012"));
  EXPECT_TRUE(Has(text, "genesys_tls_probe_timestamp_seconds{" + t + "} 1780272000"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_probe_error_info"));
}

TEST_F(TlsCollectorTest, ExpiredChainKeepsItsDates) {
  TlsProbeResult r;
  r.target = "sip.expired.example:5061";
  r.connected = r.handshake_ok = r.hostname_verified = true;
  r.verify_result = "certificate has expired";
  r.server_name = "sip.expired.example";
  r.tls_version = "TLSv1.2";
  r.cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
  r.chain = {Cert(0, "DEAD", "sip.expired.example", "Inter CA", 1746057600 * kS, 1778803200 * kS)};
  state_.ApplyTlsResult(r);
  const std::string text = Render(state_);
  const std::string t = "target=\"sip.expired.example:5061\"";
  EXPECT_TRUE(Has(text, "genesys_tls_probe_success{" + t + "} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_tls_cert_verified{" + t + "} 0"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_chain_verified{" + t + "} 0"));
  EXPECT_TRUE(Has(text, "genesys_tls_cert_hostname_verified{" + t + "} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_earliest_cert_expiry_timestamp_seconds{" + t + "} 1778803200"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_verified_chain_earliest_expiry_timestamp_seconds{" + t));
  EXPECT_TRUE(Mentions(text, "verify_result=\"certificate has expired\"} 1"));
  // A configured target that also serves a trunk: one series for each role.
  EXPECT_TRUE(Has(text, "genesys_tls_target_info{" + t + ",source=\"config\",trunk_id=\"\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_target_info{" + t + ",source=\"trunk\",trunk_id=\"t3\"} 1"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_sip_options"));
}

// A failed SIP OPTIONS ping: up 0, no status or rtt, and a counter per reason that keeps
// counting across probes (and across a re-publication of the targets).
TEST_F(TlsCollectorTest, SipFailuresAreCountedByReason) {
  TlsProbeResult r;
  r.target = "sip.ok.example:5061";
  r.success = r.connected = r.handshake_ok = r.chain_verified = r.hostname_verified = true;
  r.verify_result = "ok";
  r.chain = {Cert(0, "01", "sip.ok.example", "CA", 1 * kS, 2 * kS)};
  r.sip_options.attempted = true;
  r.sip_options.failure = "limit";
  r.sip_options.error = "invalid sip response: more than 8 provisional responses";
  state_.ApplyTlsResult(r);
  state_.ApplyTlsResult(r);
  r.sip_options.failure = "timeout";
  r.sip_options.error = "sip response timeout";
  state_.ApplyTlsResult(r);
  state_.ReplaceTlsTargets({Target("sip.ok.example", 5061, "trunk", {"t1"})}, /*complete=*/true);
  r.sip_options = {};
  r.sip_options.attempted = true;
  r.sip_options.status_code = 200;  // answered: counts nothing
  state_.ApplyTlsResult(r);
  std::string text = Render(state_);
  const std::string t = "target=\"sip.ok.example:5061\"";
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_failures_total{" + t + ",reason=\"limit\"} 2")) << text;
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_failures_total{" + t + ",reason=\"timeout\"} 1"));
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_up{" + t + "} 1"));
  EXPECT_TRUE(Has(text, "# TYPE genesys_tls_sip_options_failures_total counter"));

  r.sip_options = {};
  r.sip_options.attempted = true;
  r.sip_options.failure = "malformed";
  r.sip_options.error = "invalid sip response: invalid Content-Length";
  state_.ApplyTlsResult(r);
  text = Render(state_);
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_up{" + t + "} 0"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_sip_options_status_code{" + t));
  EXPECT_TRUE(Has(text, "genesys_tls_sip_options_failures_total{" + t + ",reason=\"malformed\"} 1"));
}

TEST_F(TlsCollectorTest, FailureBeforeAChainHasNoCertificateSeries) {
  TlsProbeResult r;
  r.target = "sip.down.example:5061";
  r.failed_stage = ProbeStage::kConnect;
  r.error = "connection refused";
  r.duration_seconds = 0.001;
  state_.ApplyTlsResult(r);
  const std::string text = Render(state_);
  const std::string t = "target=\"sip.down.example:5061\"";
  EXPECT_TRUE(Has(text, "genesys_tls_probe_success{" + t + "} 0")) << text;
  // Unreachable is not "bad certificate": rules/genesys_alerts.yml tells them apart by this absence.
  EXPECT_FALSE(Mentions(text, "genesys_tls_cert_verified{" + t));
  EXPECT_TRUE(Has(text, "genesys_tls_probe_error_info{" + t + ",stage=\"connect\",error=\"connection refused\"} 1"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_earliest_cert_expiry_timestamp_seconds{" + t));
  EXPECT_FALSE(Mentions(text, "genesys_tls_cert_not_after_timestamp_seconds{" + t));
  EXPECT_FALSE(Mentions(text, "genesys_tls_probe_info{" + t));
  EXPECT_FALSE(Mentions(text, "-62135596800"));
}

TEST_F(TlsCollectorTest, NeverProbedTargetHasOnlyItsTargetInfo) {
  const std::string text = Render(state_);
  const std::string t = "target=\"sip.new.example:5061\"";
  EXPECT_TRUE(Has(text, "genesys_tls_target_info{" + t + ",source=\"config\",trunk_id=\"\"} 1")) << text;
  std::istringstream lines(text);
  std::string line;
  int mentions = 0;
  while (std::getline(lines, line))
    if (line.find(t) != std::string::npos) ++mentions;
  EXPECT_EQ(mentions, 1);
  // Nothing probed yet: no probe families at all, only target_info.
  EXPECT_FALSE(Mentions(text, "genesys_tls_probe_success"));
  EXPECT_FALSE(Mentions(text, "genesys_tls_earliest_cert_expiry_timestamp_seconds"));
}

TEST_F(TlsCollectorTest, RemovedTargetDisappears) {
  TlsProbeResult r;
  r.target = "sip.down.example:5061";
  r.error = "connection refused";
  r.failed_stage = ProbeStage::kConnect;
  state_.ApplyTlsResult(r);
  state_.ReplaceTlsTargets({Target("sip.ok.example", 5061, "trunk", {"t1"})}, /*complete=*/true);
  const std::string text = Render(state_);
  EXPECT_FALSE(Mentions(text, "sip.down.example")) << text;
  EXPECT_TRUE(Mentions(text, "sip.ok.example"));
}

TEST_F(TlsCollectorTest, PromtoolAcceptsTheExposition) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) GTEST_SKIP() << "promtool not installed";
  TlsProbeResult ok;
  ok.target = "sip.ok.example:5061";
  ok.success = ok.connected = ok.handshake_ok = ok.chain_verified = ok.hostname_verified = true;
  ok.verify_result = "ok";
  ok.tls_version = "TLSv1.3";
  ok.chain = {Cert(0, "01", "sip.ok.example", "CA", 1 * kS, 2 * kS)};
  ok.verified_chain_earliest_expiry = 2 * kS;
  ok.sip_options.attempted = true;
  ok.sip_options.status_code = 200;
  state_.ApplyTlsResult(ok);
  TlsProbeResult down;
  down.target = "sip.down.example:5061";
  down.failed_stage = ProbeStage::kConnect;
  down.error = "connection refused";
  state_.ApplyTlsResult(down);
  TlsProbeResult hostile = ok;
  hostile.target = "sip.expired.example:5061";
  hostile.sip_options = {};
  hostile.sip_options.attempted = true;
  hostile.sip_options.failure = "limit";
  state_.ApplyTlsResult(hostile);
  const std::string path = ::testing::TempDir() + "/tls_metrics.prom";
  std::ofstream(path) << Render(state_);
  FILE* p = popen(("promtool check metrics < " + path + " 2>&1").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace gx
