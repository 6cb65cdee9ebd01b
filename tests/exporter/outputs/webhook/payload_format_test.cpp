// The generic payload of a tls_cert_expiry alert: tlsValid says whether the chain
// verifies, so a valid certificate that expires soon is `true` and a broken one `false`.
#include "exporter/outputs/webhook/payload_format.h"

#include <gtest/gtest.h>

#include "exporter/outputs/alerts/alert_conditions.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kDay = 86400 * kNanosPerSecond;

std::string TlsPayload(UnixNanos left, bool verified) {
  TelephonyState t;
  TlsTarget target;
  target.host = "sip.example.net";
  t.ReplaceTlsTargets({target}, /*complete=*/true);
  t.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", kT0 + left, verified));
  HealthData h;
  AlertingConfig cfg;
  auto cond = t.Read([&](const TelephonyData& d) { return CollectAlertConditions(d, h, cfg, {}, kT0); });
  EXPECT_EQ(cond.active.size(), 1u);
  if (cond.active.empty()) return "";
  AlertMessage n;
  n.firing = {cond.active.front()};
  n.created_at = kT0;
  return FormatGenericPayload(n, 20);
}

TEST(PayloadFormatTest, TlsValidIsTrueForAVerifiedCertificateThatExpiresSoon) {
  for (UnixNanos left : {20 * kDay, 3 * kDay}) {
    const std::string body = TlsPayload(left, true);
    EXPECT_NE(body.find("\"tlsValid\":true"), std::string::npos) << body;
    EXPECT_NE(body.find("\"alertType\":\"tls_cert_expiry\""), std::string::npos) << body;
  }
}

TEST(PayloadFormatTest, TlsValidIsFalseWhenTheChainDoesNotVerify) {
  for (UnixNanos left : {200 * kDay, -kDay}) {
    const std::string body = TlsPayload(left, false);
    EXPECT_NE(body.find("\"tlsValid\":false"), std::string::npos) << body;
  }
}

TEST(PayloadFormatTest, TlsValidIsNullForOtherAlerts) {
  Alert a;
  a.labels = {{"alertname", "edge_offline"}, {"edge_id", "e1"}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  AlertMessage n;
  n.firing = {a};
  const std::string body = FormatGenericPayload(n, 20);
  EXPECT_NE(body.find("\"tlsValid\":null"), std::string::npos) << body;
}

}  // namespace
}  // namespace gx
