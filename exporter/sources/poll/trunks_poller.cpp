#include "exporter/sources/poll/trunks_poller.h"

#include "exporter/sources/poll/request_cost.h"

namespace gx {

TrunksPoller::TrunksPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : api_(api), state_(state), clock_(clock), trunk_page_size_(page_size), base_page_size_(page_size) {}

const std::string& TrunksPoller::name() const {
  static const std::string kName = "trunks";
  return kName;
}

FetchResult<Trunk> TrunksPoller::GetTrunks() {
  return FetchAllPages<Trunk>(api_, kTrunksEndpoint, "", kTrunksEndpoint, trunk_page_size_, ParseTrunksPage,
                              on_page_);
}

FetchResult<TrunkBase> TrunksPoller::GetTrunkBases() {
  return FetchAllPages<TrunkBase>(api_, kTrunkBasesEndpoint, "expand=properties", kTrunkBasesEndpoint,
                                  base_page_size_, ParseTrunkBasesPage, on_page_);
}

CycleResult TrunksPoller::RunCycle(const CycleRequest& request) {
  UnixNanos observed_at = clock_.Now();
  CycleResult r;
  auto trunks = GetTrunks();
  r.requests = trunks.requests;
  if (!trunks.ok) {
    r.error = std::move(trunks.error);
    return r;
  }
  bool read_bases = request.resync || !bases_read_;
  for (const auto& t : trunks.entities) {
    if (read_bases) break;
    if (!t.trunk_base.id.empty() && !base_ids_.count(t.trunk_base.id)) read_bases = true;  // a new base
  }
  if (read_bases) {
    auto bases = GetTrunkBases();
    r.requests += bases.requests;
    if (!bases.ok) {
      r.error = std::move(bases.error);
      return r;
    }
    base_ids_.clear();
    for (const auto& b : bases.entities) base_ids_.insert(b.id);
    bases_read_ = true;
    last_bases_.store(static_cast<std::int64_t>(bases.entities.size()));
    state_.ReplaceTrunkBases(std::move(bases.entities));
  }
  last_trunks_.store(static_cast<std::int64_t>(trunks.entities.size()));
  state_.ReplaceTrunks(std::move(trunks.entities), observed_at);
  r.ok = true;
  return r;
}

std::int64_t TrunksPoller::EstimatedRequests() const {
  // Base settings are read on resyncs only, too rarely to count in the per-cycle cost.
  return PagesFor(last_trunks_.load(), trunk_page_size_.current());
}

}  // namespace gx
