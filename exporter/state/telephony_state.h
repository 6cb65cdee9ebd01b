// TelephonyState: the single truth for phones, stations, users, trunks, trunk
// metrics, edges and TLS certificates. Sources (REST pollers, the notification
// applier, TLS probes) write through Write() or the Apply*/Replace* shortcuts,
// one batch at a time; after each batch that changed something the state
// publishes an immutable snapshot. Readers take Snapshot() and hold no lock
// while they work; a writer never waits for a reader (only for another writer).
// Newer data is never overwritten by older data (merge_rules.h). Thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "exporter/state/cow_table.h"
#include "exporter/state/listing_marks.h"
#include "exporter/state/registration_window.h"
#include "exporter/state/state_entries.h"

namespace gx {

// Everything the state holds. A snapshot is one immutable TelephonyData; its
// tables iterate in id order and carry their own version().
struct TelephonyData {
  CowTable<PhoneEntry> phones;
  CowTable<StationEntry> stations;
  CowTable<UserEntry> users;  // followed users only
  CowTable<TrunkEntry> trunks;
  CowTable<TrunkBase> trunk_bases;
  CowTable<TrunkMetricsEntry> trunk_metrics;
  CowTable<EdgeEntry> edges;
  CowTable<EdgeMetricsEntry> edge_metrics;
  CowTable<TlsEntry> tls;  // by host:port

  CowTable<SiteRegistrationCounters> registration_by_site;
  std::uint64_t registration_checks = 0;
  std::uint64_t registration_successes = 0;
  std::optional<UnixNanos> last_registration_failure;
  RegistrationWindow window;

  // Inventory completeness: set once each complete inventory has been applied.
  bool phones_loaded = false;
  bool trunks_loaded = false;
  bool edges_loaded = false;
  bool stations_loaded = false;
  bool trunk_metrics_loaded = false;  // a complete trunk-metrics cycle: a trunk without metrics has none
  // `tls` is the whole target set (configuration plus discovery over a loaded trunk
  // inventory): only then is a target missing from it known to be gone.
  bool tls_targets_complete = false;

  std::uint64_t version = 0;  // bumped on every published change

  // Phone lookup by line id (configured and status lines) and by WebRTC user,
  // maintained by the phone writes so that PhoneOfUser costs O(log n) instead
  // of a scan of every phone per user and scrape. Entries may be stale (a line
  // that moved): PhoneOfUser verifies before trusting one. Data built by hand
  // without the writer has no index and falls back to a scan.
  CowTable<std::string> phone_by_line;
  CowTable<std::string> phone_by_webrtc_user;
  bool phone_index_built = false;
  bool phone_index_patched = false;  // pushed lines were added since the last rebuild
  // Moves whenever PhoneOfUser may answer differently for the same users and
  // stations: a phone added or removed, a phone's lines or WebRTC user changed,
  // the index rebuilt. A phone's status alone does not move it (the topic plan
  // re-plans on this, not on every pushed status).
  std::uint64_t phone_links_version = 0;

  WindowTotals RegistrationTotalsSince(UnixNanos now, int minutes) const { return window.Since(now, minutes); }
  // The phone of a followed user: via the user's station (line appearance or
  // WebRTC user), or nullptr when none is associated or known.
  const PhoneEntry* PhoneOfUser(const std::string& user_id) const;
  // PhoneOfUser for every followed user; users without a phone are absent.
  std::unordered_map<std::string, const PhoneEntry*> PhonesOfUsers() const;
};

using TelephonySnapshot = std::shared_ptr<const TelephonyData>;

// The write side of one batch: every change goes through the merge rules into
// the draft. Only TelephonyState::Write() makes one. A call that changes
// nothing leaves the draft untouched, so the batch publishes nothing.
class TelephonyWriter {
 public:
  // Complete inventories, page by page: Upsert* merges one page of a listing as it arrives
  // (an entity that merges to what is held stays as it is, so snapshots keep sharing it) and
  // marks its ids; Sweep* ends a listing every page of which arrived: it removes what no page
  // named and counts the inventory loaded. A listing that fails midway is not swept and
  // removes nothing. `observed_at` is when the listing's first request was sent.
  template <typename Entity>
  using UpsertFn = void (TelephonyWriter::*)(std::vector<Entity> page, UnixNanos observed_at, ListingMarks& marks);
  using SweepFn = void (TelephonyWriter::*)(const ListingMarks& marks);
  void UpsertPhones(std::vector<Phone> page, UnixNanos observed_at, ListingMarks& marks);
  void SweepPhones(const ListingMarks& marks);
  void UpsertStations(std::vector<Station> page, UnixNanos observed_at, ListingMarks& marks);
  void SweepStations(const ListingMarks& marks);
  void UpsertTrunks(std::vector<Trunk> page, UnixNanos observed_at, ListingMarks& marks);
  void SweepTrunks(const ListingMarks& marks);  // and the metrics of the trunks gone
  void UpsertEdges(std::vector<Edge> page, UnixNanos observed_at, ListingMarks& marks);
  void SweepEdges(const ListingMarks& marks);  // and the metrics of the edges gone

  // A whole inventory in one batch: one page and its sweep. Entities absent from it are removed.
  void ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at);
  void ReplaceStations(std::vector<Station> stations, UnixNanos observed_at);
  void ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at);
  void ReplaceTrunkBases(std::vector<TrunkBase> bases);
  void ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at);

  // Partial updates (a push or one batch). Return false when the update was
  // older than what the state holds, or named an unknown entity.
  bool ApplyPhoneStatus(const PhoneStatusUpdate& update, UnixNanos observed_at);
  bool ApplyTrunkStatus(const TrunkStatusUpdate& update, UnixNanos observed_at);
  bool ApplyEdgeStatus(const EdgeStatusUpdate& update, UnixNanos observed_at);
  bool ApplyTrunkMetrics(const TrunkMetrics& metrics, UnixNanos observed_at);
  void MarkTrunkMetricsLoaded();
  bool ApplyEdgeMetrics(const EdgeMetrics& metrics, UnixNanos observed_at);
  bool ApplyUserStation(const UserStation& station, UnixNanos observed_at);

  void SetFollowedUsers(const std::vector<std::string>& user_ids);
  void ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete);
  void ApplyTlsResult(const TlsProbeResult& result);
  void SetPushed(const std::vector<std::string>& phone_ids, const std::vector<std::string>& trunk_ids,
                 const std::vector<std::string>& edge_ids);

  bool changed() const { return changed_; }

 private:
  friend class TelephonyState;
  explicit TelephonyWriter(TelephonyData& draft) : d_(draft) {}
  void RecordObservation(const PhoneEntry* before, const Phone& after, UnixNanos now);
  void IndexPhone(const Phone& p);
  template <typename V>
  void Store(CowTable<V>& table, std::string key, const V* held, V value);
  // Merges each entity of a listing page: merge(held or nullptr, entity&, first time named)
  // returns the entry to store, moving from the entity.
  template <typename V, typename Entity, typename MergeFn>
  void Upsert(CowTable<V>& table, std::vector<Entity>& page, ListingMarks& marks, MergeFn&& merge);
  // Removes what the listing did not name; how many.
  template <typename V>
  std::size_t Sweep(CowTable<V>& table, const ListingMarks& marks);
  // A listing of one page: `all`, then its sweep.
  template <typename Entity>
  void Whole(UpsertFn<Entity> upsert, SweepFn sweep, std::vector<Entity> all, UnixNanos observed_at);
  template <typename Flag>
  void Set(Flag& flag, Flag value);

  TelephonyData& d_;
  bool changed_ = false;
};

class TelephonyState {
 public:
  TelephonyState();
  TelephonyState(const TelephonyState&) = delete;
  TelephonyState& operator=(const TelephonyState&) = delete;

  // The current snapshot: immutable, valid for as long as it is held.
  TelephonySnapshot Snapshot() const {
    std::lock_guard lock(published_mu_);
    return published_;
  }

  // Runs fn(TelephonyWriter&) as one batch under the writers' lock; publishes
  // one snapshot and wakes the listeners (outside the lock) if it changed anything.
  template <typename Fn>
  auto Write(Fn&& fn) {
    std::unique_lock lock(write_mu_);
    TelephonyWriter w(draft_);
    if constexpr (std::is_void_v<decltype(fn(w))>) {
      fn(w);
      Finish(lock, w.changed());
    } else {
      auto result = fn(w);
      Finish(lock, w.changed());
      return result;
    }
  }

  // Writes `items` in batches of at most kListingSlice, one Write (and snapshot) each:
  // write(TelephonyWriter&, std::vector<T> slice). For listings, so that a pushed event waits
  // for one slice's merge, never a whole listing's.
  template <typename T, typename Fn>
  void WriteInSlices(std::vector<T> items, Fn&& write) {
    for (std::size_t start = 0; start < items.size(); start += kListingSlice) {
      const auto first = items.begin() + static_cast<std::ptrdiff_t>(start);
      const auto n = static_cast<std::ptrdiff_t>(std::min(kListingSlice, items.size() - start));
      std::vector<T> slice(std::make_move_iterator(first), std::make_move_iterator(first + n));
      Write([&](TelephonyWriter& w) { write(w, std::move(slice)); });
    }
  }

  // One-write batches, for sources that write one thing at a time.
  void ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at);
  void ReplaceStations(std::vector<Station> stations, UnixNanos observed_at);
  void ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at);
  void ReplaceTrunkBases(std::vector<TrunkBase> bases);
  void ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at);
  bool ApplyPhoneStatus(const PhoneStatusUpdate& update, UnixNanos observed_at);
  // The statuses of many phones (a poll's status pass) in batches of kStatusBatch: one
  // snapshot per batch rather than per phone, and no batch holds the writers' lock long
  // enough to delay a pushed event by more than a fraction of a millisecond. Returns how
  // many were applied (not older than what the state holds, of known phones).
  static constexpr std::size_t kStatusBatch = 64;
  // A listing is merged in slices of at most this many entities, one batch each (about 1 ms
  // of the writers' lock): ReplacePhones and the inventory pollers' pages. The sweep is a
  // batch of its own. Readers may see a listing half merged: each entity is whole, as with pushes.
  static constexpr std::size_t kListingSlice = 128;
  std::size_t ApplyPhoneStatuses(const std::vector<PhoneStatusUpdate>& updates, UnixNanos observed_at);
  bool ApplyTrunkStatus(const TrunkStatusUpdate& update, UnixNanos observed_at);
  bool ApplyEdgeStatus(const EdgeStatusUpdate& update, UnixNanos observed_at);
  bool ApplyTrunkMetrics(const TrunkMetrics& metrics, UnixNanos observed_at);
  // After every trunk's metrics of one complete poll cycle have been applied.
  void MarkTrunkMetricsLoaded();
  bool ApplyEdgeMetrics(const EdgeMetrics& metrics, UnixNanos observed_at);
  bool ApplyUserStation(const UserStation& station, UnixNanos observed_at);
  // Followed users (from config). Unknown until their station is read.
  void SetFollowedUsers(const std::vector<std::string>& user_ids);
  // TLS targets (config + discovery) and probe results. `complete`: the list is the
  // whole set (discovery ran over a loaded trunk inventory, or discovery is off).
  void ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete);
  void ApplyTlsResult(const TlsProbeResult& result);
  // Which entities a push subscription covers (the rest are polled).
  void SetPushed(const std::vector<std::string>& phone_ids, const std::vector<std::string>& trunk_ids,
                 const std::vector<std::string>& edge_ids);

  // Runs fn(const TelephonyData&) on the current snapshot (no lock is held).
  template <typename Fn>
  auto Read(Fn&& fn) const {
    TelephonySnapshot s = Snapshot();
    return fn(*s);
  }

  std::uint64_t version() const { return version_.load(); }

  // Called after every published change, outside the writers' lock, on the writer's thread.
  void AddChangeListener(std::function<void()> listener);

 private:
  void Finish(std::unique_lock<std::mutex>& lock, bool changed);

  std::mutex write_mu_;
  TelephonyData draft_;  // guarded by write_mu_; shares everything unchanged with the snapshots
  // The current snapshot, behind a mutex held only to copy or swap the pointer. Not
  // std::atomic<shared_ptr>: libstdc++ 12's load() releases its internal lock with a relaxed
  // store, so a load and a later store form a data race that TSan reports (and rightly).
  mutable std::mutex published_mu_;
  TelephonySnapshot published_;
  std::atomic<std::uint64_t> version_{0};
  using Listeners = std::vector<std::function<void()>>;
  std::mutex listeners_mu_;
  // Replaced, never changed in place, so that a publish copies one pointer, not the functions.
  std::shared_ptr<const Listeners> listeners_ = std::make_shared<const Listeners>();
};

}  // namespace gx
