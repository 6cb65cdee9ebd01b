#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

std::string Render(const HealthState& health) {
  return testing::Render(TelephonyState{}, health, CollectorOptions{}, {"spool"});
}

TEST(SpoolCollectorTest, WritableIsOneUntilAWriteFails) {
  HealthState h;
  h.Update([](HealthData& d) { d.spool.in_use = true; });
  auto text = Render(h);
  EXPECT_NE(text.find("# TYPE genesys_spool_writable gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_spool_writable 1\n"), std::string::npos) << text;
  h.RecordSpoolWrite("alert state", Status::Error("open /x/alerts.state.tmp: No such file or directory"));
  text = Render(h);
  EXPECT_NE(text.find("\ngenesys_spool_writable 0\n"), std::string::npos) << text;
  h.RecordSpoolWrite("alert state", Status::Ok());
  text = Render(h);
  EXPECT_NE(text.find("\ngenesys_spool_writable 1\n"), std::string::npos) << text;
}

TEST(SpoolCollectorTest, AFailedStartCheckLastsUntilAWriteSucceeds) {
  HealthState h;
  h.Update([](HealthData& d) { d.spool.in_use = true; });
  h.RecordSpoolWrite(kSpoolFolderWriter, Status::Error("alerting.spool_dir: /dev/null is not a directory"));
  h.RecordSpoolWrite("receiver ops #0", Status::Error("spool: /dev/null is not a directory"));
  EXPECT_NE(Render(h).find("genesys_spool_writable 0"), std::string::npos);
  h.RecordSpoolWrite("receiver ops #0", Status::Ok());
  EXPECT_NE(Render(h).find("genesys_spool_writable 1"), std::string::npos);
}

TEST(SpoolCollectorTest, NoSeriesWhenAlertingIsOff) {
  EXPECT_EQ(Render(HealthState{}).find("genesys_spool_writable "), std::string::npos);
}

}  // namespace
}  // namespace gx
