// The held equivalence of /metrics with genesys_sim's truth: where the samples the /metrics
// collectors wrote differ from what the simulator holds. One list of differences (empty:
// equal), so that a test can assert it after a poll cycle or wait for it after pushes and
// gaps. Header-only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simulator/truth.h"
#include "tests/exporter/outputs/metrics/exposition_samples.h"

namespace gx::testing {

// Carrier health as the contract defines it, computed from the simulator's truth.
inline std::string ExpectedHealth(const sim::TrunkTruth& t, std::int64_t qos_threshold) {
  if (!t.connected || !t.in_service) return "down";
  bool any_monitored = false, any_up = false, any_down = false;
  for (const auto& p : t.proxies) {
    if (t.options_enabled) {
      any_monitored = true;
      (p.options_up ? any_up : any_down) = true;
    }
    if (t.registers_enabled) {
      any_monitored = true;
      (p.register_up ? any_up : any_down) = true;
    }
  }
  if (any_monitored && !any_up) return "down";
  if (any_down || t.qos_mismatches > qos_threshold) return "degraded";
  return "up";
}

class TruthDiff {
 public:
  explicit TruthDiff(const ExpositionSamples& m) : m_(m) {}
  void Expect(const std::string& name, const std::map<std::string, std::string>& labels, double want,
              const std::string& what) {
    const std::optional<double> got = Value(m_, name, labels);
    if (got == want) return;
    out_.push_back(name + " " + what + ": " + (got ? std::to_string(*got) : "absent") + ", truth " +
                   std::to_string(want));
  }
  void Add(std::string difference) { out_.push_back(std::move(difference)); }
  const ExpositionSamples& samples() const { return m_; }
  std::vector<std::string> Take() { return std::move(out_); }

 private:
  const ExpositionSamples& m_;
  std::vector<std::string> out_;
};

// Phone counts by site and status, lines and reachable lines, one series per phone.
inline std::vector<std::string> PhonesDiffFromTruth(const sim::Truth& truth, const ExpositionSamples& m) {
  TruthDiff d(m);
  if (truth.sites.empty()) d.Add("the truth has no sites");
  for (const auto& site : truth.sites) {
    for (const auto& [status, count] : site.phones_by_status) {
      d.Expect("genesys_phones", {{"site", site.name}, {"status", status}}, count, site.name + " " + status);
    }
    d.Expect("genesys_phone_lines", {{"site", site.name}}, site.lines, site.name);
    d.Expect("genesys_phone_lines_reachable", {{"site", site.name}}, site.lines_reachable, site.name);
  }
  const std::size_t series = SeriesCount(m, "genesys_phone_registered");
  if (series != static_cast<std::size_t>(truth.phones)) {
    d.Add("genesys_phone_registered: " + std::to_string(series) + " series, truth " + std::to_string(truth.phones));
  }
  return d.Take();
}

// Phones, trunks (connected; health and inbound calls of carriers), edges and the followed
// users (registration and associated station, with its type).
inline std::vector<std::string> DiffFromTruth(const sim::Truth& truth, const ExpositionSamples& m,
                                              std::int64_t qos_threshold) {
  std::vector<std::string> out = PhonesDiffFromTruth(truth, m);
  TruthDiff d(m);
  int external = 0;
  for (const auto& t : truth.trunks) {
    d.Expect("genesys_trunk_connected", {{"trunk_id", t.id}}, t.connected ? 1 : 0, t.name);
    if (t.type != "EXTERNAL") continue;
    ++external;
    const std::string want = ExpectedHealth(t, qos_threshold);
    for (const char* state : {"up", "degraded", "down"}) {
      d.Expect("genesys_trunk_health", {{"trunk_id", t.id}, {"state", state}}, want == state ? 1 : 0,
               t.name + " " + state);
    }
    d.Expect("genesys_trunk_calls", {{"trunk_id", t.id}, {"direction", "inbound"}}, t.inbound, t.name);
  }
  if (external == 0) d.Add("the truth has no carrier trunks");
  for (const auto& e : truth.edges) d.Expect("genesys_edge_online", {{"edge_id", e.id}}, e.online ? 1 : 0, e.name);
  for (const auto& u : truth.users) {
    d.Expect("genesys_user_registered", {{"user_id", u.id}}, u.registered ? 1 : 0, u.name);
    d.Expect("genesys_user_station_info", {{"user_id", u.id}, {"station_id", u.station_id}}, 1, u.name);
    for (const auto& s : m) {
      auto label = [&](const char* key) {
        auto it = s.labels.find(key);
        return it == s.labels.end() ? std::string() : it->second;
      };
      if (s.name == "genesys_user_station_info" && label("user_id") == u.id && label("station_type").empty()) {
        d.Add("genesys_user_station_info " + u.name + ": no station_type");
      }
    }
  }
  for (auto& x : d.Take()) out.push_back(std::move(x));
  return out;
}

}  // namespace gx::testing
