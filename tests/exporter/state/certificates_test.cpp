#include "exporter/state/certificates.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

// The `stage` label of genesys_tls_probe_error_info is part of the metric contract.
TEST(ProbeStageTest, LabelsAreTheMetricContract) {
  EXPECT_EQ(StageLabel(ProbeStage::kNone), "");
  EXPECT_EQ(StageLabel(ProbeStage::kSetup), "setup");
  EXPECT_EQ(StageLabel(ProbeStage::kResolve), "resolve");
  EXPECT_EQ(StageLabel(ProbeStage::kConnect), "connect");
  EXPECT_EQ(StageLabel(ProbeStage::kHandshake), "handshake");
}

TEST(TlsTargetTest, KeyBracketsAnIpv6Host) {
  TlsTarget t;
  t.host = "sip.example.com";
  t.port = 5061;
  EXPECT_EQ(t.key(), "sip.example.com:5061");
  t.host = "2001:db8::1";
  EXPECT_EQ(t.key(), "[2001:db8::1]:5061");
}

}  // namespace
}  // namespace gx
