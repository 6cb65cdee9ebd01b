// The real binaries: a first phones poll of 12 pages, each answered slowly by genesys_sim,
// takes longer than the progress log interval. While it runs, /metrics and the landing page
// show pages done of expected, and the log says how far it has come; once ready, done equals
// expected.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/integration/child_process.h"
#include "tests/integration/real_binaries.h"
#include "tests/simulator/sim_test_util.h"

namespace gx {
namespace {

using gx::sim::testing::WaitFor;
using gx::testing::ChildProcess;
using gx::testing::kExporterBinary;
using gx::testing::SimProcess;
using gx::testing::WaitForPort;

// The value of `series` in the exposition, or -1.
double Value(const std::string& metrics, const std::string& series) {
  const auto at = metrics.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(metrics.substr(at + series.size() + 2));
}

TEST(FirstPollProgress, PagesDoneOfExpectedAreShownAndLoggedWhileTheFirstPollRuns) {
  ASSERT_TRUE(std::filesystem::exists(kExporterBinary) && std::filesystem::exists(gx::testing::kSimBinary));
  char dir_template[] = "/tmp/gx_first_poll-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  // 300 phones at 25 per page: 12 pages, each answered after 1.2 s.
  SimProcess sim(dir,
                 "name: progress\nseed: 5\n"
                 "org:\n  sites:\n    - {name: HQ, edges: 1, phones: 300}\n"
                 "  users: 1\n  external_trunks: 1\n"
                 "random_walk:\n  enabled: false\n"
                 "faults:\n  - {kind: slow, path: edges/phones, delay_s: 1.2, count: -1}\n");
  ASSERT_GT(sim.port(), 0) << sim.Log();
  const std::string base = sim.base_url();
  std::ofstream(dir + "/exporter.yml") << "rate_limit:\n  requests_per_minute: 290\n"
                                          "collection:\n  page_size: 25\n"
                                          "notifications:\n  enabled: false\n"
                                          "tls_probes:\n  enabled: false\n"
                                          "alerting:\n  enabled: false\n";
  ChildProcess exporter({kExporterBinary, "--config.file=" + dir + "/exporter.yml", "--web.listen-address=127.0.0.1:0",
                         "--web.port-file=" + dir + "/exporter.port"},
                        {"GENESYS_CLIENT_ID=demo-client", "GENESYS_CLIENT_SECRET=demo-secret",
                         "GENESYS_API_URL=" + base, "GENESYS_LOGIN_URL=" + base},
                        dir + "/exporter.log");
  const int port = WaitForPort(dir + "/exporter.port", exporter);
  ASSERT_GT(port, 0) << exporter.Log();
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(30, 0);
  auto metrics = [&] {
    auto r = http.Get("/metrics");
    return r ? r->body : std::string();
  };
  const std::string done = "genesys_collector_pages_done{collector=\"phones\"}";
  const std::string expected = "genesys_collector_pages_expected{collector=\"phones\"}";

  // Part way: some pages read, 12 expected, not ready, and the landing page says so.
  ASSERT_TRUE(WaitFor([&] { return Value(metrics(), done) >= 2; }, std::chrono::seconds(60))) << exporter.Log();
  const std::string during = metrics();
  EXPECT_EQ(Value(during, expected), 12) << during;
  EXPECT_LT(Value(during, done), 12) << during;
  EXPECT_EQ(http.Get("/-/ready")->status, 503);
  const std::string page = http.Get("/")->body;
  EXPECT_TRUE(std::regex_search(page, std::regex("<tr><td>phones</td><td>[^<]*<br>first poll: page [0-9]+ of 12</td>")))
      << page;

  // The log says how far it has come, at most every 10 s, and when it is done.
  ASSERT_TRUE(WaitFor([&] { return http.Get("/-/ready")->status == 200; }, std::chrono::seconds(90)))
      << exporter.Log();
  const std::string log = exporter.Log();
  EXPECT_TRUE(std::regex_search(
      log,
      std::regex("msg=\"first poll progress\" collector=phones pages_done=[0-9]+ pages_expected=12 percent=[0-9]+")))
      << log;
  EXPECT_NE(log.find("msg=\"first poll progress\" collector=phones pages_done=12 pages_expected=12 percent=100\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(Value(metrics(), done), 12);
  EXPECT_TRUE(exporter.Kill(SIGTERM));
  EXPECT_TRUE(sim.Stop());
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gx
