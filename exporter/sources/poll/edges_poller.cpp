#include "exporter/sources/poll/edges_poller.h"

#include "exporter/sources/poll/request_cost.h"

namespace gx {

EdgesPoller::EdgesPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : api_(api), state_(state), clock_(clock), page_size_(page_size) {}

const std::string& EdgesPoller::name() const {
  static const std::string kName = "edges";
  return kName;
}

FetchResult<Edge> EdgesPoller::GetEdges() {
  return FetchAllPages<Edge>(api_, kEdgesEndpoint, "", kEdgesEndpoint, page_size_, ParseEdgesPage, on_page_);
}

CycleResult EdgesPoller::RunCycle(const CycleRequest&) {
  UnixNanos observed_at = clock_.Now();
  auto fetched = GetEdges();
  CycleResult r;
  r.requests = fetched.requests;
  if (!fetched.ok) {
    r.error = std::move(fetched.error);
    return r;
  }
  last_count_.store(static_cast<std::int64_t>(fetched.entities.size()));
  state_.ReplaceEdges(std::move(fetched.entities), observed_at);
  r.ok = true;
  return r;
}

std::int64_t EdgesPoller::EstimatedRequests() const {
  return PagesFor(last_count_.load(), page_size_.current());
}

}  // namespace gx
