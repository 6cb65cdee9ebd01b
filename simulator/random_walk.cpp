#include "simulator/random_walk.h"

#include <algorithm>
#include <string>

#include "simulator/sim_core.h"

namespace gx::sim {

void WalkStep(SimCore& core, const RandomWalk& w, std::mt19937_64& rng, const ScheduleFn& schedule) {
  auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  // A recovery may find its target deleted since: then there is nothing to restore.
  auto later = [&](std::function<void()> f) {
    schedule(std::uniform_real_distribution<double>(10, 60)(rng), std::move(f));
  };
  size_t nphones = 0, nedges = 0, nexternal = 0;
  core.Read([&](const Org& org) {
    nphones = org.phones.size();
    nedges = org.edges.size();
    for (const auto& t : org.trunks) nexternal += t.trunk_type == "EXTERNAL";
  });
  auto pick = [&rng](size_t n) { return std::to_string(rng() % n); };
  if (nphones && chance(w.phone_line_flip)) {
    std::string key = pick(nphones);
    bool ok;
    core.Read([&](const Org& org) {
      const auto& p = org.phones[std::stoul(key)];
      ok = !p.deleted && p.status == "OPERATIONAL" && p.lines.front().reachable;
    });
    if (ok && core.SetLineReachable(key, 0, false)) {
      later([&core, key] { (void)core.SetLineReachable(key, 0, true); });
    }
  }
  if (nphones && chance(w.phone_status_change)) {
    std::string key = pick(nphones);
    bool ok;
    core.Read([&](const Org& org) {
      const auto& p = org.phones[std::stoul(key)];
      ok = !p.deleted && p.status == "OPERATIONAL";
    });
    if (ok && core.SetPhoneStatus(key, chance(0.5) ? "DEGRADED" : "OFFLINE", false)) {
      later([&core, key] { (void)core.SetPhoneStatus(key, "OPERATIONAL", false); });
    }
  }
  if (nexternal && chance(w.trunk_options_flip)) {
    std::string key = pick(nexternal);
    int proxy = -1;
    core.Read([&](const Org& org) {
      const auto& t = org.trunks[std::stoul(key)];
      if (!t.proxies.empty()) {
        int k = static_cast<int>(rng() % t.proxies.size());
        if (t.proxies[k].options_up) proxy = k;
      }
    });
    if (proxy >= 0 && core.SetTrunkOptions(key, proxy, false)) {
      later([&core, key, proxy] { (void)core.SetTrunkOptions(key, proxy, true); });
    }
  }
  if (nexternal && chance(w.trunk_connected_flip)) {
    std::string key = pick(nexternal);
    bool c;
    core.Read([&](const Org& org) {
      c = org.trunks[std::stoul(key)].connected;
    });
    if (c && core.SetTrunkConnected(key, false)) {
      later([&core, key] { (void)core.SetTrunkConnected(key, true); });
    }
  }
  if (nedges && chance(w.edge_online_flip)) {
    std::string key = pick(nedges);
    bool on;
    core.Read([&](const Org& org) {
      on = org.edges[std::stoul(key)].online;
    });
    if (on && core.SetEdgeOnline(key, false)) later([&core, key] { (void)core.SetEdgeOnline(key, true); });
  }
  if (nexternal && chance(w.trunk_calls_change)) {
    std::string key = pick(nexternal);
    int in, out, qos;
    core.Read([&](const Org& org) {
      const auto& t = org.trunks[std::stoul(key)];
      // Drift towards a small load rather than wandering off.
      auto step = [&rng](int v) { return std::clamp(v + static_cast<int>(rng() % 5) - (v > 8 ? 3 : 1), 0, 40); };
      in = step(t.inbound);
      out = step(t.outbound);
      qos = t.qos_mismatches + (chance(0.05) ? 1 : 0);
    });
    (void)core.SetTrunkCalls(key, in, out, qos);  // fails only for a deleted trunk, which takes no calls
  }
}


}  // namespace gx::sim
