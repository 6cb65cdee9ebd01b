#include "exporter/state/trunk_health.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

Trunk Connected() {
  Trunk t;
  t.connected = true;
  t.in_service = true;
  t.options_enabled_status = "ENABLED";
  t.registers_enabled_status = "ENABLED";
  t.options = {{"a.example:5061", true, {}, ""}, {"b.example:5061", true, {}, ""}};
  t.registers = {{"a.example:5061", true, {}, ""}};
  return t;
}

TEST(TrunkHealthTest, UpHasNoReason) {
  const auto a = AssessTrunkHealth(Connected(), nullptr, 0);
  EXPECT_EQ(a.health, TrunkHealth::kUp);
  EXPECT_EQ(a.reason, "");
}

TEST(TrunkHealthTest, DisconnectedAndOutOfServiceAreDown) {
  Trunk t = Connected();
  t.connected = false;
  t.in_service = false;
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).health, TrunkHealth::kDown);
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).reason, "disconnected");
  t.connected = true;
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).reason, "not in service");
  EXPECT_EQ(ComputeTrunkHealth(t, nullptr, 0), TrunkHealth::kDown);
}

TEST(TrunkHealthTest, SomeProxiesDownIsDegradedAndNamesThem) {
  Trunk t = Connected();
  t.options[1].up = false;
  auto a = AssessTrunkHealth(t, nullptr, 0);
  EXPECT_EQ(a.health, TrunkHealth::kDegraded);
  EXPECT_EQ(a.reason, "OPTIONS down on 1 of 2 proxies (b.example:5061)");
  t.registers[0].up = false;
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).reason,
            "OPTIONS down on 1 of 2 proxies (b.example:5061); REGISTER down on 1 of 1 proxy (a.example:5061)");
}

TEST(TrunkHealthTest, EveryMonitoredProxyDownIsDown) {
  Trunk t = Connected();
  for (auto& p : t.options) p.up = false;
  t.registers_enabled_status = "DISABLED";  // its proxy is up, but not monitored
  auto a = AssessTrunkHealth(t, nullptr, 0);
  EXPECT_EQ(a.health, TrunkHealth::kDown);
  EXPECT_EQ(a.reason, "every proxy down: OPTIONS 2 of 2");
  t.registers_enabled_status = "ENABLED";
  t.registers[0].up = false;
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).reason, "every proxy down: OPTIONS 2 of 2, REGISTER 1 of 1");
}

TEST(TrunkHealthTest, QosMismatchesAboveTheThresholdDegrade) {
  TrunkMetrics m;
  m.qos_mismatches = 12;
  auto a = AssessTrunkHealth(Connected(), &m, 0);
  EXPECT_EQ(a.health, TrunkHealth::kDegraded);
  EXPECT_EQ(a.reason, "QoS: 12 mismatches (threshold 0)");
  EXPECT_EQ(AssessTrunkHealth(Connected(), &m, 12).health, TrunkHealth::kUp);
  m.qos_mismatches = 1;
  EXPECT_EQ(AssessTrunkHealth(Connected(), &m, 0).reason, "QoS: 1 mismatch (threshold 0)");
}

TEST(TrunkHealthTest, ManyDownProxiesListAtMostThreeAddresses) {
  Trunk t = Connected();
  t.options.clear();
  for (int i = 0; i < 5; ++i) t.options.push_back({"p" + std::to_string(i), i == 0, {}, ""});
  EXPECT_EQ(AssessTrunkHealth(t, nullptr, 0).reason, "OPTIONS down on 4 of 5 proxies (p1, p2, p3, ...)");
}

}  // namespace
}  // namespace gx
