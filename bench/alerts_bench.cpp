// Alert evaluation and dashboard rendering over a large org (50,000 phones on 50 sites).
//  BM_EvaluatePerPhone: a full evaluation (every phone looked at).
//  BM_EvaluateAfterOnePush: the engine's evaluation after one pushed status, with the
//    phones' verdicts (PhoneConditions) and the alert set (AlertTable) kept from the
//    previous one.
//  BM_EvaluateAfterPushesLargeOrg: the same on the large org of push_load_bench.py, with
//    also 1,000 trunks (600 carriers, 50 of them degraded or down) with their metrics and
//    200 edges (10 offline), so that the trunks' and edges' conditions are active too.
//    Args: what is pushed before each evaluation (0: phone statuses, flipping the first 5,000
//    phones by id in turn as push_load_bench.py does; 1: a trunk's metrics, one carrier's QoS),
//    and how many (200: push_load_bench.py's 1,000 events/s within the engine's 200 ms
//    debounce). items_per_second: pushed events per second of evaluation.
//  BM_OutageWriterLatency: a real AlertEngine over 50,000 phones when all of them go
//    down at once: the time until every alert message reached the sink, and meanwhile
//    the latency of a pushed status write (TelephonyState::Write) every millisecond.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "exporter/outputs/alerts/alert_engine.h"
#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/outputs/alerts/alert_table.h"
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
  st.lines = {LineStatus{p.id + "-l0", registered}};
  p.status = st;
  return p;
}

// A pushed status of phone `i`, registered or not, applied at `now`.
void PushPhone(TelephonyState& t, int i, bool registered, UnixNanos now) {
  PhoneStatusUpdate u;
  u.phone_id = "phone-" + std::to_string(i);
  u.status = MakePhone(i, registered).status;
  u.status->event_creation_time = now;
  t.ApplyPhoneStatus(u, now);
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

void BM_EvaluateAfterOnePush(benchmark::State& state) {
  const int down = static_cast<int>(state.range(0));
  TelephonyState t;
  {
    std::vector<Phone> phones;
    for (int i = 0; i < 50000; ++i) phones.push_back(MakePhone(i, i >= down));
    t.ReplacePhones(phones, kT0);
  }
  HealthData h;
  AlertingConfig cfg;
  cfg.per_phone = true;
  PhoneConditions kept;
  AlertTable alerts;
  alerts.Evaluate(*t.Snapshot(), h, cfg, {}, kT0, kept);
  UnixNanos now = kT0;
  int n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    now += kNanosPerMilli;
    const int i = (n++ * 7919) % 50000;
    PushPhone(t, i, n % 2 == 0, now);
    const TelephonySnapshot snap = t.Snapshot();
    state.ResumeTiming();
    AlertTransitions eval = alerts.Evaluate(*snap, h, cfg, {}, now, kept);
    benchmark::DoNotOptimize(eval.changed);
  }
  state.counters["alerts"] = static_cast<double>(alerts.alerts().size());
  state.counters["phones_looked_at"] = static_cast<double>(kept.looked_at());
}
BENCHMARK(BM_EvaluateAfterOnePush)->Arg(0)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);

// The large org's trunks and edges on top of `t`'s phones: 1,000 trunks of which 600 carriers
// (every 15th degraded by a proxy down, every 60th disconnected: 50 of them), their metrics, and 200 edges
// (every 20th offline), all inventories loaded.
void AddTrunksAndEdges(TelephonyState& t) {
  std::vector<Trunk> trunks;
  for (int i = 0; i < 1000; ++i) {
    Trunk tr;
    tr.id = "trunk-" + std::to_string(i);
    tr.name = "Trunk " + std::to_string(i);
    tr.trunk_type = i < 600 ? "EXTERNAL" : (i % 2 ? "PHONE" : "EDGE");
    tr.state = "active";
    tr.in_service = true;
    tr.enabled = true;
    tr.connected = i % 60 != 7;
    tr.options_enabled_status = "ENABLED";
    tr.options = {ProxyState{"sip1.example.net:5061", i % 15 != 3, std::nullopt, ""},
                  ProxyState{"sip2.example.net:5061", true, std::nullopt, ""}};
    trunks.push_back(tr);
  }
  t.ReplaceTrunks(trunks, kT0);
  for (int i = 0; i < 1000; ++i) {
    TrunkMetrics m;
    m.trunk_id = "trunk-" + std::to_string(i);
    m.event_time = kT0;
    m.inbound_calls = 3;
    m.outbound_calls = 2;
    m.qos_mismatches = 0;
    t.ApplyTrunkMetrics(m, kT0);
  }
  t.MarkTrunkMetricsLoaded();
  std::vector<Edge> edges;
  for (int i = 0; i < 200; ++i) {
    Edge e;
    e.id = "edge-" + std::to_string(i);
    e.name = "Edge " + std::to_string(i);
    e.state = "active";
    e.site = {"site-" + std::to_string(i % 50), "Site " + std::to_string(i % 50)};
    e.online_status = i % 20 == 5 ? "OFFLINE" : "ONLINE";
    edges.push_back(e);
  }
  t.ReplaceEdges(edges, kT0);
}

// Every REST source up and the stream connected: the blind conditions hold nothing.
HealthData HealthyExporter() {
  HealthData h;
  h.genesys_up = true;
  for (const char* s : {"phones", "stations", "trunks", "trunk_metrics", "edges", "edge_metrics", "notifications"}) {
    h.sources[s].ran = true;
    h.sources[s].up = true;
  }
  return h;
}

void BM_EvaluateAfterPushesLargeOrg(benchmark::State& state) {
  const bool trunk_push = state.range(0) == 1;
  const int pushes = static_cast<int>(state.range(1));
  TelephonyState t;
  {
    std::vector<Phone> phones;
    for (int i = 0; i < 50000; ++i) phones.push_back(MakePhone(i, i >= 5000));
    t.ReplacePhones(phones, kT0);
  }
  AddTrunksAndEdges(t);
  const HealthData h = HealthyExporter();
  AlertingConfig cfg;
  cfg.per_phone = true;
  PhoneConditions kept;
  AlertTable alerts;
  alerts.Evaluate(*t.Snapshot(), h, cfg, {}, kT0, kept);
  std::vector<int> targets;  // the first 5,000 phones in id order, as push_load_bench.py flips them
  t.Read([&](const TelephonyData& d) {
    for (auto it = d.phones.begin(); it != d.phones.end() && targets.size() < 5000; ++it) {
      targets.push_back(std::stoi(it->first.substr(6)));
    }
  });
  UnixNanos now = kT0;
  int n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int p = 0; p < pushes; ++p) {
      now += kNanosPerMilli;
      ++n;
      if (trunk_push) {
        TrunkMetrics m;
        m.trunk_id = "trunk-" + std::to_string((n * 7) % 600);
        m.event_time = now;
        m.inbound_calls = n % 5;
        m.outbound_calls = 2;
        m.qos_mismatches = n % 2;  // above the threshold of 0 every other push: degraded
        t.ApplyTrunkMetrics(m, now);
      } else {
        // Down on the first round, up on the next.
        PushPhone(t, targets[static_cast<std::size_t>(n) % targets.size()], (n / 5000) % 2 == 1, now);
      }
    }
    const TelephonySnapshot snap = t.Snapshot();
    state.ResumeTiming();
    AlertTransitions eval = alerts.Evaluate(*snap, h, cfg, {}, now, kept);
    benchmark::DoNotOptimize(eval.changed);
  }
  state.SetItemsProcessed(state.iterations() * pushes);
  state.counters["alerts"] = static_cast<double>(alerts.alerts().size());
}
BENCHMARK(BM_EvaluateAfterPushesLargeOrg)
    ->Args({0, 1})
    ->Args({0, 200})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

// Counts the distinct alerts notified as firing.
class CountingSink : public AlertMessageSink {
 public:
  void Enqueue(const AlertMessage& n) override {
    std::lock_guard l(mu_);
    for (const Alert& a : n.firing) seen_.insert(a.fingerprint);
    alerts = seen_.size();
  }
  void EnqueueAlertStates(const std::vector<Alert>&, bool, UnixNanos) override {}
  void EnqueueWatchdog(const AlertMessage&, UnixNanos) override {}
  std::atomic<std::size_t> alerts{0};

 private:
  std::mutex mu_;
  std::set<std::string> seen_;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

void BM_OutageWriterLatency(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> during_us, after_us;
  double notify_ms = 0, apply_ms = 0;
  for (auto _ : state) {
    TelephonyState t;
    std::vector<Phone> phones;
    for (int i = 0; i < 50000; ++i) phones.push_back(MakePhone(i, true));
    t.ReplacePhones(phones, kT0);
    HealthState health;
    CountingSink sink;
    SystemClock clock;
    AlertEngineOptions opt;
    opt.alerting.per_phone = true;
    opt.alerting.rules["registration_failure"].for_duration = Seconds(0);
    opt.alerting.group_wait = Seconds(0);
    opt.alerting.group_interval = Seconds(0);  // a group's new alerts go out at the next flush
    opt.debounce = std::chrono::milliseconds(10);
    AlertEngine engine(t, health, &sink, clock, opt);
    engine.Start();
    // The outage: every phone's status pushed OFFLINE, in applier-sized batches.
    const UnixNanos at = clock.Now();
    std::atomic<bool> stop{false};
    std::atomic<bool> applied{false};
    std::mutex mu;
    std::thread writer([&] {
      // A pushed status every millisecond on another phone, timed around Write().
      int n = 0;
      while (!stop) {
        PhoneStatusUpdate u;
        u.phone_id = "phone-" + std::to_string(49999 - (n % 100));
        u.status = MakePhone(49999, false).status;
        u.status->event_creation_time = at + ++n;
        const auto t0 = Clock::now();
        t.ApplyPhoneStatus(u, at + n);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
        {
          std::lock_guard l(mu);
          // Writes while the outage itself is written wait for those batches (writer
          // against writer); the ones after it show what the evaluation costs writers.
          (applied ? after_us : during_us).push_back(us);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    const auto start = Clock::now();
    for (int b = 0; b < 50000; b += 256) {
      t.Write([&](TelephonyWriter& w) {
        for (int i = b; i < std::min(50000, b + 256); ++i) {
          PhoneStatusUpdate u;
          u.phone_id = "phone-" + std::to_string(i);
          u.status = MakePhone(i, false).status;
          u.status->event_creation_time = at;
          w.ApplyPhoneStatus(u, at);
        }
      });
    }
    applied = true;
    apply_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    while (sink.alerts < 50000 && Clock::now() - start < std::chrono::seconds(120)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    notify_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    stop = true;
    writer.join();
    engine.Stop();
    state.counters["notified_alerts"] = static_cast<double>(sink.alerts.load());
  }
  state.counters["outage_written_ms"] = apply_ms;
  state.counters["outage_to_notified_ms"] = notify_ms;
  state.counters["eval_write_p50_us"] = Percentile(after_us, 0.5);
  state.counters["eval_write_p99_us"] = Percentile(after_us, 0.99);
  state.counters["eval_write_max_us"] = Percentile(after_us, 1.0);
  state.counters["eval_writes"] = static_cast<double>(after_us.size());
  state.counters["outage_write_max_us"] = Percentile(during_us, 1.0);
  state.counters["outage_writes"] = static_cast<double>(during_us.size());
}
BENCHMARK(BM_OutageWriterLatency)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

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
