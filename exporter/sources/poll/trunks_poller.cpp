#include "exporter/sources/poll/trunks_poller.h"

namespace gx {

TrunksPoller::TrunksPoller(ApiClient& api, TelephonyState& state, const Clock& clock, int page_size)
    : InventoryPoller({"trunks", kTrunksEndpoint, "", ParseTrunksPage, &TelephonyWriter::UpsertTrunks,
                       &TelephonyWriter::SweepTrunks},
                      api, state, clock, page_size),
      base_page_size_(page_size) {}

std::optional<CycleResult> TrunksPoller::Prepare(const CycleRequest&, UnixNanos&, CycleResult&) {
  new_base_named_ = false;
  return std::nullopt;
}

void TrunksPoller::Saw(const std::vector<Trunk>& page) {
  for (const auto& t : page) {
    if (!t.trunk_base.id.empty() && !base_ids_.count(t.trunk_base.id)) new_base_named_ = true;
  }
}

Status TrunksPoller::Complete(const CycleRequest& request, std::uint64_t& requests) {
  if (!request.resync && bases_read_ && !new_base_named_) return Status::Ok();
  std::vector<TrunkBase> bases;  // configuration: replaced whole
  Status read = WalkPages<TrunkBase>(
      api_, kTrunkBasesEndpoint, "expand=properties", base_page_size_, ParseTrunkBasesPage,
      [&](std::vector<TrunkBase> page) {
        for (auto& b : page) bases.push_back(std::move(b));
      },
      on_page_, requests);
  if (!read.ok()) return read;
  base_ids_.clear();
  for (const auto& b : bases) base_ids_.insert(b.id);
  bases_read_ = true;
  state_.ReplaceTrunkBases(std::move(bases));
  return Status::Ok();
}

}  // namespace gx
