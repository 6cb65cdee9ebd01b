// TelephonyState snapshot benchmarks (issue 13).
//  BM_PushPublish/N: one pushed phone status applied and published as its own
//    snapshot (the worst case: a batch of one) in an org of N phones, while a
//    reader keeps the previous snapshot alive. Time per event, on one core.
//  BM_PushBatch/N: 64 pushed statuses in one Write(): one snapshot per batch.
//  BM_Snapshot: taking the current snapshot (what every reader does once).
//  BM_FullCopy/N: for comparison, copying the phones alone as a flat map, which
//    is what publishing would cost without per-table copy-on-write.
#include <benchmark/benchmark.h>

#include <unordered_map>
#include <vector>

#include "exporter/state/telephony_state.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1'790'000'000LL * kNanosPerSecond;

Phone MakePhone(int i) {
  Phone p;
  char id[48];
  std::snprintf(id, sizeof id, "%08x-0000-4000-8000-%012d", i * 2654435761u, i);  // UUID-like, unordered
  p.id = id;
  p.name = "Phone " + std::to_string(i);
  p.site = {"site-" + std::to_string(i % 50), "Site " + std::to_string(i % 50)};
  p.line_ids = {"line-" + p.id};
  p.manufacturer = "Poly";
  p.model = "VVX 450";
  PhoneStatus s;
  s.operational_status = "OPERATIONAL";
  s.event_creation_time = kT0;
  s.lines = {{"line-" + p.id, true}};
  p.status = s;
  return p;
}

std::vector<Phone> Org(int n) {
  std::vector<Phone> phones;
  phones.reserve(n);
  for (int i = 0; i < n; ++i) phones.push_back(MakePhone(i));
  return phones;
}

PhoneStatusUpdate Push(const Phone& p, UnixNanos t, bool reachable) {
  PhoneStatusUpdate u;
  u.phone_id = p.id;
  u.status = p.status;
  u.status->event_creation_time = t;
  u.status->operational_status = reachable ? "OPERATIONAL" : "OFFLINE";
  u.status->lines[0].reachable = reachable;
  return u;
}

void BM_PushPublish(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  const std::vector<Phone> phones = Org(n);
  TelephonyState state;
  state.ReplacePhones(phones, kT0);
  UnixNanos t = kT0;
  std::size_t i = 0;
  for (auto _ : st) {
    TelephonySnapshot reader = state.Snapshot();  // a scrape or an evaluation holding the last one
    t += 1000;
    const Phone& p = phones[(i++ * 7919) % phones.size()];
    benchmark::DoNotOptimize(state.ApplyPhoneStatus(Push(p, t, (i & 1) == 0), t));
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_PushPublish)->Arg(5000)->Arg(50000)->Arg(200000);

void BM_PushBatch(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  constexpr int kBatch = 64;
  const std::vector<Phone> phones = Org(n);
  TelephonyState state;
  state.ReplacePhones(phones, kT0);
  UnixNanos t = kT0;
  std::size_t i = 0;
  for (auto _ : st) {
    TelephonySnapshot reader = state.Snapshot();
    state.Write([&](TelephonyWriter& w) {
      for (int k = 0; k < kBatch; ++k) {
        t += 1000;
        const Phone& p = phones[(i++ * 7919) % phones.size()];
        w.ApplyPhoneStatus(Push(p, t, (i & 1) == 0), t);
      }
    });
  }
  st.SetItemsProcessed(st.iterations() * kBatch);
}
BENCHMARK(BM_PushBatch)->Arg(50000);

void BM_Snapshot(benchmark::State& st) {
  TelephonyState state;
  state.ReplacePhones(Org(50000), kT0);
  for (auto _ : st) benchmark::DoNotOptimize(state.Snapshot());
}
BENCHMARK(BM_Snapshot);

void BM_FullCopy(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  std::unordered_map<std::string, PhoneEntry> flat;
  for (auto& p : Org(n)) {
    PhoneEntry e;
    e.phone = p;
    flat.emplace(p.id, std::move(e));
  }
  for (auto _ : st) {
    auto copy = flat;
    benchmark::DoNotOptimize(copy);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_FullCopy)->Arg(50000);

void BM_ReplacePhones(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  const std::vector<Phone> phones = Org(n);
  TelephonyState state;
  state.ReplacePhones(phones, kT0);
  UnixNanos t = kT0;
  for (auto _ : st) {
    t += kNanosPerSecond;
    state.ReplacePhones(phones, t);  // a full poll cycle's inventory
  }
}
BENCHMARK(BM_ReplacePhones)->Arg(50000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gx

BENCHMARK_MAIN();
