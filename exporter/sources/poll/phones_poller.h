// Polls the phones listing (status and lines expanded, sorted by id so that no
// result cap applies) and replaces the phone inventory when every page arrived.
// One cycle at a time (scheduler thread); EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <string>

#include "exporter/api/api_client.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

inline const std::string kPhonesEndpoint = "/api/v2/telephony/providers/edges/phones";

class PhonesPoller final : public Poller {
 public:
  PhonesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  const std::string& name() const override;
  CycleResult RunCycle() override;
  std::int64_t EstimatedRequests() const override;

  // I/O: every page of the listing.
  FetchResult<Phone> GetPhones();
  int page_size() const { return page_size_.current(); }

 private:
  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize page_size_;
  std::atomic<std::int64_t> last_count_{0};
};

}  // namespace gx
