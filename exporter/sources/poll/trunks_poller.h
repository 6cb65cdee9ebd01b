// Polls the trunks listing (InventoryPoller: merged page by page, swept when every page
// arrived) and the trunk base settings (with properties, for SIP-TLS discovery). Base
// settings are configuration: they are read after the trunks on a resync (the first cycle,
// after a stream gap, every collection.intervals.resync) and when a trunk names a base not
// read yet, not every cycle; the trunks are swept only once they arrived too. One cycle at a
// time; EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <string>
#include <unordered_set>

#include "exporter/sources/poll/inventory_poller.h"

namespace gx {

inline const std::string kTrunksEndpoint = "/api/v2/telephony/providers/edges/trunks";
inline const std::string kTrunkBasesEndpoint = "/api/v2/telephony/providers/edges/trunkbasesettings";

class TrunksPoller final : public InventoryPoller<Trunk> {
 public:
  TrunksPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);

 private:
  std::optional<CycleResult> Prepare(const CycleRequest& request, UnixNanos& observed_at, CycleResult& cycle) override;
  void Saw(const std::vector<Trunk>& page) override;
  Status Complete(const CycleRequest& request, std::uint64_t& requests) override;

  PageSize base_page_size_;
  bool bases_read_ = false;                   // cycle thread only
  bool new_base_named_ = false;               // cycle thread only: this cycle's trunks name a base not read
  std::unordered_set<std::string> base_ids_;  // cycle thread only: the bases last read
};

}  // namespace gx
