// Polls trunk metrics (external trunks only) and edge metrics in batches of at
// most 100 ids, for the trunks/edges the state currently knows. Results are
// applied only when every batch of the cycle succeeded. One cycle at a time;
// EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kTrunkMetricsEndpoint = "/api/v2/telephony/providers/edges/trunks/metrics";
inline const std::string kEdgeMetricsEndpoint = "/api/v2/telephony/providers/edges/metrics";

// Splits ids into comma-joined batches of at most `batch` ids.
std::vector<std::string> IdBatches(std::vector<std::string> ids, int batch);

class TrunkMetricsPoller final : public Poller {
 public:
  TrunkMetricsPoller(ApiClient& api, TelephonyState& state, const Clock& clock);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  std::atomic<std::int64_t> last_count_{0};
};

class EdgeMetricsPoller final : public Poller {
 public:
  EdgeMetricsPoller(ApiClient& api, TelephonyState& state, const Clock& clock);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  std::atomic<std::int64_t> last_count_{0};
};

}  // namespace gx
