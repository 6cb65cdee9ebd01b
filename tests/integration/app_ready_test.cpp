// The whole exporter (App) against an in-process genesys_sim: /-/ready stays 503
// while the first poll cannot complete, turns 200 once it has, and /metrics then
// agrees with the simulator's truth and passes promtool.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "exporter/app/app.h"
#include "exporter/config/config_loader.h"
#include "simulator/simulator.h"
#include "tests/exporter/util/wait_for.h"

namespace gx {
namespace {

using gx::testing::WaitFor;

Config ConfigFor(const sim::Simulator& simulator, const std::string& spool) {
  Config c;
  ConfigErrors errors;
  ParseConfigYaml("collection:\n  intervals:\n    phones: 1s\n    trunks: 1s\n    edges: 1s\n"
                  "notifications:\n  enabled: false\n"
                  "tls_probes:\n  enabled: false\n"
                  "alerting:\n  spool_dir: " + spool + "\n",
                  "test.yml", c, errors);
  FinishConfig(c,
               [&](const std::string& name) -> std::optional<std::string> {
                 if (name == "GENESYS_CLIENT_ID") return std::string("demo-client");
                 if (name == "GENESYS_CLIENT_SECRET") return std::string("demo-secret");
                 if (name == "GENESYS_API_URL" || name == "GENESYS_LOGIN_URL") return simulator.base_url();
                 return std::nullopt;
               },
               errors);
  EXPECT_TRUE(errors.ok()) << errors.messages[0];
  c.web.listen_addresses = {"127.0.0.1:0"};
  return c;
}

std::string Scrape(httplib::Client& client) {
  auto res = client.Get("/metrics");
  return res ? res->body : std::string();
}

TEST(AppAgainstSimulator, ReadyOnlyAfterFirstFullPollThenMetricsMatchTruth) {
  sim::Scenario scenario = sim::DemoScenario();
  scenario.timeline.clear();  // a still org, so that metrics and truth can be compared
  scenario.faults.clear();
  scenario.walk.enabled = false;
  sim::Simulator simulator(scenario);
  const Status simulating = simulator.Start(0);
  ASSERT_TRUE(simulating.ok()) << simulating.error();
  // Every phones page fails until the fault is removed: no complete inventory yet.
  sim::FaultSpec fault;
  fault.kind = "server_error";
  fault.path = "/api/v2/telephony/providers/edges/phones";
  fault.status = 503;
  const int fault_id = simulator.InjectFault(fault);

  char spool[] = "/tmp/gx_app_ready_XXXXXX";
  ASSERT_NE(mkdtemp(spool), nullptr);
  App app(ConfigFor(simulator, spool));
  const Status started = app.Start();
  ASSERT_TRUE(started.ok()) << started.error();
  httplib::Client client("127.0.0.1", app.http_ports()[0]);

  // Trunks and edges load; phones keep failing, so the exporter is not ready.
  ASSERT_TRUE(WaitFor([&] { return Scrape(client).find("genesys_collector_up{collector=\"trunks\"} 1") !=
                                   std::string::npos; },
                      std::chrono::seconds(30)));
  // The phones cycle is failing or still retrying inside its first cycle: never up.
  EXPECT_EQ(Scrape(client).find("genesys_collector_up{collector=\"phones\"} 1"), std::string::npos);
  EXPECT_EQ(client.Get("/-/ready")->status, 503);

  ASSERT_TRUE(simulator.RemoveFault(fault_id));
  ASSERT_TRUE(WaitFor([&] { return client.Get("/-/ready")->status == 200; }, std::chrono::seconds(60)));

  // The phone counts per site and status equal the simulator's truth.
  const std::string metrics = Scrape(client);
  auto truth = httplib::Client(simulator.base_url()).Get("/sim/v1/truth");
  ASSERT_TRUE(truth);
  for (const char* site : {"HQ", "Branch East", "Branch West"}) {
    SCOPED_TRACE(site);
    // "phones":N for the site, read from the truth's site object.
    auto at = truth->body.find(std::string("\"name\":\"") + site + "\"");
    ASSERT_NE(at, std::string::npos);
    auto phones_at = truth->body.find("\"phones\":", at);
    int phones = std::stoi(truth->body.substr(phones_at + 9));
    auto registered_at = truth->body.find("\"phonesRegistered\":", at);
    int registered = std::stoi(truth->body.substr(registered_at + 19));
    EXPECT_NE(metrics.find(std::string("genesys_phones_registered{site=\"") + site + "\"} " +
                           std::to_string(registered)),
              std::string::npos);
    int total = 0;
    for (const char* status : {"OPERATIONAL", "DEGRADED", "OFFLINE", "UNKNOWN"}) {
      auto key = std::string("genesys_phones{site=\"") + site + "\",status=\"" + status + "\"} ";
      auto p = metrics.find(key);
      ASSERT_NE(p, std::string::npos) << key;
      total += std::stoi(metrics.substr(p + key.size()));
    }
    EXPECT_EQ(total, phones);
  }

  const std::string path = std::string(spool) + "/metrics.txt";
  std::ofstream(path) << metrics;
  FILE* p = popen(("promtool check metrics < " + path + " 2>&1").c_str(), "r");
  std::string lint;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) lint.append(buf, n);
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 0);
  EXPECT_EQ(lint, "");

  app.Stop();
  simulator.Stop();
  std::system(("rm -rf " + std::string(spool)).c_str());
}

}  // namespace
}  // namespace gx
