// Notification listener benchmarks.
//  BM_ParseAndApply: frames parsed (simdjson) and applied to TelephonyState on
//    one core, for phone and trunk-metrics frames (the two hot topic kinds).
//  BM_PushLatency: genesys_sim publishes trunk-metrics events at a fixed rate
//    to a live NotificationListener over a loopback WebSocket; latency is from
//    the publish call to the moment the new value is readable in the state
//    (what the next /metrics scrape renders). Reports p50/p99 in microseconds.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/genesys/api/api_factory.h"
#include "exporter/sources/notifications/event_router.h"
#include "exporter/sources/notifications/notification_listener.h"
#include "exporter/sources/notifications/topic_plan.h"
#include "exporter/genesys/parse/notification_parser.h"
#include "exporter/util/iso_time.h"
#include "simulator/sim_core.h"
#include "simulator/simulator.h"

namespace gx {
namespace {

constexpr UnixNanos kBase = 1'790'000'000LL * kNanosPerSecond;

std::string PhoneFrame(const std::string& id, UnixNanos t, bool reachable) {
  const std::string time = FormatIsoTime(t);
  return R"({"topicName":"v2.telephony.providers.edges.phones.)" + id + R"(","version":"2","eventBody":{"id":")" +
         id + R"(","status":{"id":"s-)" + id + R"(","operationalStatus":")" +
         (reachable ? "OPERATIONAL" : "OFFLINE") + R"(","edge":{"id":"e1","name":"edge-1"},"eventCreationTime":")" +
         time + R"(","lineStatuses":[{"id":"l-)" + id + R"(","reachable":)" + (reachable ? "true" : "false") +
         R"(,"addressOfRecord":"sip:)" + id + R"(@example","contactAddresses":["sip:10.0.0.5:5060"],"reachableStateTime":")" +
         time + R"("}]},"userAgentInfo":{"firmwareVersion":"1.0","manufacturer":"Poly","model":"VVX 450"}},"metadata":{"CorrelationId":"c-)" +
         std::to_string(t) + R"("}})";
}

std::string TrunkMetricsBody(const std::string& id, UnixNanos t, std::int64_t inbound) {
  return R"({"calls":{"inboundCallCount":)" + std::to_string(inbound) +
         R"(,"outboundCallCount":0},"eventTime":")" + FormatIsoTime(t) + R"(","qos":{"mismatchCount":0},"trunk":{"id":")" +
         id + R"(","name":"Carrier"}})";
}

void BM_ParseAndApply(benchmark::State& st) {
  constexpr int kPhones = 10000;
  constexpr int kFrames = 100000;
  std::vector<Phone> phones;
  for (int i = 0; i < kPhones; ++i) {
    Phone p;
    p.id = "phone-" + std::to_string(i);
    p.line_ids = {"l-" + p.id};
    p.site = {"site-" + std::to_string(i % 10), "Site " + std::to_string(i % 10)};
    phones.push_back(p);
  }
  std::vector<std::string> frames;
  frames.reserve(kFrames);
  for (int i = 0; i < kFrames; ++i) {
    frames.push_back(PhoneFrame("phone-" + std::to_string(i % kPhones), kBase + i * kNanosPerMilli, i % 3 != 0));
  }
  auto state = std::make_unique<TelephonyState>();
  state->ReplacePhones(phones, kBase - kNanosPerSecond);
  std::size_t next = 0, applied = 0, bytes = 0;
  for (auto _ : st) {
    if (next == frames.size()) {
      // Times only grow within one pass; start a fresh state for the next one.
      st.PauseTiming();
      state = std::make_unique<TelephonyState>();
      state->ReplacePhones(phones, kBase - kNanosPerSecond);
      next = 0;
      st.ResumeTiming();
    }
    NotificationFrame n;
    const std::string& f = frames[next++];
    bytes += f.size();
    if (ParseNotification(f, n).ok() && RouteNotification(n, *state, kBase) == RouteOutcome::kApplied) ++applied;
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  st.counters["applied_ratio"] = static_cast<double>(applied) / static_cast<double>(std::max<std::int64_t>(1, st.iterations()));
}
BENCHMARK(BM_ParseAndApply);

void BM_PushLatency(benchmark::State& st) {
  const double rate = static_cast<double>(st.range(0));
  const int seconds = static_cast<int>(st.range(1));
  for (auto _ : st) {
    sim::Scenario scenario;
    scenario.phones = 50;
    scenario.site_count = 1;
    scenario.external_trunks = 2;
    scenario.tls_endpoints = false;
    scenario.walk.enabled = false;
    scenario.rate_limit_per_minute = 100000;
    sim::Simulator simulator(scenario);
    if (Status started = simulator.Start(0); !started) {
      st.SkipWithError(started.error().c_str());
      return;
    }
    Config config;
    config.genesys.client_id = scenario.client_id;
    config.genesys.client_secret = scenario.client_secret;
    config.genesys.api_url = simulator.base_url();
    config.genesys.login_url = simulator.base_url();
    config.rate_limit.requests_per_minute = 100000;
    HealthState health;
    TelephonyState state;
    auto made = MakeApiStack(config, health, SystemClock::Instance());
    if (!made) {
      st.SkipWithError(made.error().c_str());
      return;
    }
    const std::unique_ptr<ApiStack> api = std::move(made).value();
    const std::string trunk = simulator.TrunkIds("EXTERNAL").empty() ? simulator.TrunkIds().at(0)
                                                                      : simulator.TrunkIds("EXTERNAL").at(0);
    Trunk t;
    t.id = trunk;
    state.ReplaceTrunks({t}, kBase);

    const int total = static_cast<int>(rate * seconds);
    std::vector<std::chrono::steady_clock::time_point> sent(total + 1);
    std::vector<double> latency_us;
    latency_us.reserve(total);
    std::mutex mu;
    std::int64_t last_seen = 0;
    state.AddChangeListener([&] {
      const auto now = std::chrono::steady_clock::now();
      auto v = state.Read([&](const TelephonyData& d) -> std::int64_t {
        auto it = d.trunk_metrics.find(trunk);
        return it == d.trunk_metrics.end() || !it->second.inbound_calls ? 0 : *it->second.inbound_calls;
      });
      std::lock_guard lock(mu);
      if (v > last_seen && v <= total) {
        latency_us.push_back(std::chrono::duration<double, std::micro>(now - sent[v]).count());
        last_seen = v;
      }
    });
    NotificationsConfig nc;
    NotificationListener listener(nc, api->api(), api->token_source(), state, health, SystemClock::Instance(),
                                  [](const StreamReport&) {});
    if (Status started = listener.Start(); !started) {
      st.SkipWithError(started.error().c_str());
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!health.Read([](const HealthData& h) { return h.notifications.connected; }) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const std::string topic = TrunkMetricsTopic(trunk);
    const auto start = std::chrono::steady_clock::now();
    const UnixNanos wall = SystemClock::Instance().Now();
    for (int i = 1; i <= total; ++i) {
      const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>((i - 1) / rate));
      std::this_thread::sleep_until(due);
      std::string body = TrunkMetricsBody(trunk, wall + i * kNanosPerMilli / 10, i);
      {
        std::lock_guard lock(mu);
        sent[i] = std::chrono::steady_clock::now();
      }
      simulator.core().Publish(topic, body);
    }
    const auto drain = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < drain) {
      {
        std::lock_guard lock(mu);
        if (last_seen >= total) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    listener.Stop();
    api->Stop();
    simulator.Stop();
    std::lock_guard lock(mu);
    std::sort(latency_us.begin(), latency_us.end());
    auto pct = [&](double p) {
      return latency_us.empty() ? 0.0 : latency_us[std::min(latency_us.size() - 1,
                                                           static_cast<std::size_t>(p * latency_us.size()))];
    };
    st.counters["events"] = total;
    st.counters["measured"] = static_cast<double>(latency_us.size());
    st.counters["p50_us"] = pct(0.50);
    st.counters["p99_us"] = pct(0.99);
    st.counters["max_us"] = latency_us.empty() ? 0 : latency_us.back();
    st.counters["last_seen"] = static_cast<double>(last_seen);
  }
}
BENCHMARK(BM_PushLatency)->Args({10000, 5})->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace gx

BENCHMARK_MAIN();
