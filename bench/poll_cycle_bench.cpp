// Full REST polling cycle against the simulator's `large` org (50,000 phones,
// 1,000 trunks, 200 edges): requests per cycle against the formula of
// docs/api-budget.md, cycle time, and resident memory.
//
//   poll_cycle_bench [--cycles N] [--budget REQ_PER_MIN] [--users U]
//
// Without --budget the client-side budget is lifted so the cycle time is the
// cost of the work itself; with --budget 150 it is the wall time of a cold
// full cycle under the default budget. The simulator runs in-process, so RSS
// is reported before the exporter side starts and after its cycles.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <spdlog/spdlog.h>

#include "exporter/genesys/api/api_factory.h"
#include "exporter/sources/poll/poll_scheduler.h"
#include "exporter/sources/poll/request_cost.h"
#include "exporter/util/logging.h"
#include "simulator/simulator.h"

namespace {

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  int cycles = 3;
  int budget = 0;
  int users = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--cycles")) cycles = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--budget")) budget = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--users")) users = std::stoi(argv[i + 1]);
  }
  spdlog::set_level(spdlog::level::warn);  // genesys_sim's log
  gx::SetupLogging("warn", gx::LogFormat::kLogfmt);

  gx::sim::Scenario scenario = gx::sim::LargeScenario();
  scenario.walk.enabled = false;
  scenario.tls_endpoints = false;
  if (budget == 0) scenario.rate_limit_per_minute = 1'000'000;
  gx::sim::Simulator sim(scenario);
  if (gx::Status started = sim.Start(0); !started) {
    std::fprintf(stderr, "simulator: %s\n", started.error().c_str());
    return 1;
  }
  long rss_sim = RssKiB();

  gx::Config config;
  config.genesys.client_id = scenario.client_id;
  config.genesys.client_secret = scenario.client_secret;
  config.genesys.api_url = sim.base_url();
  config.genesys.login_url = sim.base_url();
  config.rate_limit.requests_per_minute = budget > 0 ? budget : 1'000'000;
  config.collection.page_size = 500;
  auto ids = sim.UserIds();
  if (static_cast<int>(ids.size()) > users) ids.resize(static_cast<size_t>(users));
  config.collection.users = ids;

  gx::HealthState health;
  gx::TelephonyState state;
  auto made = gx::MakeApiStack(config, health, gx::SystemClock::Instance());
  if (!made) {
    std::fprintf(stderr, "api: %s\n", made.error().c_str());
    return 1;
  }
  const std::unique_ptr<gx::ApiStack> api = std::move(made).value();
  gx::PollScheduler scheduler(config, api->api(), state, health, gx::SystemClock::Instance());

  std::printf("scenario=large budget=%s page_size=500 followed_users=%zu\n",
              budget > 0 ? std::to_string(budget).c_str() : "unlimited", ids.size());
  for (int c = 0; c < cycles; ++c) {
    sim.ResetRequests();
    auto t0 = std::chrono::steady_clock::now();
    bool ok = scheduler.RunFullCycle();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::uint64_t ours = 0;
    std::string per;
    health.Read([&](const gx::HealthData& d) {
      for (const auto& name : scheduler.source_names()) {
        auto n = d.sources.at(name).last_cycle_requests;
        ours += n;
        per += " " + name + "=" + std::to_string(n);
      }
    });
    std::uint64_t seen = 0;
    for (const auto& [endpoint, by_status] : sim.GetTruth().requests) {
      if (endpoint == "/oauth/token") continue;
      for (const auto& [status, n] : by_status) seen += n;
    }
    gx::OrgSize org = state.Read([&](const gx::TelephonyData& d) {
      gx::OrgSize o;
      o.phones = static_cast<std::int64_t>(d.phones.size());
      o.stations = static_cast<std::int64_t>(d.stations.size());
      o.followed_users = static_cast<std::int64_t>(ids.size());
      o.trunks = static_cast<std::int64_t>(d.trunks.size());
      o.trunk_bases = static_cast<std::int64_t>(d.trunk_bases.size());
      for (const auto& [id, t] : d.trunks) o.external_trunks += t.trunk.trunk_type == "EXTERNAL";
      o.edges = static_cast<std::int64_t>(d.edges.size());
      return o;
    });
    gx::CycleCost cost = gx::FullCycleCost(org, 500);
    std::printf(
        "cycle %d: ok=%d time=%.2fs requests=%llu (simulator saw %llu) formula=%lld "
        "[phones=%lld stations=%lld trunks=%lld trunk_metrics=%lld edges=%lld edge_metrics=%lld]\n"
        "  measured:%s\n  org: phones=%lld stations=%lld trunks=%lld (external %lld) trunk_bases=%lld edges=%lld\n",
        c + 1, ok, secs, static_cast<unsigned long long>(ours), static_cast<unsigned long long>(seen),
        static_cast<long long>(cost.total()), static_cast<long long>(cost.phones),
        static_cast<long long>(cost.stations), static_cast<long long>(cost.trunks),
        static_cast<long long>(cost.trunk_metrics), static_cast<long long>(cost.edges),
        static_cast<long long>(cost.edge_metrics), per.c_str(), static_cast<long long>(org.phones),
        static_cast<long long>(org.stations), static_cast<long long>(org.trunks),
        static_cast<long long>(org.external_trunks), static_cast<long long>(org.trunk_bases),
        static_cast<long long>(org.edges));
  }
  scheduler.UpdateIntervals();
  std::printf("stretch factor at the default 150/min budget: ");
  config.rate_limit.requests_per_minute = 150;
  scheduler.UpdateIntervals();
  std::printf("%.2f (phones every %.0fs)\n", scheduler.stretch_factor(), scheduler.effective_interval("phones"));
  long rss_end = RssKiB();
  std::printf("rss: simulator alone %ld KiB, after cycles %ld KiB, exporter side ~%ld KiB\n", rss_sim, rss_end,
              rss_end - rss_sim);
  api->Stop();
  sim.Stop();
  return 0;
}
