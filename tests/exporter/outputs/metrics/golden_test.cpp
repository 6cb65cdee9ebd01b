// Golden exposition tests for the phones, users, trunks, edges and exporter
// health collectors, and promtool's linter over their combined output.
#include <unistd.h>

#include <array>
#include <cstdio>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

using testing::BuildHealth;
using testing::BuildScenario;
using testing::ExpectGolden;
using testing::Render;

class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildScenario(state_);
    BuildHealth(health_);
    options_.qos_mismatch_threshold = 10;
  }
  TelephonyState state_;
  HealthState health_;
  CollectorOptions options_;
};

TEST_F(GoldenTest, PhonesAggregated) {
  ExpectGolden("phones_aggregated.prom", Render(state_, health_, options_, {"phones", "phone_series"}));
}

TEST_F(GoldenTest, PhonesPerPhone) {
  options_.per_phone = true;
  ExpectGolden("phones_per_phone.prom", Render(state_, health_, options_, {"phones", "phone_series"}));
}

TEST_F(GoldenTest, Users) { ExpectGolden("users.prom", Render(state_, health_, options_, {"users"})); }

TEST_F(GoldenTest, Trunks) { ExpectGolden("trunks.prom", Render(state_, health_, options_, {"trunks"})); }

TEST_F(GoldenTest, Edges) { ExpectGolden("edges.prom", Render(state_, health_, options_, {"edges"})); }

TEST_F(GoldenTest, ExporterHealth) {
  ExpectGolden("exporter_health.prom", Render(state_, health_, options_, {"exporter_health"}));
}

TEST_F(GoldenTest, EmptyStateExportsNoUnknownFacts) {
  TelephonyState empty;
  HealthState fresh;
  const std::string text =
      Render(empty, fresh, options_, {"phones", "phone_series", "users", "trunks", "edges", "exporter_health"});
  // Only the OAuth counters are facts before anything ran.
  EXPECT_EQ(text.find("genesys_up "), std::string::npos);
  EXPECT_EQ(text.find("genesys_phones{"), std::string::npos);
  EXPECT_NE(text.find("genesys_oauth_token_requests_total 0"), std::string::npos);
}

TEST_F(GoldenTest, DeletedEntitiesLoseTheirSeries) {
  state_.ReplaceTrunks({}, testing::kT0 + 120 * kNanosPerSecond);
  state_.ReplaceEdges({}, testing::kT0 + 120 * kNanosPerSecond);
  const std::string text = Render(state_, health_, options_, {"trunks", "edges"});
  EXPECT_EQ(text, "");
}

// promtool check metrics prints nothing for clean input.
TEST_F(GoldenTest, PromtoolCheckMetricsIsClean) {
  options_.per_phone = true;
  const std::string text =
      Render(state_, health_, options_, {"exporter_health", "phones", "phone_series", "users", "trunks", "edges"});
  testing::ExpectPromtoolClean(text);
}

}  // namespace
}  // namespace gx
