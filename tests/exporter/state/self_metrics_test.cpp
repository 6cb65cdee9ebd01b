// The exporter's own instrumentation is prometheus-cpp types: what HealthState and the
// sources count (API requests, webhook delivery, the push queue) is in the registry that
// /metrics serializes with prometheus-cpp, and the accessors read the same series.
#include "exporter/state/self_metrics.h"

#include <gtest/gtest.h>

#include <prometheus/text_serializer.h>

#include <thread>

#include "exporter/state/health_state.h"

namespace gx {
namespace {

const prometheus::MetricFamily* Find(const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(SelfMetrics, ApiRequestsAreCountedInTheRegistry) {
  HealthState health;
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "200", 0.2, 1);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "200", 3.0, 2);
  health.RecordApiRequest("/api/v2/telephony/providers/edges/phones", "error", 0.01, 3);
  const auto families = health.self_metrics().Collect();

  const auto* requests = Find(families, "genesys_api_requests_total");
  ASSERT_NE(requests, nullptr);
  EXPECT_EQ(requests->type, prometheus::MetricType::Counter);
  ASSERT_EQ(requests->metric.size(), 2u) << "one series per (endpoint, code)";
  double total = 0;
  for (const auto& m : requests->metric) total += m.counter.value;
  EXPECT_EQ(total, 3);

  const auto* durations = Find(families, "genesys_api_request_duration_seconds");
  ASSERT_NE(durations, nullptr);
  EXPECT_EQ(durations->type, prometheus::MetricType::Histogram);
  ASSERT_EQ(durations->metric.size(), 1u);
  const auto& h = durations->metric[0].histogram;
  EXPECT_EQ(h.sample_count, 3u);
  EXPECT_DOUBLE_EQ(h.sample_sum, 3.21);
  ASSERT_EQ(h.bucket.size(), RequestDurationBuckets().size() + 1);  // and +Inf
  EXPECT_EQ(h.bucket[0].cumulative_count, 1u);  // 0.01 <= 0.025
  EXPECT_EQ(h.bucket.back().cumulative_count, 3u);

  const std::string text = prometheus::TextSerializer().Serialize(families);
  EXPECT_NE(text.find("# TYPE genesys_api_request_duration_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("genesys_api_requests_total{code=\"error\",endpoint=\"/api/v2/telephony/providers/edges/phones\"} 1"),
            std::string::npos)
      << text;
}

std::string Text(const SelfMetrics& self) { return prometheus::TextSerializer().Serialize(self.Collect()); }

bool Has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

TEST(SelfMetrics, WebhookDeliveryIsCountedByReceiver) {
  SelfMetrics self;
  EXPECT_EQ(Text(self), "") << "no receiver, no series";
  self.AddWebhookReceiver("am");
  for (int i = 0; i < 12; ++i) self.ObserveWebhookAttempt("ops", true, 0.03);
  for (int i = 0; i < 3; ++i) self.ObserveWebhookAttempt("ops", false, 10);
  self.CountWebhookDeadLetter("ops");
  self.SetWebhookQueue("ops", 4, 2);
  self.CountWebhookDropped("ops", kDropSpoolFull, 9);
  const std::string text = Text(self);
  EXPECT_TRUE(Has(text, "# TYPE genesys_webhook_notifications_total counter")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_notifications_total{receiver=\"ops\"} 12")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_notification_failures_total{receiver=\"ops\"} 3")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_dead_letters_total{receiver=\"ops\"} 1")) << text;
  EXPECT_TRUE(Has(text, "# TYPE genesys_webhook_queue_length gauge")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_length{receiver=\"ops\"} 4")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_length{receiver=\"am\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_queue_memory_only{receiver=\"ops\"} 2")) << text;
  // Every reason has a series, so rate() sees the first drop.
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{reason=\"spool_full\",receiver=\"ops\"} 9")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{reason=\"damaged\",receiver=\"ops\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_spool_dropped_total{reason=\"bad_name\",receiver=\"am\"} 0")) << text;
  // Every attempt's duration, failed ones included.
  EXPECT_TRUE(Has(text, "# TYPE genesys_webhook_delivery_duration_seconds histogram")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_delivery_duration_seconds_count{receiver=\"ops\"} 15")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_delivery_duration_seconds_bucket{receiver=\"ops\",le=\"0.05\"} 12")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_delivery_duration_seconds_bucket{receiver=\"ops\",le=\"5\"} 12")) << text;
  EXPECT_TRUE(Has(text, "genesys_webhook_delivery_duration_seconds_bucket{receiver=\"ops\",le=\"10\"} 15")) << text;

  // The pages read the same series.
  const auto receivers = self.WebhookReceivers();
  ASSERT_EQ(receivers.size(), 2u);
  const WebhookCounts& ops = receivers.at("ops");
  EXPECT_EQ(ops.delivered, 12u);
  EXPECT_EQ(ops.failures, 3u);
  EXPECT_EQ(ops.dead_letters, 1u);
  EXPECT_EQ(ops.queue_length, 4u);
  EXPECT_EQ(ops.queue_memory_only, 2u);
  EXPECT_EQ(ops.dropped.at(kDropSpoolFull), 9u);
  EXPECT_EQ(ops.dropped.at(kDropDamaged), 0u);
  EXPECT_EQ(receivers.at("am").delivered, 0u);
}

TEST(SelfMetrics, ARemovedReceiverLosesEverySeries) {
  SelfMetrics self;
  self.ObserveWebhookAttempt("gone", true, 0.1);
  self.CountWebhookDropped("gone", kDropDamaged, 2);
  self.AddWebhookReceiver("kept");
  self.RemoveWebhookReceiver("gone");
  self.RemoveWebhookReceiver("never there");
  const std::string text = Text(self);
  EXPECT_EQ(text.find("gone"), std::string::npos) << text;
  EXPECT_NE(text.find("receiver=\"kept\""), std::string::npos) << text;
  EXPECT_EQ(self.WebhookReceivers().count("gone"), 0u);
  // Back in a later configuration: from zero, as a new receiver.
  self.AddWebhookReceiver("gone");
  EXPECT_EQ(self.WebhookReceivers().at("gone").delivered, 0u);
}

TEST(SelfMetrics, ApplyQueueSeriesExistFromAddApplyQueue) {
  SelfMetrics self;
  EXPECT_EQ(self.ApplyQueue().applied, 0u);
  EXPECT_EQ(Text(self).find("genesys_notifications_"), std::string::npos) << "push off: no series";
  self.AddApplyQueue();
  std::string text = Text(self);
  EXPECT_TRUE(Has(text, "genesys_notifications_queue_length 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_queue_overflows_total 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_count 0")) << text;
  self.ObserveApplyDelay(0.0002);
  self.ObserveApplyDelay(0.004);
  self.ObserveApplyDelay(3);  // past the last bound: in +Inf, count and sum only
  self.CountApplyQueueOverflow();
  self.SetApplyQueueLength(7);
  text = Text(self);
  EXPECT_TRUE(Has(text, "# TYPE genesys_notifications_apply_delay_seconds histogram")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_bucket{le=\"0.0001\"} 0")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_bucket{le=\"0.00025\"} 1")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_bucket{le=\"0.005\"} 2")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_bucket{le=\"1\"} 2")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_apply_delay_seconds_bucket{le=\"+Inf\"} 3")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_queue_overflows_total 1")) << text;
  EXPECT_TRUE(Has(text, "genesys_notifications_queue_length 7")) << text;
  const ApplyQueueCounts q = self.ApplyQueue();
  EXPECT_EQ(q.applied, 3u);
  EXPECT_DOUBLE_EQ(q.apply_delay_sum, 3.0042);
  EXPECT_EQ(q.overflows, 1u);
  EXPECT_EQ(q.length, 7u);
}

// The dispatcher's threads count and reconfigure while a scrape and a page read (TSan).
TEST(SelfMetrics, CountsFromManyThreadsWhileReadersRead) {
  SelfMetrics self;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      const std::string receiver = "r" + std::to_string(t);
      for (int i = 0; i < 300; ++i) {
        self.ObserveWebhookAttempt(receiver, i % 3 != 0, 0.01);
        self.SetWebhookQueue(receiver, i, 0);
        self.ObserveApplyDelay(0.001);
        if (i % 50 == 0) self.RemoveWebhookReceiver("churn");
        if (i % 50 == 25) self.AddWebhookReceiver("churn");
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 100; ++i) {
      Text(self);
      self.WebhookReceivers();
      self.ApplyQueue();
    }
  });
  for (auto& t : threads) t.join();
  const auto receivers = self.WebhookReceivers();
  for (int t = 0; t < 3; ++t) {
    const WebhookCounts& c = receivers.at("r" + std::to_string(t));
    EXPECT_EQ(c.delivered, 200u);
    EXPECT_EQ(c.failures, 100u);
    EXPECT_EQ(c.queue_length, 299u);
  }
  EXPECT_EQ(self.ApplyQueue().applied, 900u);
}

}  // namespace
}  // namespace gx
