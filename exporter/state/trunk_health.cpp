#include "exporter/state/trunk_health.h"

#include <vector>

namespace gx {
namespace {

// Proxies of one kind (OPTIONS or REGISTER) whose monitoring is enabled.
struct ProxyTally {
  const char* kind = "";
  bool monitored = false;
  int total = 0;
  int down = 0;
  std::vector<const std::string*> down_addresses;
};

ProxyTally Tally(const char* kind, const std::string& enabled_status, const std::vector<ProxyState>& proxies) {
  // Only proxies whose monitoring is enabled count; NOT_SUPPORTED/DISABLED lists are ignored.
  ProxyTally t;
  t.kind = kind;
  t.monitored = enabled_status != "DISABLED" && enabled_status != "NOT_SUPPORTED";
  if (!t.monitored) return t;
  for (const auto& p : proxies) {
    ++t.total;
    if (p.up) continue;
    ++t.down;
    t.down_addresses.push_back(&p.proxy_address);
  }
  return t;
}

// "OPTIONS down on 1 of 2 proxies (a:5061)", at most three addresses.
std::string DownProxies(const ProxyTally& t) {
  constexpr std::size_t kMaxAddresses = 3;
  std::string s = std::string(t.kind) + " down on " + std::to_string(t.down) + " of " + std::to_string(t.total) +
                  (t.total == 1 ? " proxy" : " proxies");
  std::string addresses;
  for (std::size_t i = 0; i < t.down_addresses.size() && i < kMaxAddresses; ++i) {
    if (t.down_addresses[i]->empty()) continue;
    addresses += (addresses.empty() ? "" : ", ") + *t.down_addresses[i];
  }
  if (t.down_addresses.size() > kMaxAddresses) addresses += ", ...";
  return addresses.empty() ? s : s + " (" + addresses + ")";
}

}  // namespace

std::string_view TrunkHealthName(TrunkHealth h) {
  switch (h) {
    case TrunkHealth::kUp: return "up";
    case TrunkHealth::kDegraded: return "degraded";
    case TrunkHealth::kDown: return "down";
  }
  return "down";
}

TrunkHealthAssessment AssessTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                                        std::int64_t qos_mismatch_threshold) {
  if (trunk.connected.has_value() && !*trunk.connected) return {TrunkHealth::kDown, "disconnected"};
  if (trunk.in_service.has_value() && !*trunk.in_service) return {TrunkHealth::kDown, "not in service"};

  const ProxyTally tallies[] = {Tally("OPTIONS", trunk.options_enabled_status, trunk.options),
                                Tally("REGISTER", trunk.registers_enabled_status, trunk.registers)};
  int monitored = 0, down = 0;
  for (const auto& t : tallies) monitored += t.total, down += t.down;
  if (monitored > 0 && down == monitored) {
    std::string reason = "every proxy down:";
    for (const auto& t : tallies) {
      if (t.total > 0) reason += std::string(reason.back() == ':' ? " " : ", ") + t.kind + " " +
                                 std::to_string(t.down) + " of " + std::to_string(t.total);
    }
    return {TrunkHealth::kDown, reason};
  }
  if (down > 0) {
    std::string reason;
    for (const auto& t : tallies) {
      if (t.down > 0) reason += (reason.empty() ? "" : "; ") + DownProxies(t);
    }
    return {TrunkHealth::kDegraded, reason};
  }
  if (metrics && metrics->qos_mismatches && *metrics->qos_mismatches > qos_mismatch_threshold) {
    const std::int64_t n = *metrics->qos_mismatches;
    return {TrunkHealth::kDegraded, "QoS: " + std::to_string(n) + (n == 1 ? " mismatch" : " mismatches") +
                                        " (threshold " + std::to_string(qos_mismatch_threshold) + ")"};
  }
  return {};
}

TrunkHealth ComputeTrunkHealth(const Trunk& trunk, const TrunkMetrics* metrics,
                               std::int64_t qos_mismatch_threshold) {
  return AssessTrunkHealth(trunk, metrics, qos_mismatch_threshold).health;
}

}  // namespace gx
