#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "collectors/collectors.h"

namespace gx {
namespace {

std::string Render(const HealthData& health) {
  TelephonyState state;
  CollectorOptions options;
  MetricFamilies families;
  state.Read([&](const TelephonyData& d) {
    CollectSpool(CollectInput{d, health, options}, families);
    return 0;
  });
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, families);
  return os.str();
}

TEST(SpoolCollectorTest, WritableIsOneUntilAWriteFails) {
  HealthState h;
  h.Update([](HealthData& d) { d.spool.in_use = true; });
  auto text = h.Read([](const HealthData& d) { return Render(d); });
  EXPECT_NE(text.find("# TYPE genesys_spool_writable gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_spool_writable 1\n"), std::string::npos) << text;
  h.RecordSpoolWrite("alert state", "open /x/alerts.state.tmp: No such file or directory");
  text = h.Read([](const HealthData& d) { return Render(d); });
  EXPECT_NE(text.find("\ngenesys_spool_writable 0\n"), std::string::npos) << text;
  h.RecordSpoolWrite("alert state", "");
  text = h.Read([](const HealthData& d) { return Render(d); });
  EXPECT_NE(text.find("\ngenesys_spool_writable 1\n"), std::string::npos) << text;
}

TEST(SpoolCollectorTest, AFailedStartCheckLastsUntilAWriteSucceeds) {
  HealthState h;
  h.Update([](HealthData& d) { d.spool.in_use = true; });
  h.RecordSpoolWrite(kSpoolFolderWriter, "alerting.spool_dir: /dev/null is not a directory");
  h.RecordSpoolWrite("receiver ops #0", "spool: /dev/null is not a directory");
  EXPECT_NE(h.Read([](const HealthData& d) { return Render(d); }).find("genesys_spool_writable 0"), std::string::npos);
  h.RecordSpoolWrite("receiver ops #0", "");
  EXPECT_NE(h.Read([](const HealthData& d) { return Render(d); }).find("genesys_spool_writable 1"), std::string::npos);
}

TEST(SpoolCollectorTest, NoSeriesWhenAlertingIsOff) {
  EXPECT_EQ(Render(HealthData{}).find("genesys_spool_writable "), std::string::npos);
}

}  // namespace
}  // namespace gx
