// The exporter's own API instrumentation is prometheus-cpp types: what HealthState records
// is in the registry that /metrics serializes with prometheus-cpp.
#include "exporter/state/self_metrics.h"

#include <gtest/gtest.h>

#include <prometheus/text_serializer.h>

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
  ASSERT_EQ(h.bucket.size(), ApiDurationBuckets().size() + 1);  // and +Inf
  EXPECT_EQ(h.bucket[0].cumulative_count, 1u);  // 0.01 <= 0.025
  EXPECT_EQ(h.bucket.back().cumulative_count, 3u);

  const std::string text = prometheus::TextSerializer().Serialize(families);
  EXPECT_NE(text.find("# TYPE genesys_api_request_duration_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("genesys_api_requests_total{code=\"error\",endpoint=\"/api/v2/telephony/providers/edges/phones\"} 1"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gx
