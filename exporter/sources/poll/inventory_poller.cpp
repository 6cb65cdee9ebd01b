#include "exporter/sources/poll/inventory_poller.h"

#include <utility>

#include "exporter/sources/poll/request_cost.h"

namespace gx {

template <typename T>
InventoryPoller<T>::InventoryPoller(InventoryKind<T> kind, ApiClient& api, TelephonyState& state, const Clock& clock,
                                    int page_size)
    : api_(api), state_(state), clock_(clock), page_size_(page_size), kind_(std::move(kind)) {}

template <typename T>
CycleResult InventoryPoller<T>::RunCycle(const CycleRequest& request) {
  UnixNanos observed_at = clock_.Now();
  CycleResult cycle;
  if (std::optional<CycleResult> done = Prepare(request, observed_at, cycle)) return *done;
  ListingMarks marks;
  cycle.status = List(request, observed_at, marks, cycle.requests);
  if (cycle.ok()) cycle.status = Complete(request, cycle.requests);
  if (cycle.ok()) {
    state_.Write([&](TelephonyWriter& w) { (w.*kind_.sweep)(marks); });
    listed_.store(static_cast<std::int64_t>(marks.size()));
  }
  Finished(request, cycle, marks);
  return cycle;
}

template <typename T>
Status InventoryPoller<T>::List(const CycleRequest& request, UnixNanos observed_at, ListingMarks& marks,
                                std::uint64_t& requests) {
  auto merge = [&](std::vector<T> entities) {
    Saw(entities);
    // One write per slice of a page: the writers' lock is held for a slice's merge.
    state_.WriteInSlices(std::move(entities), [&](TelephonyWriter& w, std::vector<T> slice) {
      (w.*kind_.upsert)(std::move(slice), observed_at, marks);
    });
  };
  for (const std::string& query : Queries(request)) {
    Status walked = WalkPages<T>(api_, kind_.endpoint, query, page_size_, kind_.parse, merge, on_page_, requests);
    if (!walked.ok()) return walked;
  }
  return Status::Ok();
}

template <typename T>
std::int64_t InventoryPoller<T>::EstimatedRequests() const {
  return PagesFor(listed_.load(), page_size_.current());
}

template <typename T>
std::optional<CycleResult> InventoryPoller<T>::Prepare(const CycleRequest&, UnixNanos&, CycleResult&) {
  return std::nullopt;
}

template <typename T>
std::vector<std::string> InventoryPoller<T>::Queries(const CycleRequest&) {
  return {kind_.query};
}

template <typename T>
void InventoryPoller<T>::Saw(const std::vector<T>&) {}

template <typename T>
Status InventoryPoller<T>::Complete(const CycleRequest&, std::uint64_t&) {
  return Status::Ok();
}

template <typename T>
void InventoryPoller<T>::Finished(const CycleRequest&, const CycleResult&, const ListingMarks&) {}

template class InventoryPoller<Phone>;
template class InventoryPoller<Station>;
template class InventoryPoller<Trunk>;
template class InventoryPoller<Edge>;

}  // namespace gx
