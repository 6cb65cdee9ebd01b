#include "exporter/state/domain_facts.h"

#include <gtest/gtest.h>

#include "exporter/state/registration.h"

namespace gx {
namespace {

TEST(DomainFacts, CarrierTrunksAreExternalOrUntyped) {
  Trunk t;
  EXPECT_TRUE(IsCarrierTrunk(t));  // unknown type: watched as a carrier, never ignored
  t.trunk_type = "EXTERNAL";
  EXPECT_TRUE(IsCarrierTrunk(t));
  t.trunk_type = "PHONE";
  EXPECT_FALSE(IsCarrierTrunk(t));
  t.trunk_type = "EDGE";
  EXPECT_FALSE(IsCarrierTrunk(t));
}

TEST(DomainFacts, SiteLabelIsNameThenIdThenNone) {
  EXPECT_EQ(SiteLabel({"s1", "HQ"}), "HQ");
  EXPECT_EQ(SiteLabel({"s1", ""}), "s1");
  EXPECT_EQ(SiteLabel({}), "none");
  Phone p;
  EXPECT_EQ(PhoneSiteLabel(p), SiteLabel(p.site));
}

TEST(DomainFacts, TrunkHealthReadsTheMetricsOfTheSameSnapshot) {
  TelephonyState s;
  Trunk t;
  t.id = "t1";
  t.connected = true;
  s.ReplaceTrunks({t}, 1);
  EXPECT_EQ(TrunkHealthOf(*s.Snapshot(), t, 5), TrunkHealth::kUp);
  ASSERT_TRUE(s.ApplyTrunkMetrics({"t1", std::nullopt, 0, 0, 9}, 2));
  EXPECT_EQ(TrunkHealthOf(*s.Snapshot(), t, 5), TrunkHealth::kDegraded);
}

}  // namespace
}  // namespace gx
