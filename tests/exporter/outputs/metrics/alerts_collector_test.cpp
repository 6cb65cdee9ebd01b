// The alerts collector as a pure view of HealthData: exposition checked line by line.
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

TEST(AlertsCollectorTest, FiringAlertsAndWebhookCounters) {
  HealthData h;
  h.alerts_firing[{"edge_offline", "critical"}] = 2;
  h.alerts_firing[{"edge_offline", "warning"}] = 0;
  h.alerts_firing[{"tls_cert_expiry", "warning"}] = 1;
  WebhookHealth& w = h.webhooks["ops"];
  w.delivered = 12;
  w.failures = 3;
  w.dead_letters = 1;
  w.queue_length = 4;
  w.queue_memory_only = 2;
  w.dropped[kDropSpoolFull] = 9;
  h.webhooks["am"];
  const std::string text = Render(h);
  EXPECT_TRUE(Has(text, "# TYPE genesys_alerts_firing gauge")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"critical\"} 2")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"edge_offline\",severity=\"warning\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_alerts_firing{alertname=\"tls_cert_expiry\",severity=\"warning\"} 1")) << text;
  EXPECT_TRUE(Has(text, "# TYPE genesys_webhook_notifications_total counter")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_notifications_total{receiver=\"ops\"} 12")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_notification_failures_total{receiver=\"ops\"} 3")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_dead_letters_total{receiver=\"ops\"} 1")) << text;
  EXPECT_TRUE(Has(text, "# TYPE genesys_webhook_queue_length gauge")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_length{receiver=\"ops\"} 4")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_length{receiver=\"am\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_memory_only{receiver=\"ops\"} 2")) << text;
  // Every reason has a series, so rate() sees the first drop.
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{receiver=\"ops\",reason=\"spool_full\"} 9")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{receiver=\"ops\",reason=\"damaged\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{receiver=\"am\",reason=\"bad_name\"} 0")) << text;
  EXPECT_EQ(text.find("spool was full"), std::string::npos) << "HELP names every reason";
}

TEST(AlertsCollectorTest, NothingConfiguredExportsNothing) {
  EXPECT_EQ(Render(HealthData{}), "");
}

}  // namespace
}  // namespace gx
