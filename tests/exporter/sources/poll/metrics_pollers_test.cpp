// The metrics pollers' one cycle: skipped until the inventory has loaded, the ids asked about
// in batches of at most 100, and the metrics applied only when every batch of the cycle arrived.
#include "exporter/sources/poll/metrics_pollers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'700'000'000 * kNanosPerSecond;

// Answers every batch with metrics for each id it names; request number `fail_request` fails.
class FakeApi final : public ApiClient {
 public:
  ApiResponse Get(const std::string& path, const std::string& endpoint) override {
    paths.push_back(path);
    ApiResponse r;
    if (static_cast<int>(paths.size()) == fail_request) {
      r.status = 500;
      r.error = "HTTP 500";
      return r;
    }
    std::string body;
    std::string ids = path.substr(path.find('=') + 1) + ",";
    for (auto comma = ids.find(','); comma != std::string::npos; comma = ids.find(',')) {
      const std::string id = ids.substr(0, comma);
      ids.erase(0, comma + 1);
      if (!body.empty()) body += ',';
      body += endpoint == kTrunkMetricsEndpoint
                  ? R"({"trunk":{"id":")" + id + R"("},"calls":{"inboundCallCount":1,"outboundCallCount":2}})"
                  : R"({"edge":{"id":")" + id + R"("},"upTimeMsec":1000})";
    }
    r.status = 200;
    r.body = "[" + body + "]";
    return r;
  }
  ApiResponse Send(const std::string&, const std::string& path, const std::string&, const std::string& e) override {
    return Get(path, e);
  }

  std::vector<std::string> paths;
  int fail_request = 0;  // 1-based; 0: none fails
};

class MetricsPollerTest : public ::testing::Test {
 protected:
  // `external` EXTERNAL trunks t0000.. and `phone` PHONE trunks p0000..
  void LoadTrunks(int external, int phone) {
    std::vector<Trunk> trunks;
    for (int i = 0; i < external + phone; ++i) {
      Trunk t;
      t.id = (i < external ? "t" : "p") + std::to_string(10000 + i);
      t.trunk_type = i < external ? "EXTERNAL" : "PHONE";
      trunks.push_back(t);
    }
    state_.ReplaceTrunks(std::move(trunks), kT0);
  }
  void LoadEdges(int n) {
    std::vector<Edge> edges;
    for (int i = 0; i < n; ++i) {
      Edge e;
      e.id = "e" + std::to_string(10000 + i);
      edges.push_back(e);
    }
    state_.ReplaceEdges(std::move(edges), kT0);
  }

  FakeApi api_;
  TelephonyState state_;
  ManualClock clock_{kT0};
  MetricsPoller<TrunkMetrics> trunks_{kTrunkMetricsKind, api_, state_, clock_};
  MetricsPoller<EdgeMetrics> edges_{kEdgeMetricsKind, api_, state_, clock_};
};

TEST_F(MetricsPollerTest, NamesAreTheSources) {
  EXPECT_EQ(trunks_.name(), "trunk_metrics");
  EXPECT_EQ(edges_.name(), "edge_metrics");
}

TEST_F(MetricsPollerTest, SkippedUntilTheInventoryHasLoaded) {
  const CycleResult r = trunks_.RunCycle(CycleRequest{});
  EXPECT_TRUE(r.skipped);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(api_.paths.empty());
  EXPECT_FALSE(state_.Snapshot()->trunk_metrics_loaded);
}

TEST_F(MetricsPollerTest, AsksForTheExternalTrunksInBatchesOfAHundred) {
  LoadTrunks(150, 3);
  const CycleResult r = trunks_.RunCycle(CycleRequest{});
  ASSERT_TRUE(r.ok()) << r.status.error();
  EXPECT_FALSE(r.skipped);
  EXPECT_EQ(r.requests, 2u);
  ASSERT_EQ(api_.paths.size(), 2u);
  EXPECT_EQ(api_.paths[0].rfind(kTrunkMetricsEndpoint + "?trunkIds=t10000,t10001,", 0), 0u) << api_.paths[0];
  EXPECT_EQ(api_.paths[0].find("p1015"), std::string::npos) << "a PHONE trunk was asked about";
  const auto snapshot = state_.Snapshot();
  EXPECT_EQ(snapshot->trunk_metrics.size(), 150u);
  EXPECT_TRUE(snapshot->trunk_metrics_loaded);
  EXPECT_EQ(trunks_.EstimatedRequests(), 2);
}

TEST_F(MetricsPollerTest, AFailedBatchAppliesNothing) {
  LoadTrunks(150, 0);
  api_.fail_request = 2;
  const CycleResult r = trunks_.RunCycle(CycleRequest{});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status.error(), kTrunkMetricsEndpoint + " batch 2: HTTP 500");
  EXPECT_EQ(r.requests, 2u);
  const auto snapshot = state_.Snapshot();
  EXPECT_EQ(snapshot->trunk_metrics.size(), 0u) << "the first batch was applied without the second";
  EXPECT_FALSE(snapshot->trunk_metrics_loaded);
}

TEST_F(MetricsPollerTest, AnUnreadableBatchNamesItself) {
  LoadEdges(3);
  class Garbage final : public ApiClient {
   public:
    ApiResponse Get(const std::string&, const std::string&) override {
      ApiResponse r;
      r.status = 200;
      r.body = "{}";
      return r;
    }
    ApiResponse Send(const std::string&, const std::string& p, const std::string&, const std::string& e) override {
      return Get(p, e);
    }
  } garbage;
  MetricsPoller<EdgeMetrics> edges(kEdgeMetricsKind, garbage, state_, clock_);
  const CycleResult r = edges.RunCycle(CycleRequest{});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status.error().rfind(kEdgeMetricsEndpoint + " batch 1: ", 0), 0u) << r.status.error();
  EXPECT_EQ(state_.Snapshot()->edge_metrics.size(), 0u);
}

TEST_F(MetricsPollerTest, EdgeMetricsOfEveryEdge) {
  LoadEdges(3);
  const CycleResult r = edges_.RunCycle(CycleRequest{});
  ASSERT_TRUE(r.ok()) << r.status.error();
  ASSERT_EQ(api_.paths.size(), 1u);
  EXPECT_EQ(api_.paths[0], kEdgeMetricsEndpoint + "?edgeIds=e10000,e10001,e10002");
  EXPECT_EQ(state_.Snapshot()->edge_metrics.size(), 3u);
  EXPECT_EQ(edges_.EstimatedRequests(), 1);
}

}  // namespace
}  // namespace gx
