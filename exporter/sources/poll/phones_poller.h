// Polls the phones listing (status and lines expanded, sorted by id so that no
// result cap applies). A full listing replaces the phone inventory when every page
// arrived. While the push stream is healthy, a cycle that is not a resync reads only
// the pages holding a phone the stream does not carry (PhonePageLayout) and applies
// their statuses; pushed phones get theirs by push. If a page read that way shows the
// listing has shifted (phones added, removed or changed), the cycle goes on with a full
// listing. One cycle at a time (scheduler thread); EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/phone_page_layout.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kPhonesEndpoint = "/api/v2/telephony/providers/edges/phones";

class PhonesPoller final : public Poller {
 public:
  PhonesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  const std::string& name() const override;
  CycleResult RunCycle(const CycleRequest& request) override;
  std::int64_t EstimatedRequests() const override;

  // I/O: every page of the listing.
  FetchResult<Phone> GetPhones();
  int page_size() const { return page_size_.current(); }

 private:
  CycleResult FullListing(UnixNanos observed_at);
  // The pages with polled phones only; nullopt when the listing shifted (the requests it
  // spent are added to `spent`).
  std::optional<CycleResult> StatusPass(UnixNanos observed_at, std::uint64_t& spent);
  void UpdateEstimate(bool pushed_live);
  // The layout's pages that hold a phone the state does not mark pushed.
  std::vector<std::int64_t> PagesToRead() const;

  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize page_size_;
  PhonePageLayout layout_;  // cycle thread only
  std::atomic<std::int64_t> estimate_{1};
};

}  // namespace gx
