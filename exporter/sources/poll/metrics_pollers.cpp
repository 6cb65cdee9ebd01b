#include "exporter/sources/poll/metrics_pollers.h"

#include <algorithm>
#include <utility>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/request_cost.h"

namespace gx {

std::vector<std::string> IdBatches(std::vector<std::string> ids, int batch) {
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> out;
  batch = std::max(1, batch);
  for (size_t i = 0; i < ids.size(); i += static_cast<size_t>(batch)) {
    std::string joined;
    for (size_t k = i; k < std::min(ids.size(), i + static_cast<size_t>(batch)); ++k) {
      if (!joined.empty()) joined += ',';
      joined += UrlEncode(ids[k]);
    }
    out.push_back(std::move(joined));
  }
  return out;
}

namespace {

std::optional<std::vector<std::string>> ExternalTrunkIds(const TelephonyData& d) {
  if (!d.trunks_loaded) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& [id, e] : d.trunks) {
    if (e.trunk.trunk_type == "EXTERNAL") out.push_back(id);
  }
  return out;
}

std::optional<std::vector<std::string>> EdgeIds(const TelephonyData& d) {
  if (!d.edges_loaded) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& [id, e] : d.edges) out.push_back(id);
  return out;
}

}  // namespace

const MetricsKind<TrunkMetrics> kTrunkMetricsKind = {
    "trunk_metrics", kTrunkMetricsEndpoint, "trunkIds", ExternalTrunkIds, ParseTrunkMetricsArray,
    &TelephonyState::ApplyTrunkMetrics,
    // Alerts tell "no QoS data for this trunk" from "not polled yet" by this.
    &TelephonyState::MarkTrunkMetricsLoaded};

const MetricsKind<EdgeMetrics> kEdgeMetricsKind = {"edge_metrics", kEdgeMetricsEndpoint, "edgeIds", EdgeIds,
                                                   ParseEdgeMetricsArray, &TelephonyState::ApplyEdgeMetrics};

template <typename T>
MetricsPoller<T>::MetricsPoller(MetricsKind<T> kind, ApiClient& api, TelephonyState& state, const Clock& clock)
    : kind_(std::move(kind)), api_(api), state_(state), clock_(clock) {}

template <typename T>
CycleResult MetricsPoller<T>::RunCycle(const CycleRequest&) {
  CycleResult r;
  std::optional<std::vector<std::string>> ids = state_.Read(kind_.ids);
  if (!ids) {
    r.skipped = true;
    return r;
  }
  last_count_.store(static_cast<std::int64_t>(ids->size()));
  const UnixNanos observed_at = clock_.Now();
  const std::vector<std::string> batches = IdBatches(std::move(*ids), kMaxMetricIds);
  std::vector<T> metrics;  // all or nothing: applied once every batch arrived
  for (size_t i = 0; i < batches.size(); ++i) {
    ApiResponse res = api_.Get(kind_.endpoint + "?" + kind_.param + "=" + batches[i], kind_.endpoint);
    ++r.requests;
    const std::string where = kind_.endpoint + " batch " + std::to_string(i + 1) + ": ";
    if (!res.ok()) {
      r.status = Status::Error(where + res.error);
      return r;
    }
    std::vector<T> items;
    if (Status st = kind_.parse(res.body, items); !st.ok()) {
      r.status = st.Prefixed(where);
      return r;
    }
    for (auto& m : items) metrics.push_back(std::move(m));
  }
  for (const auto& m : metrics) (state_.*kind_.apply)(m, observed_at);
  if (kind_.loaded) (state_.*kind_.loaded)();
  return r;
}

template <typename T>
std::int64_t MetricsPoller<T>::EstimatedRequests() const {
  return BatchesFor(last_count_.load());
}

template class MetricsPoller<TrunkMetrics>;
template class MetricsPoller<EdgeMetrics>;

}  // namespace gx
