// Polls the trunks listing and the trunk base settings (with properties, for
// SIP-TLS discovery) and replaces both when every page arrived. Base settings are
// configuration: they are read on a resync (the first cycle, after a stream gap, every
// collection.intervals.resync) and when a trunk names a base not read yet, not every
// cycle. One cycle at a time; EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <string>
#include <unordered_set>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kTrunksEndpoint = "/api/v2/telephony/providers/edges/trunks";
inline const std::string kTrunkBasesEndpoint = "/api/v2/telephony/providers/edges/trunkbasesettings";

class TrunksPoller final : public Poller {
 public:
  TrunksPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;

  FetchResult<Trunk> GetTrunks();
  FetchResult<TrunkBase> GetTrunkBases();

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize trunk_page_size_;
  PageSize base_page_size_;
  std::atomic<std::int64_t> last_trunks_{0};
  std::atomic<std::int64_t> last_bases_{0};
  bool bases_read_ = false;                   // cycle thread only
  std::unordered_set<std::string> base_ids_;  // cycle thread only: the bases last read
};

}  // namespace gx
