// Alert evaluation and dashboard rendering over a large org (50,000 phones on 50 sites).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/outputs/dashboard/dashboard.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'790'000'000LL * kNanosPerSecond;

Phone MakePhone(int i, bool registered) {
  Phone p;
  p.id = "phone-" + std::to_string(i);
  p.name = "Phone " + std::to_string(i);
  p.state = "active";
  p.site = {"site-" + std::to_string(i % 50), "Site " + std::to_string(i % 50)};
  p.media_codecs = {"audio/opus"};
  PhoneStatus st;
  st.operational_status = registered ? "OPERATIONAL" : "OFFLINE";
  st.lines = {LineStatus{p.id + "-l0", registered, "", std::nullopt}};
  p.status = st;
  return p;
}

// 50,000 phones; the first `down` of them unregistered.
TelephonyState& Org(int down) {
  static std::map<int, std::unique_ptr<TelephonyState>> orgs;
  auto& s = orgs[down];
  if (!s) {
    s = std::make_unique<TelephonyState>();
    std::vector<Phone> phones;
    for (int i = 0; i < 50000; ++i) phones.push_back(MakePhone(i, i >= down));
    s->ReplacePhones(phones, kT0);
  }
  return *s;
}

void BM_EvaluatePerPhone(benchmark::State& state) {
  const int down = static_cast<int>(state.range(0));
  TelephonyState& t = Org(down);
  HealthData h;
  AlertingConfig cfg;
  cfg.per_phone = true;
  AlertSet previous = t.Read([&](const TelephonyData& d) { return EvaluateAlerts({}, d, h, cfg, {}, kT0).alerts; });
  for (auto _ : state) {
    auto eval = t.Read([&](const TelephonyData& d) { return EvaluateAlerts(previous, d, h, cfg, {}, kT0 + 1); });
    benchmark::DoNotOptimize(eval.alerts.size());
  }
  state.counters["alerts"] = static_cast<double>(previous.size());
}
BENCHMARK(BM_EvaluatePerPhone)->Arg(0)->Arg(5000)->Arg(50000)->Unit(benchmark::kMillisecond);

void BM_RenderDashboardPerPhone(benchmark::State& state) {
  TelephonyState& t = Org(5000);
  HealthData h;
  DashboardFilters f;
  f.limit = static_cast<std::size_t>(state.range(0));
  DashboardOptions o;
  o.per_phone = true;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = t.Read([&](const TelephonyData& d) { return RenderDashboard(d, h, {}, f, o, kT0); });
    bytes = body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderDashboardPerPhone)->Arg(1000)->Arg(5000)->Arg(50000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gx

BENCHMARK_MAIN();
