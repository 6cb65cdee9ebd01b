// Polls the phones listing (status and lines expanded, sorted by id so that no result cap
// applies): InventoryPoller's cycle, merged page by page and swept when every page arrived.
// While the push stream is healthy, a cycle that is not a resync first tries a status pass:
// it reads only the pages holding a phone the stream does not carry (PhonePageLayout, from
// the last complete listing) and applies their statuses; pushed phones get theirs by push.
// If a page read that way shows the listing has shifted (phones added, removed or changed),
// the cycle goes on with a full listing. One cycle at a time (scheduler thread);
// EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "exporter/sources/poll/inventory_poller.h"
#include "exporter/sources/poll/phone_page_layout.h"

namespace gx {

inline const std::string kPhonesEndpoint = "/api/v2/telephony/providers/edges/phones";

class PhonesPoller final : public InventoryPoller<Phone> {
 public:
  PhonesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  std::int64_t EstimatedRequests() const override;

 private:
  // The status pass, when the stream allows it.
  std::optional<CycleResult> Prepare(const CycleRequest& request, UnixNanos& observed_at, CycleResult& cycle) override;
  void Saw(const std::vector<Phone>& page) override;
  void Finished(const CycleRequest& request, const CycleResult& cycle, const ListingMarks& marks) override;

  // The pages with polled phones only; nullopt when the listing shifted (the requests it
  // spent are added to `spent`).
  std::optional<CycleResult> StatusPass(UnixNanos observed_at, std::uint64_t& spent);
  void UpdateEstimate(bool pushed_live);
  // The layout's pages that hold a phone the state does not mark pushed.
  std::vector<std::int64_t> PagesToRead() const;

  PhonePageLayout layout_;                         // cycle thread only
  std::vector<std::vector<std::string>> page_ids_;  // cycle thread only: this listing's phone ids, page by page
  std::atomic<std::int64_t> estimate_{1};
};

}  // namespace gx
