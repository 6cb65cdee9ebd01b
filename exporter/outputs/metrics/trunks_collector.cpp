// Trunks: identity, service/connection facts, per-proxy SIP OPTIONS/REGISTER
// state, carrier health, calls and QoS.
//
// Every trunk type gets the facts the API reports (info, in_service, enabled,
// connected, proxies, calls, QoS). The health state set is exported for
// carrier trunks only (IsCarrierTrunk: EXTERNAL or untyped): PHONE and EDGE trunks are Genesys-internal and
// carrier alerts must not fire on them.
#include <algorithm>
#include <map>

#include "exporter/outputs/metrics/collectors.h"
#include "exporter/outputs/metrics/family_builder.h"
#include "exporter/state/domain_facts.h"
#include "exporter/state/trunk_health.h"

namespace gx {
namespace {

constexpr const char* kCached = " Cached state, refreshed by polling (trunks collector, default every 30s) or pushed.";
constexpr const char* kMetricsCached =
    " Cached state, refreshed by polling (trunk_metrics collector, default every 30s) or pushed.";

// One series per proxy address: when the API lists an address twice, the newest state wins.
std::vector<const ProxyState*> UniqueProxies(const std::vector<ProxyState>& proxies) {
  std::map<std::string_view, const ProxyState*> by_address;
  for (const auto& p : proxies) {
    auto [it, inserted] = by_address.emplace(p.proxy_address, &p);
    if (!inserted && p.state_time.value_or(0) > it->second->state_time.value_or(0)) it->second = &p;
  }
  std::vector<const ProxyState*> out;
  out.reserve(by_address.size());
  for (const auto& [addr, p] : by_address) out.push_back(p);
  return out;
}

}  // namespace

void CollectTrunks(const CollectInput& in, MetricFamilies& out) {
  const TelephonyData& t = in.telephony;
  std::vector<const TrunkEntry*> trunks;
  trunks.reserve(t.trunks.size());
  for (const auto& [id, entry] : t.trunks) trunks.push_back(&entry);
  std::sort(trunks.begin(), trunks.end(),
            [](const TrunkEntry* a, const TrunkEntry* b) { return a->trunk.id < b->trunk.id; });

  auto info = Gauge("genesys_trunk_info", std::string("Trunk identity; the value is always 1.") + kCached);
  auto in_service = Gauge("genesys_trunk_in_service",
                          std::string("1 when the trunk is in service (trunk base trunk_enabled).") + kCached);
  auto enabled = Gauge("genesys_trunk_enabled",
                       std::string("1 when the edge used by the trunk is in service.") + kCached);
  auto connected = Gauge("genesys_trunk_connected", std::string("connectedStatus.connected.") + kCached);
  auto connected_ts = Gauge("genesys_trunk_connected_state_change_timestamp_seconds",
                            std::string("connectedStatus.connectedStateTime.") + kCached);
  auto options_up = Gauge("genesys_trunk_options_up",
                          std::string("1 when the last SIP OPTIONS to the proxy was answered.") + kCached);
  auto options_ts = Gauge("genesys_trunk_options_state_change_timestamp_seconds",
                          std::string("optionsStatus[].optionStateTime per proxy.") + kCached);
  auto register_up = Gauge("genesys_trunk_register_up",
                           std::string("1 when the last SIP REGISTER to the proxy got a positive answer.") + kCached);
  auto register_ts = Gauge("genesys_trunk_register_state_change_timestamp_seconds",
                           std::string("registersStatus[].registerStateTime per proxy.") + kCached);
  auto health = Gauge("genesys_trunk_health",
                      std::string("Carrier health of carrier trunks (EXTERNAL, or of unknown type) as a state set (up, degraded, down).") + kCached);
  auto calls = Gauge("genesys_trunk_calls", std::string("Current calls on the trunk by direction.") + kMetricsCached);
  auto qos = Gauge("genesys_trunk_qos_mismatches",
                   std::string("QoS mismatches in the API's sliding 24h window.") + kMetricsCached);
  auto metrics_ts = Gauge("genesys_trunk_metrics_event_timestamp_seconds",
                          std::string("eventTime of the trunk metrics held.") + kMetricsCached);

  for (const TrunkEntry* entry : trunks) {
    const Trunk& tr = entry->trunk;
    const Labels id = {{"trunk_id", tr.id}};
    info.Add({{"trunk_id", tr.id}, {"trunk_name", tr.name}, {"trunk_type", tr.trunk_type}, {"edge_id", tr.edge.id}},
             1);
    if (tr.in_service) in_service.Add(id, *tr.in_service ? 1 : 0);
    if (tr.enabled) enabled.Add(id, *tr.enabled ? 1 : 0);
    if (tr.connected) connected.Add(id, *tr.connected ? 1 : 0);
    if (tr.connected_state_time) connected_ts.Add(id, ToSeconds(*tr.connected_state_time));
    for (const ProxyState* p : UniqueProxies(tr.options)) {
      const Labels labels = {{"trunk_id", tr.id}, {"proxy", p->proxy_address}};
      options_up.Add(labels, p->up ? 1 : 0);
      if (p->state_time) options_ts.Add(labels, ToSeconds(*p->state_time));
    }
    for (const ProxyState* p : UniqueProxies(tr.registers)) {
      const Labels labels = {{"trunk_id", tr.id}, {"proxy", p->proxy_address}};
      register_up.Add(labels, p->up ? 1 : 0);
      if (p->state_time) register_ts.Add(labels, ToSeconds(*p->state_time));
    }
    auto m = t.trunk_metrics.find(tr.id);
    const TrunkMetrics* metrics = m == t.trunk_metrics.end() ? nullptr : &m->second;
    if (IsCarrierTrunk(tr)) {
      const TrunkHealth h = TrunkHealthOf(t, tr, in.options.qos_mismatch_threshold);
      for (TrunkHealth s : {TrunkHealth::kUp, TrunkHealth::kDegraded, TrunkHealth::kDown}) {
        health.Add({{"trunk_id", tr.id}, {"state", std::string(TrunkHealthName(s))}}, s == h ? 1 : 0);
      }
    }
    if (metrics) {
      if (metrics->inbound_calls) {
        calls.Add({{"trunk_id", tr.id}, {"direction", "inbound"}}, static_cast<double>(*metrics->inbound_calls));
      }
      if (metrics->outbound_calls) {
        calls.Add({{"trunk_id", tr.id}, {"direction", "outbound"}}, static_cast<double>(*metrics->outbound_calls));
      }
      if (metrics->qos_mismatches) qos.Add(id, static_cast<double>(*metrics->qos_mismatches));
      if (metrics->event_time) metrics_ts.Add(id, ToSeconds(*metrics->event_time));
    }
  }
  for (auto* f : {&info, &in_service, &enabled, &connected, &connected_ts, &options_up, &options_ts, &register_up,
                  &register_ts, &health, &calls, &qos, &metrics_ts}) {
    f->MoveTo(out);
  }
}

}  // namespace gx
