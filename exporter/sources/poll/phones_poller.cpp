#include "exporter/sources/poll/phones_poller.h"

#include "exporter/sources/poll/request_cost.h"

namespace gx {

PhonesPoller::PhonesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : api_(api), state_(state), clock_(clock), page_size_(page_size) {}

const std::string& PhonesPoller::name() const {
  static const std::string kName = "phones";
  return kName;
}

FetchResult<Phone> PhonesPoller::GetPhones() {
  // sortBy=id: any other sort caps the listing at 10,000 results.
  return FetchAllPages<Phone>(api_, kPhonesEndpoint, "sortBy=id&expand=status,lines", kPhonesEndpoint,
                              page_size_, ParsePhonesPage, on_page_);
}

CycleResult PhonesPoller::RunCycle() {
  UnixNanos observed_at = clock_.Now();
  auto fetched = GetPhones();
  CycleResult r;
  r.requests = fetched.requests;
  if (!fetched.ok) {
    r.error = std::move(fetched.error);
    return r;
  }
  last_count_.store(static_cast<std::int64_t>(fetched.entities.size()));
  state_.ReplacePhones(std::move(fetched.entities), observed_at);
  r.ok = true;
  return r;
}

std::int64_t PhonesPoller::EstimatedRequests() const {
  return PagesFor(last_count_.load(), page_size_.current());
}

}  // namespace gx
