// The rest of an org, changing at random through the writer the sources use: trunks and
// their metrics, edges, followed users and their stations (on the phones of RandomPhones),
// TLS targets and their certificates, and the exporter's own health; for the property tests
// of the kept other conditions (OtherConditions, AlertTable).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "exporter/state/health_state.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx::testing {

class RandomOthers {
 public:
  // `phones`: how many phones p0.. RandomPhones keeps (the stations point at their lines).
  RandomOthers(unsigned seed, int phones) : rng_(seed), phones_(phones) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(int percent) { return Pick(100) < percent; }

  // A few random writes at `now` (which only moves forward); `health` changes in place.
  void Step(TelephonyState& state, HealthData& health, UnixNanos now) {
    const int changes = 1 + Pick(3);
    for (int c = 0; c < changes; ++c) Change(state, health, now);
  }

  // The target of TLS probes number k.
  static TlsTarget Target(int k) {
    TlsTarget t;
    t.host = "sip" + std::to_string(k) + ".example.net";
    t.source = "config";
    return t;
  }

 private:
  std::string TrunkId() { return "t" + std::to_string(Pick(kTrunks)); }

  Trunk RandomTrunk(int i) {
    Trunk t = MakeTrunk("t" + std::to_string(i), Coin(80), Coin(80));
    const char* types[] = {"EXTERNAL", "EXTERNAL", "PHONE", "EDGE", ""};
    t.trunk_type = types[Pick(5)];
    if (Coin(10)) t.state = "inactive";
    if (Coin(10)) t.name = "Renamed " + t.id;
    return t;
  }

  Edge RandomEdge(int i) {
    Edge e = MakeEdge("e" + std::to_string(i), "site" + std::to_string(i % 3), Coin(70));
    if (Coin(10)) e.online_status.clear();
    if (Coin(10)) e.state = "inactive";
    return e;
  }

  void Change(TelephonyState& state, HealthData& h, UnixNanos now) {
    switch (Pick(12)) {
      case 0: {  // a trunks poll
        std::vector<Trunk> trunks;
        for (int i = 0; i < kTrunks; ++i) {
          if (Coin(85)) trunks.push_back(RandomTrunk(i));
        }
        state.ReplaceTrunks(trunks, now);
        return;
      }
      case 1: {  // a pushed trunk
        TrunkStatusUpdate u;
        u.trunk_id = TrunkId();
        u.connected = Coin(70);
        u.connected_state_time = now;
        if (Coin(50)) u.options = std::vector<ProxyState>{ProxyState{"sip1.example.net:5061", Coin(70), std::nullopt, ""}};
        state.ApplyTrunkStatus(u, now);
        return;
      }
      case 2: {  // trunk metrics, a cycle of them done now and then
        TrunkMetrics m;
        m.trunk_id = TrunkId();
        m.event_time = now;
        m.inbound_calls = Pick(5);
        m.qos_mismatches = Pick(3);
        state.ApplyTrunkMetrics(m, now);
        if (Coin(20)) state.MarkTrunkMetricsLoaded();
        return;
      }
      case 3: {  // an edges poll
        std::vector<Edge> edges;
        for (int i = 0; i < kEdges; ++i) {
          if (Coin(85)) edges.push_back(RandomEdge(i));
        }
        state.ReplaceEdges(edges, now);
        return;
      }
      case 4:  // a pushed edge
        state.ApplyEdgeStatus({"e" + std::to_string(Pick(kEdges)), Coin(60) ? "ONLINE" : "OFFLINE"}, now);
        return;
      case 5: {  // the followed users (a reload) and the stations poll
        std::vector<std::string> users;
        for (int i = 0; i < kUsers; ++i) {
          if (Coin(75)) users.push_back("u" + std::to_string(i));
        }
        state.SetFollowedUsers(users);
        std::vector<Station> stations;
        for (int i = 0; i < kUsers; ++i) {
          if (Coin(20)) continue;
          Station st;
          st.id = "st" + std::to_string(i);
          st.line_appearance_id = "p" + std::to_string(Pick(phones_ + 2)) + "-line0";  // some on no phone
          stations.push_back(st);
        }
        state.ReplaceStations(stations, now);
        return;
      }
      case 6:  // a user's station (pushed or polled)
        state.ApplyUserStation({"u" + std::to_string(Pick(kUsers)), Coin(80) ? "st" + std::to_string(Pick(kUsers)) : "",
                                "Station", ""},
                               now);
        return;
      case 7: {  // TLS discovery
        std::vector<TlsTarget> targets;
        for (int k = 0; k < kTargets; ++k) {
          if (Coin(85)) targets.push_back(Target(k));
        }
        state.ReplaceTlsTargets(targets, Coin(70));
        return;
      }
      case 8: {  // a TLS probe: expiring around the windows of ShortTlsWindows, or failing
        const int k = Pick(kTargets);
        const UnixNanos expiry = now + (Pick(600) - 30) * 60 * kNanosPerSecond;
        TlsProbeResult r = MakeTlsResult(Target(k).key(), expiry, Coin(80));
        if (Coin(10)) r.chain.clear();
        state.ApplyTlsResult(r);
        return;
      }
      default: {  // the exporter's health
        const char* sources[] = {"phones", "trunks", "edges", "notifications", "tls"};
        SourceHealth& s = h.sources[sources[Pick(5)]];
        s.ran = s.ran || Coin(70);
        s.up = Coin(70);
        s.stale = Coin(15);
        if (Coin(30)) h.genesys_up = Coin(80);
        if (Coin(20)) h.genesys_up.reset();
        h.spool.in_use = Coin(80);
        if (Coin(20)) h.spool.errors["alert state"] = "disk full";
        if (Coin(30)) h.spool.errors.clear();
        return;
      }
    }
  }

  static constexpr int kTrunks = 10, kEdges = 6, kUsers = 4, kTargets = 4;
  std::mt19937 rng_;
  int phones_;
};

// TLS windows short enough for random time steps of minutes to cross them, and the tenths of a
// day of their summaries: warning 6 h, critical 2 h.
inline void ShortTlsWindows(AlertingConfig& cfg) {
  cfg.tls_warning = Seconds(6 * 3600);
  cfg.tls_critical = Seconds(2 * 3600);
}

}  // namespace gx::testing
