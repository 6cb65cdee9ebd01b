// The one cycle of the metrics pollers (trunk metrics of external trunks, edge metrics): ask
// for the metrics of the ids the state knows, in batches of at most 100 ids, and apply them
// only when every batch of the cycle succeeded. A kind is a declaration (MetricsKind: which
// ids, endpoint, parser, how to apply). One cycle at a time; EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kTrunkMetricsEndpoint = "/api/v2/telephony/providers/edges/trunks/metrics";
inline const std::string kEdgeMetricsEndpoint = "/api/v2/telephony/providers/edges/metrics";

// Splits ids into comma-joined batches of at most `batch` ids.
std::vector<std::string> IdBatches(std::vector<std::string> ids, int batch);

template <typename T>
struct MetricsKind {
  std::string name;      // the poller's ("edge_metrics")
  std::string endpoint;  // also the requests' endpoint label
  std::string param;     // the query parameter of the ids ("edgeIds")
  // The ids to ask about; nullopt until the inventory has loaded (the cycle is skipped then).
  std::optional<std::vector<std::string>> (*ids)(const TelephonyData& data);
  Status (*parse)(std::string_view body, std::vector<T>& out);
  bool (TelephonyState::*apply)(const T& metrics, UnixNanos observed_at);
  // After a cycle that applied every batch; may be null.
  void (TelephonyState::*loaded)() = nullptr;
};

extern const MetricsKind<TrunkMetrics> kTrunkMetricsKind;
extern const MetricsKind<EdgeMetrics> kEdgeMetricsKind;

template <typename T>
class MetricsPoller final : public Poller {
 public:
  MetricsPoller(MetricsKind<T> kind, ApiClient& api, TelephonyState& state, const Clock& clock);
  const std::string& name() const override { return kind_.name; }
  CycleResult RunCycle(const CycleRequest& request) override;
  // One request per batch of the ids of the last cycle.
  std::int64_t EstimatedRequests() const override;

 private:
  const MetricsKind<T> kind_;
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  std::atomic<std::int64_t> last_count_{0};
};

extern template class MetricsPoller<TrunkMetrics>;
extern template class MetricsPoller<EdgeMetrics>;

}  // namespace gx
