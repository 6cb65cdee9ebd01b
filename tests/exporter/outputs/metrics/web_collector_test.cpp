// genesys_web_*: the web server's connections, with every reason from the start.
#include <gtest/gtest.h>

#include "exporter/outputs/metrics/collectors.h"
#include "tests/exporter/outputs/metrics/scenario.h"

namespace gx {
namespace {

std::string Render(const HealthState& health) {
  return testing::Render(TelephonyState{}, health, CollectorOptions{}, {"web"});
}

TEST(WebCollectorTest, NothingBeforeTheServerStarts) { EXPECT_EQ(Render(HealthState{}), ""); }

TEST(WebCollectorTest, ConnectionsAndEveryReason) {
  HealthState h;
  h.Update([](HealthData& d) {
    d.web.serving = true;
    d.web.max_connections = 512;
    d.web.open = 3;
    d.web.accepted = 10;
    d.web.closed["evicted"] = 4;
    d.web.closed["client"] = 3;
    d.web.rejected["max_connections"] = 2;
  });
  const std::string text = Render(h);
  EXPECT_NE(text.find("\ngenesys_web_connections 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_web_max_connections 512\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_web_connections_accepted_total 10\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_web_connections_closed_total{reason=\"evicted\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ngenesys_web_connections_closed_total{reason=\"header_timeout\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("\ngenesys_web_connections_rejected_total{reason=\"max_connections\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("\ngenesys_web_connections_rejected_total{reason=\"accept_error\"} 0\n"), std::string::npos);
  for (const char* reason : kWebCloseReasons) {
    EXPECT_NE(text.find(std::string("closed_total{reason=\"") + reason + "\"}"), std::string::npos) << reason;
  }
}

}  // namespace
}  // namespace gx
