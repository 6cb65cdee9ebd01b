// Polls the edges listing and replaces the edge inventory when every page
// arrived. One cycle at a time; EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <string>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kEdgesEndpoint = "/api/v2/telephony/providers/edges";

class EdgesPoller final : public Poller {
 public:
  EdgesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;

  FetchResult<Edge> GetEdges();

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize page_size_;
  std::atomic<std::int64_t> last_count_{0};
};

}  // namespace gx
