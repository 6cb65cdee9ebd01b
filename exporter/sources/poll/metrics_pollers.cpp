#include "exporter/sources/poll/metrics_pollers.h"

#include <algorithm>
#include <optional>

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

// Fetches every batch and parses it with `parse`; all or nothing.
template <typename T, typename ParseFn>
CycleResult FetchBatches(ApiClient& api, const std::vector<std::string>& batches, const std::string& endpoint,
                         const std::string& param, ParseFn parse, std::vector<T>& out) {
  CycleResult r;
  for (size_t i = 0; i < batches.size(); ++i) {
    ApiResponse res = api.Get(endpoint + "?" + param + "=" + batches[i], endpoint);
    ++r.requests;
    const std::string where = endpoint + " batch " + std::to_string(i + 1) + ": ";
    if (!res.ok()) {
      r.status = Status::Error(where + res.error);
      return r;
    }
    std::vector<T> items;
    if (Status st = parse(res.body, items); !st.ok()) {
      r.status = st.Prefixed(where);
      return r;
    }
    for (auto& m : items) out.push_back(std::move(m));
  }
  return r;
}

// One metrics cycle: skipped until the inventory has loaded (`ids` empty
// optional), else every batch fetched and, only if all succeeded, applied.
template <typename T, typename ParseFn, typename ApplyFn>
CycleResult RunMetricsCycle(ApiClient& api, const Clock& clock, std::atomic<std::int64_t>& last_count,
                            std::optional<std::vector<std::string>> ids, const std::string& endpoint,
                            const std::string& param, ParseFn parse, ApplyFn apply) {
  if (!ids) {
    CycleResult r;
    r.skipped = true;
    return r;
  }
  last_count.store(static_cast<std::int64_t>(ids->size()));
  const UnixNanos observed_at = clock.Now();
  std::vector<T> metrics;
  CycleResult r = FetchBatches(api, IdBatches(std::move(*ids), kMaxMetricIds), endpoint, param, parse, metrics);
  if (r.ok()) {
    for (const auto& m : metrics) apply(m, observed_at);
  }
  return r;
}

}  // namespace

TrunkMetricsPoller::TrunkMetricsPoller(ApiClient& api, TelephonyState& state, const Clock& clock)
    : api_(api), state_(state), clock_(clock) {}

const std::string& TrunkMetricsPoller::name() const {
  static const std::string kName = "trunk_metrics";
  return kName;
}

CycleResult TrunkMetricsPoller::RunCycle(const CycleRequest&) {
  auto ids = state_.Read([](const TelephonyData& d) -> std::optional<std::vector<std::string>> {
    if (!d.trunks_loaded) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& [id, e] : d.trunks) {
      if (e.trunk.trunk_type == "EXTERNAL") out.push_back(id);
    }
    return out;
  });
  CycleResult r = RunMetricsCycle<TrunkMetrics>(
      api_, clock_, last_count_, std::move(ids), kTrunkMetricsEndpoint, "trunkIds", ParseTrunkMetricsArray,
      [this](const TrunkMetrics& m, UnixNanos at) { state_.ApplyTrunkMetrics(m, at); });
  // Alerts tell "no QoS data for this trunk" from "not polled yet" by this.
  if (r.ok() && !r.skipped) state_.MarkTrunkMetricsLoaded();
  return r;
}

std::int64_t TrunkMetricsPoller::EstimatedRequests() const { return BatchesFor(last_count_.load()); }

EdgeMetricsPoller::EdgeMetricsPoller(ApiClient& api, TelephonyState& state, const Clock& clock)
    : api_(api), state_(state), clock_(clock) {}

const std::string& EdgeMetricsPoller::name() const {
  static const std::string kName = "edge_metrics";
  return kName;
}

CycleResult EdgeMetricsPoller::RunCycle(const CycleRequest&) {
  auto ids = state_.Read([](const TelephonyData& d) -> std::optional<std::vector<std::string>> {
    if (!d.edges_loaded) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& [id, e] : d.edges) out.push_back(id);
    return out;
  });
  return RunMetricsCycle<EdgeMetrics>(
      api_, clock_, last_count_, std::move(ids), kEdgeMetricsEndpoint, "edgeIds", ParseEdgeMetricsArray,
      [this](const EdgeMetrics& m, UnixNanos at) { state_.ApplyEdgeMetrics(m, at); });
}

std::int64_t EdgeMetricsPoller::EstimatedRequests() const { return BatchesFor(last_count_.load()); }

}  // namespace gx
