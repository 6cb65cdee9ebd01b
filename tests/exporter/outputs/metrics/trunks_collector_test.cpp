// The trunks collector and the carrier alert agree on which trunks are carriers
// (IsCarrierTrunk): an untyped trunk that can page also has genesys_trunk_health.
#include <gtest/gtest.h>

#include <set>

#include "exporter/outputs/metrics/collectors.h"

namespace gx {
namespace {

std::set<std::string> HealthSeriesTrunks(const TelephonyData& t) {
  HealthData health;
  CollectorOptions options;
  MetricFamilies families;
  CollectTrunks(CollectInput{t, health, options}, families);
  std::set<std::string> out;
  for (const auto& f : families) {
    if (f.name != "genesys_trunk_health") continue;
    for (const auto& m : f.metric) {
      for (const auto& l : m.label) {
        if (l.name == "trunk_id") out.insert(l.value);
      }
    }
  }
  return out;
}

TEST(TrunksCollector, HealthSeriesForEveryCarrierTrunkIncludingUntyped) {
  TelephonyState s;
  Trunk external, untyped, phone;
  external.id = "t-ext";
  external.trunk_type = "EXTERNAL";
  untyped.id = "t-untyped";
  phone.id = "t-phone";
  phone.trunk_type = "PHONE";
  for (Trunk* t : {&external, &untyped, &phone}) t->connected = false;
  s.ReplaceTrunks({external, untyped, phone}, 1);
  EXPECT_EQ(HealthSeriesTrunks(*s.Snapshot()), (std::set<std::string>{"t-ext", "t-untyped"}));
}

}  // namespace
}  // namespace gx
