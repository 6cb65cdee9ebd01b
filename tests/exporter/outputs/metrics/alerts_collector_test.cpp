// The alerts collector as a pure view of HealthData: exposition checked line by line. (The
// webhook delivery families are SelfMetrics': tests/exporter/state/self_metrics_test.cpp.)
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "exporter/outputs/metrics/collectors.h"

namespace gx {
namespace {

std::string Render(const HealthData& health) {
  TelephonyState state;
  CollectorOptions options;
  MetricFamilies families;
  state.Read([&](const TelephonyData& d) {
    CollectAlerts(CollectInput{d, health, options}, families);
    return 0;
  });
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, families);
  return os.str();
}

bool Has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

TEST(AlertsCollectorTest, FiringAlertsByNameAndSeverity) {
  HealthData h;
  h.alerts_firing[{"edge_offline", "critical"}] = 2;
  h.alerts_firing[{"edge_offline", "warning"}] = 0;
  h.alerts_firing[{"tls_cert_expiry", "warning"}] = 1;
  const std::string text = Render(h);
  EXPECT_TRUE(Has(text, "# TYPE genesys_alerts_firing gauge")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"critical\"} 2")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"warning\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"tls_cert_expiry\",severity=\"warning\"} 1")) << text;
}

TEST(AlertsCollectorTest, NothingConfiguredExportsNothing) {
  EXPECT_EQ(Render(HealthData{}), "");
}

}  // namespace
}  // namespace gx
