// How long genesys_sim takes to answer a 500-phone page (expand=status) of the large org
// (50,000 phones): over HTTP with a keep-alive client, and the JSON rendering alone.
// Run: build-sim/sim_phones_page_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <memory>
#include <shared_mutex>
#include <stdexcept>

#include "simulator/json_writer.h"
#include "simulator/render.h"
#include "simulator/sim_core.h"
#include "simulator/simulator.h"

namespace {

struct LargeSim {
  LargeSim() {
    auto s = gx::sim::LargeScenario();
    s.walk.enabled = false;
    s.rate_limit_per_minute = 1 << 30;
    s.tls_endpoints = false;
    sim = std::make_unique<gx::sim::Simulator>(s);
    if (gx::Status started = sim->Start(); !started) throw std::runtime_error("genesys_sim: " + started.error());
    httplib::Client c("127.0.0.1", sim->http_port());
    auto r = c.Post("/oauth/token", {{"Authorization", "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="}},
                    "grant_type=client_credentials", "application/x-www-form-urlencoded");
    auto pos = r->body.find("\"access_token\":\"") + 16;
    token = r->body.substr(pos, r->body.find('"', pos) - pos);
  }
  std::unique_ptr<gx::sim::Simulator> sim;
  std::string token;
};

LargeSim& Large() {
  static LargeSim s;
  return s;
}

void BM_HttpPhonesPage500(benchmark::State& state) {
  auto& l = Large();
  httplib::Client c("127.0.0.1", l.sim->http_port());
  c.set_keep_alive(true);
  httplib::Headers h = {{"Authorization", "Bearer " + l.token}};
  int page = 1;
  size_t bytes = 0;
  for (auto _ : state) {
    auto r = c.Get("/api/v2/telephony/providers/edges/phones?pageSize=500&expand=status&pageNumber=" +
                       std::to_string(page),
                   h);
    if (!r || r->status != 200) state.SkipWithError("request failed");
    bytes += r->body.size();
    page = page % 100 + 1;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["page_bytes"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_HttpPhonesPage500)->Unit(benchmark::kMillisecond);

void BM_HttpPhonesPage500SiteFilter(benchmark::State& state) {
  auto& l = Large();
  auto site = l.sim->SiteIds()[7];
  httplib::Client c("127.0.0.1", l.sim->http_port());
  c.set_keep_alive(true);
  httplib::Headers h = {{"Authorization", "Bearer " + l.token}};
  for (auto _ : state) {
    auto r = c.Get("/api/v2/telephony/providers/edges/phones?pageSize=500&expand=status&site.id=" + site, h);
    if (!r || r->status != 200) state.SkipWithError("request failed");
  }
}
BENCHMARK(BM_HttpPhonesPage500SiteFilter)->Unit(benchmark::kMillisecond);

void BM_RenderPhonesPage500(benchmark::State& state) {
  auto& core = Large().sim->core();
  gx::sim::RenderOptions o;
  size_t first = 0;
  for (auto _ : state) {
    gx::sim::JsonWriter w;
    w.Reserve(1 << 20);
    w.BeginArray();
    core.Read([&](const gx::sim::Org& org) {
      for (size_t k = first; k < first + 500; ++k) gx::sim::RenderPhone(w, org, org.phones_by_name[k], o);
    });
    w.EndArray();
    benchmark::DoNotOptimize(w.str().data());
    first = (first + 500) % 49500;
  }
}
BENCHMARK(BM_RenderPhonesPage500)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
