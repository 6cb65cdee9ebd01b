// /metrics rendering cost for the `large` org (50,000 phones, 1,000 trunks,
// 200 edges, 100 followed users): collectors alone, and collectors plus the
// text serializer, aggregated per site and with per_phone. Also the parse cost
// of a 500-phone listing page.
#include <benchmark/benchmark.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/genesys/parse/api_parsers.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1778400000LL * kNanosPerSecond;
constexpr int kPhones = 50000;
constexpr int kSites = 50;
constexpr int kTrunks = 1000;
constexpr int kEdges = 200;
constexpr int kUsers = 100;

const char* Status(int i) {
  switch (i % 20) {
    case 0: return "OFFLINE";
    case 1: return "DEGRADED";
    default: return "OPERATIONAL";
  }
}

void BuildLargeOrg(TelephonyState& state) {
  std::vector<Phone> phones;
  phones.reserve(kPhones);
  for (int i = 0; i < kPhones; ++i) {
    Phone p;
    p.id = "phone-" + std::to_string(100000 + i);
    p.name = "Desk " + std::to_string(i);
    p.state = "active";
    p.site = {"site-" + std::to_string(i % kSites), "Site " + std::to_string(i % kSites)};
    PhoneStatus s;
    s.operational_status = Status(i);
    s.event_creation_time = kT0;
    const int lines = 1 + (i % 3 == 0);
    for (int l = 0; l < lines; ++l) {
      LineStatus ls;
      ls.id = p.id + "-line-" + std::to_string(l);
      ls.reachable = i % 20 != 0;
      p.line_ids.push_back(ls.id);
      s.lines.push_back(std::move(ls));
    }
    p.status = std::move(s);
    phones.push_back(std::move(p));
  }
  state.ReplacePhones(std::move(phones), kT0);

  std::vector<Station> stations;
  std::vector<std::string> users;
  for (int u = 0; u < kUsers; ++u) {
    Station st;
    st.id = "station-" + std::to_string(u);
    st.line_appearance_id = "phone-" + std::to_string(100000 + u * 499) + "-line-0";
    stations.push_back(st);
    users.push_back("user-" + std::to_string(u));
  }
  state.ReplaceStations(stations, kT0);
  state.SetFollowedUsers(users);
  for (int u = 0; u < kUsers; ++u) {
    state.ApplyUserStation({users[u], stations[u].id, "Station", "inin_remote"}, kT0);
  }

  std::vector<Trunk> trunks;
  for (int i = 0; i < kTrunks; ++i) {
    Trunk t;
    t.id = "trunk-" + std::to_string(i);
    t.name = "Carrier " + std::to_string(i);
    t.trunk_type = i % 10 == 0 ? "PHONE" : "EXTERNAL";
    t.edge = {"edge-" + std::to_string(i % kEdges), ""};
    t.in_service = true;
    t.enabled = true;
    t.connected = i % 50 != 0;
    t.connected_state_time = kT0;
    t.options_enabled_status = "ENABLED";
    for (int p = 0; p < 2; ++p) {
      ProxyState ps;
      ps.proxy_address = "sip" + std::to_string(p) + ".carrier" + std::to_string(i) + ".example:5061";
      ps.up = (i + p) % 25 != 0;
      ps.state_time = kT0;
      t.options.push_back(ps);
    }
    trunks.push_back(std::move(t));
  }
  state.ReplaceTrunks(std::move(trunks), kT0);
  for (int i = 0; i < kTrunks; ++i) {
    TrunkMetrics m;
    m.trunk_id = "trunk-" + std::to_string(i);
    m.event_time = kT0;
    m.inbound_calls = i % 7;
    m.outbound_calls = i % 5;
    m.qos_mismatches = i % 13;
    state.ApplyTrunkMetrics(m, kT0);
  }

  std::vector<Edge> edges;
  for (int i = 0; i < kEdges; ++i) {
    edges.push_back({"edge-" + std::to_string(i), "edge " + std::to_string(i), "active",
                     {"site-" + std::to_string(i % kSites), "Site " + std::to_string(i % kSites)}, "1.0.0.12345",
                     i % 40 ? "ONLINE" : "OFFLINE", "ACTIVE"});
  }
  state.ReplaceEdges(std::move(edges), kT0);
  for (int i = 0; i < kEdges; ++i) {
    EdgeMetrics m;
    m.edge_id = "edge-" + std::to_string(i);
    m.uptime_ms = 1000LL * i;
    state.ApplyEdgeMetrics(m, kT0);
  }
}

const TelephonyState& LargeOrg() {
  static TelephonyState* state = [] {
    auto* s = new TelephonyState;
    BuildLargeOrg(*s);
    return s;
  }();
  return *state;
}

// collect: the collectors' families only (the per-phone series are text, not families).
// serialize: the text /metrics serves, through its own serializer; `keep` keeps the
// collectors' caches between iterations (the per-phone index: a re-render after a change).
void Render(benchmark::State& bench, bool per_phone, bool serialize, bool keep = false) {
  const TelephonyState& state = LargeOrg();
  HealthState health;
  CollectorOptions options;
  options.per_phone = per_phone;
  options.qos_mismatch_threshold = 10;
  size_t bytes = 0, series = 0;
  std::map<std::string_view, std::shared_ptr<void>> caches;
  for (auto _ : bench) {
    MetricFamilies families;
    std::string text;
    if (!keep) caches.clear();
    state.Read([&](const TelephonyData& t) {
      health.Read([&](const HealthData& h) {
        CollectInput in{t, h, options};
        for (const auto& c : AllCollectors()) {
          if ((c.reads & kReadsHealth) && c.name != "exporter_health") continue;
          if (serialize) {
            WriteCollector(c, in, caches[c.name], text);
          } else if (c.collect) {
            c.collect(in, families);
          } else if (c.collect_kept) {
            std::shared_ptr<void> fresh;
            c.collect_kept(in, fresh, families);
          }
        }
      });
    });
    series = 0;
    for (const auto& f : families) series += f.metric.size();
    if (serialize) {
      series = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      bytes = text.size();
    }
    benchmark::DoNotOptimize(families);
    benchmark::DoNotOptimize(text);
  }
  bench.counters["lines"] = static_cast<double>(series);
  bench.counters["bytes"] = static_cast<double>(bytes);
}

void BM_CollectAggregated(benchmark::State& s) { Render(s, false, false); }
void BM_RenderAggregated(benchmark::State& s) { Render(s, false, true); }
void BM_CollectPerPhone(benchmark::State& s) { Render(s, true, false); }
void BM_RenderPerPhone(benchmark::State& s) { Render(s, true, true); }
BENCHMARK(BM_CollectAggregated)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderAggregated)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CollectPerPhone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderPerPhone)->Unit(benchmark::kMillisecond);
void BM_RenderPerPhoneKeptIndex(benchmark::State& s) { Render(s, true, true, true); }
BENCHMARK(BM_RenderPerPhoneKeptIndex)->Unit(benchmark::kMillisecond);

// One collector at a time, aggregated, from nothing kept, to see where the time goes.
void BM_OneCollector(benchmark::State& bench) {
  static const char* kNames[] = {"exporter_health", "phones", "users", "trunks", "edges"};
  const TelephonyState& state = LargeOrg();
  HealthState health;
  CollectorOptions options;
  const char* name = kNames[bench.range(0)];
  bench.SetLabel(name);
  const NamedCollector* collector = nullptr;
  for (const auto& c : AllCollectors()) {
    if (c.name == name) collector = &c;
  }
  for (auto _ : bench) {
    std::string text;
    state.Read([&](const TelephonyData& t) {
      health.Read([&](const HealthData& h) {
        std::shared_ptr<void> cache;
        WriteCollector(*collector, CollectInput{t, h, options}, cache, text);
      });
    });
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_OneCollector)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

std::string PhonesPage(int n) {
  std::string body = "{\"entities\":[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ',';
    const std::string id = "9e4b2c1a-0f6d-4c1e-9b7a-" + std::to_string(100000000000LL + i);
    body += "{\"id\":\"" + id + "\",\"name\":\"Desk " + std::to_string(i) +
            "\",\"state\":\"active\",\"site\":{\"id\":\"5c2f6a9e-7d1b-4a3c-9e8f-0a1b2c3d4e01\",\"name\":\"HQ\","
            "\"selfUri\":\"/api/v2/telephony/providers/edges/sites/5c2f6a9e\"},"
            "\"lines\":[{\"id\":\"" + id + "-l1\",\"name\":\"Desk_1\"}],"
            "\"status\":{\"id\":\"" + id + "\",\"operationalStatus\":\"OPERATIONAL\",\"edgesStatus\":\"IN_SERVICE\","
            "\"eventCreationTime\":\"2026-05-01T10:00:02.123Z\",\"phoneAssignmentToEdgeType\":\"PRIMARY\","
            "\"provision\":{\"time\":\"2026-05-01T10:00:00Z\",\"source\":\"EDGE\",\"errorInfo\":null},"
            "\"lineStatuses\":[{\"id\":\"" + id + "-l1\",\"reachable\":true,\"addressOfRecord\":\"sip:desk@hq.example\","
            "\"contactAddresses\":[\"sip:desk@10.0.0.5:5060\"],\"reachableStateTime\":\"2026-05-01T10:00:02Z\"}],"
            "\"edge\":{\"id\":\"e-1\",\"name\":\"edge-1\"}},"
            "\"userAgentInfo\":{\"firmwareVersion\":\"6.4.3\",\"manufacturer\":\"Poly\",\"model\":\"VVX 450\"},"
            "\"capabilities\":{\"mediaCodecs\":[\"audio/opus\",\"audio/PCMU\"]},\"webRtcUser\":null}";
  }
  body += "],\"pageSize\":" + std::to_string(n) + ",\"pageNumber\":1,\"total\":" + std::to_string(n) +
          ",\"pageCount\":1}";
  return body;
}

void BM_ParsePhonesPage500(benchmark::State& s) {
  const std::string body = PhonesPage(500);
  for (auto _ : s) {
    Page<Phone> page;
    if (!ParsePhonesPage(body, page).ok()) s.SkipWithError("parse failed");
    benchmark::DoNotOptimize(page);
  }
  s.SetBytesProcessed(static_cast<int64_t>(s.iterations() * body.size()));
  s.counters["phones/s"] = benchmark::Counter(500.0 * static_cast<double>(s.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParsePhonesPage500)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gx

BENCHMARK_MAIN();
