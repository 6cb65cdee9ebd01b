#include "exporter/sources/poll/request_cost.h"

#include <gtest/gtest.h>

#include "exporter/sources/poll/metrics_pollers.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poll_scheduler.h"

namespace gx {
namespace {

TEST(RequestCost, Pages) {
  EXPECT_EQ(PagesFor(0, 500), 1);  // an empty listing still costs its one request
  EXPECT_EQ(PagesFor(1, 500), 1);
  EXPECT_EQ(PagesFor(500, 500), 1);
  EXPECT_EQ(PagesFor(501, 500), 2);
  EXPECT_EQ(PagesFor(50000, 500), 100);
  EXPECT_EQ(PagesFor(60, 7), 9);
}

TEST(RequestCost, Batches) {
  EXPECT_EQ(BatchesFor(0), 0);
  EXPECT_EQ(BatchesFor(1), 1);
  EXPECT_EQ(BatchesFor(100), 1);
  EXPECT_EQ(BatchesFor(101), 2);
  EXPECT_EQ(BatchesFor(1000), 10);
}

TEST(RequestCost, LargeOrgFullCycle) {
  OrgSize org;
  org.phones = 50000;
  org.stations = 5;  // the followed users' stations: the only ones read
  org.followed_users = 5;
  org.trunks = 1000;
  org.trunk_bases = 1000;
  org.external_trunks = 1000;
  org.edges = 200;
  CycleCost c = FullCycleCost(org, 500);
  EXPECT_EQ(c.phones, 100);
  EXPECT_EQ(c.stations, 6);
  EXPECT_EQ(c.trunks, 4);
  EXPECT_EQ(c.trunk_metrics, 10);
  EXPECT_EQ(c.edges, 1);
  EXPECT_EQ(c.edge_metrics, 2);
  EXPECT_EQ(c.total(), 123);
  EXPECT_EQ(FullCycleCost(org, 500, false).edge_metrics, 0);
}

TEST(StretchFactor, FitsTheBudgetShare) {
  // 10 requests every 60 s + 4 every 30 s = 18/min; 150 * 0.8 = 120/min: fits.
  EXPECT_EQ(StretchFactor({{60, 10}, {30, 4}}, 150, 0.8), 1.0);
  // 100 every 60 s + 105 every 300 s + 4/30 s + 10/30 s + 1/60 s + 2/60 s = 152/min.
  double f = StretchFactor({{60, 100}, {300, 105}, {30, 4}, {30, 10}, {60, 1}, {60, 2}}, 150, 0.8);
  EXPECT_NEAR(f, 152.0 / 120.0, 1e-9);
  EXPECT_EQ(StretchFactor({}, 150, 0.8), 1.0);
  EXPECT_EQ(StretchFactor({{60, 10}}, 0, 0.8), 1.0);
}

TEST(PageFetcher, Ladder) {
  EXPECT_EQ(PageSizeLadder(500), (std::vector<int>{500, 200, 100, 50, 25}));
  EXPECT_EQ(PageSizeLadder(1000), (std::vector<int>{1000, 500, 200, 100, 50, 25}));
  EXPECT_EQ(PageSizeLadder(150), (std::vector<int>{150, 100, 50, 25}));
  EXPECT_EQ(PageSizeLadder(10), (std::vector<int>{10}));
  PageSize p(200);
  EXPECT_EQ(p.current(), 200);
  EXPECT_TRUE(p.Shrink());
  EXPECT_EQ(p.current(), 100);
  EXPECT_TRUE(p.Shrink());
  EXPECT_TRUE(p.Shrink());
  EXPECT_EQ(p.current(), 25);
  EXPECT_FALSE(p.Shrink());
}

TEST(PageFetcher, Paths) {
  EXPECT_EQ(PagedPath("/api/v2/stations", 500, 3, ""), "/api/v2/stations?pageSize=500&pageNumber=3");
  EXPECT_EQ(PagedPath("/api/v2/telephony/providers/edges/phones", 100, 1, "sortBy=id&expand=status,lines"),
            "/api/v2/telephony/providers/edges/phones?pageSize=100&pageNumber=1&sortBy=id&expand=status,lines");
  EXPECT_EQ(UrlEncode("ab-12_x.~"), "ab-12_x.~");
  EXPECT_EQ(UrlEncode("a b/c,d"), "a%20b%2Fc%2Cd");
}

TEST(MetricsBatches, AtMostAHundredIdsEach) {
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back(std::string("t").append(std::to_string(1000 + i)));
  auto batches = IdBatches(ids, 100);
  ASSERT_EQ(batches.size(), 3u);
  size_t total = 0;
  for (const auto& b : batches) {
    size_t n = static_cast<size_t>(std::count(b.begin(), b.end(), ',')) + 1;
    EXPECT_LE(n, 100u);
    total += n;
  }
  EXPECT_EQ(total, 250u);
  EXPECT_EQ(batches[2], "t1200,t1201,t1202,t1203,t1204,t1205,t1206,t1207,t1208,t1209,t1210,t1211,t1212,t1213,"
                        "t1214,t1215,t1216,t1217,t1218,t1219,t1220,t1221,t1222,t1223,t1224,t1225,t1226,t1227,"
                        "t1228,t1229,t1230,t1231,t1232,t1233,t1234,t1235,t1236,t1237,t1238,t1239,t1240,t1241,"
                        "t1242,t1243,t1244,t1245,t1246,t1247,t1248,t1249");
  EXPECT_TRUE(IdBatches({}, 100).empty());
}

}  // namespace
}  // namespace gx
