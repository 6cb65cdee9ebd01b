// The `seed` format: the original Go service's StatusCheckPayload, exactly its eight fields
// with their Go types, one request per firing alert, and nothing for resolved ones.
#include "exporter/outputs/webhook/seed_format.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/exporter/outputs/webhook/receiver_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;

TEST(SeedFormatTest, MatchesGolden) {
  const auto requests = RenderSeed(SampleMessage(), RenderOptions{});
  ASSERT_EQ(requests.size(), 2u);
  ExpectGolden(requests[0].body, "seed.json");
}

TEST(SeedFormatTest, ExactlyTheEightFieldsWithTheirTypes) {
  AlertMessage n = SampleMessage();
  n.firing[1].labels = {{"alertname", "carrier_degradation"}, {"trunk_id", "t1"}};
  n.firing[1].facts = {};
  n.firing[1].facts.carrier_health = "degraded";
  const auto requests = RenderSeed(n, RenderOptions{});
  ASSERT_EQ(requests.size(), 2u);
  const std::set<std::string> kFields = {"timestamp", "userId", "deviceId", "registered",
                                         "codec",     "alertType", "carrierHealth", "tlsValid"};
  for (const auto& r : requests) {
    const YAML::Node m = ParseJson(r.body);
    std::set<std::string> keys;
    for (const auto& kv : m) keys.insert(kv.first.Scalar());
    EXPECT_EQ(keys, kFields) << r.body;
    for (const char* s : {"timestamp", "userId", "deviceId", "codec", "alertType", "carrierHealth"}) {
      EXPECT_TRUE(IsJsonString(m[s])) << s << " in " << r.body;
    }
    EXPECT_TRUE(IsJsonBool(m["registered"])) << r.body;
    EXPECT_TRUE(IsJsonBool(m["tlsValid"])) << r.body;
  }
  const YAML::Node trunk = ParseJson(requests[1].body);
  EXPECT_EQ(trunk["alertType"].Scalar(), "carrier_degradation");
  EXPECT_EQ(trunk["carrierHealth"].Scalar(), "degraded");
  EXPECT_EQ(trunk["deviceId"].Scalar(), "unknown");
  EXPECT_EQ(trunk["codec"].Scalar(), "unknown");
  EXPECT_EQ(trunk["registered"].Scalar(), "false");
  EXPECT_EQ(trunk["tlsValid"].Scalar(), "false");
  EXPECT_EQ(trunk["timestamp"].Scalar(), "2026-09-21T14:25:00Z");
}

TEST(SeedFormatTest, NothingForResolvedAlerts) {
  AlertMessage n = SampleMessage();
  n.firing.clear();
  EXPECT_TRUE(RenderSeed(n, RenderOptions{}).empty());
}

TEST(SeedFormatTest, TimestampsAreGoTimeJson) {
  EXPECT_EQ(FormatGoTime(kT0), "2026-09-21T14:13:20Z");
  EXPECT_EQ(FormatGoTime(kT0 + 120'000'000), "2026-09-21T14:13:20.12Z");
  EXPECT_EQ(FormatGoTime(kT0 + 1), "2026-09-21T14:13:20.000000001Z");
}

}  // namespace
}  // namespace gx
