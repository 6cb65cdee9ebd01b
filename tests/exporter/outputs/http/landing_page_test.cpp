#include "exporter/outputs/http/landing_page.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

TEST(LandingPageTest, SaysWhenTheSpoolFolderCannotBeWritten) {
  HealthData h;
  h.spool.in_use = true;
  h.spool.dir = "/dev/null/spool";
  h.spool.errors[kSpoolFolderWriter] =
      "alerting.spool_dir: create directory /dev/null/spool: /dev/null is not a <directory>";
  const std::string page = RenderLandingPage(h, "/metrics", 0);
  EXPECT_NE(page.find("<h2>Spool folder</h2>"), std::string::npos) << page;
  EXPECT_NE(page.find("/dev/null/spool: <span class=\"down\">not writable</span>"), std::string::npos) << page;
  EXPECT_NE(page.find("/dev/null is not a &lt;directory&gt;"), std::string::npos) << page;  // escaped
}

TEST(LandingPageTest, SaysWhenTheSpoolFolderIsFine) {
  HealthData h;
  h.spool.in_use = true;
  h.spool.dir = "/var/lib/genesys_exporter/spool";
  const std::string page = RenderLandingPage(h, "/metrics", 0);
  EXPECT_NE(page.find("/var/lib/genesys_exporter/spool: <span class=\"up\">writable</span>"), std::string::npos)
      << page;
}

TEST(LandingPageTest, NoSpoolSectionWhenAlertingIsOff) {
  EXPECT_EQ(RenderLandingPage(HealthData{}, "/metrics", 0).find("Spool folder"), std::string::npos);
}

}  // namespace
}  // namespace gx
