// The one cycle of the inventory pollers (phones, stations, trunks, edges): list the kind's
// endpoint page by page, merge each page into the state as it arrives (one short write per
// page, TelephonyWriter::Upsert*), and once every page arrived sweep what the listing did not
// name (Sweep*), which also counts the inventory loaded. So a listing never holds the whole
// inventory in memory, and one that fails midway removes nothing. A kind is a declaration
// (InventoryKind: endpoint, query, parser, merge); where a kind differs it overrides a hook
// (phones' status pass, stations' associations, trunks' bases). One cycle at a time (the
// scheduler's thread for this poller); EstimatedRequests is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/genesys/api/api_client.h"
#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/sources/poll/page_fetcher.h"
#include "exporter/sources/poll/poller.h"
#include "exporter/state/telephony_state.h"

namespace gx {

template <typename T>
struct InventoryKind {
  std::string name;      // the poller's ("edges")
  std::string endpoint;  // the listing's path, also the requests' endpoint label
  std::string query;     // on every page ("sortBy=id&expand=status,lines"), may be empty
  Status (*parse)(std::string_view body, Page<T>& out);
  TelephonyWriter::UpsertFn<T> upsert;  // TelephonyWriter::UpsertEdges
  TelephonyWriter::SweepFn sweep;       // TelephonyWriter::SweepEdges
};

template <typename T>
class InventoryPoller : public Poller {
 public:
  InventoryPoller(InventoryKind<T> kind, ApiClient& api, TelephonyState& state, const Clock& clock, int page_size);
  const std::string& name() const override { return kind_.name; }
  CycleResult RunCycle(const CycleRequest& request) final;
  // One request per page of the last complete listing.
  std::int64_t EstimatedRequests() const override;
  int page_size() const { return page_size_.current(); }

 protected:
  // Hooks, in cycle order, for what a kind does beyond the listing; the defaults do nothing.
  // Before the listing: a result ends the cycle there (phones' status pass); otherwise the
  // requests spent go into `cycle` and the listing is observed at `observed_at`.
  virtual std::optional<CycleResult> Prepare(const CycleRequest& request, UnixNanos& observed_at, CycleResult& cycle);
  // The listing's queries, one walk each, all one listing (stations: one per batch of ids).
  virtual std::vector<std::string> Queries(const CycleRequest& request);
  // A page's entities, just before they are merged.
  virtual void Saw(const std::vector<T>& page);
  // Every page arrived, the sweep is next; an error fails the cycle unswept (trunks' bases).
  virtual Status Complete(const CycleRequest& request, std::uint64_t& requests);
  // The cycle is over, `cycle` says how; `marks` holds what the listing named.
  virtual void Finished(const CycleRequest& request, const CycleResult& cycle, const ListingMarks& marks);

  ApiClient& api_;
  TelephonyState& state_;
  const Clock& clock_;
  PageSize page_size_;

 private:
  Status List(const CycleRequest& request, UnixNanos observed_at, ListingMarks& marks, std::uint64_t& requests);

  const InventoryKind<T> kind_;
  std::atomic<std::int64_t> listed_{0};  // entities the last complete listing named
};

extern template class InventoryPoller<Phone>;
extern template class InventoryPoller<Station>;
extern template class InventoryPoller<Trunk>;
extern template class InventoryPoller<Edge>;

}  // namespace gx
