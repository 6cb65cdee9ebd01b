#include "exporter/state/telephony_state.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "exporter/state/merge_rules.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

// The fields PhoneOfUser looks at: configured lines, status lines, WebRTC user.
bool SameLinks(const Phone& a, const Phone& b) {
  if (a.web_rtc_user_id != b.web_rtc_user_id || a.line_ids != b.line_ids) return false;
  if (a.status.has_value() != b.status.has_value()) return false;
  if (!a.status) return true;
  const auto& la = a.status->lines;
  const auto& lb = b.status->lines;
  if (la.size() != lb.size()) return false;
  for (std::size_t i = 0; i < la.size(); ++i) {
    if (la[i].id != lb[i].id) return false;
  }
  return true;
}

bool HasLine(const Phone& p, const std::string& line_id) {
  for (const auto& l : p.line_ids) {
    if (l == line_id) return true;
  }
  if (p.status) {
    for (const auto& l : p.status->lines) {
      if (l.id == line_id) return true;
    }
  }
  return false;
}

}  // namespace

const PhoneEntry* TelephonyData::PhoneOfUser(const std::string& user_id) const {
  const UserEntry* u = users.Find(user_id);
  if (!u || u->station.station_id.empty()) return nullptr;
  const std::string& station_id = u->station.station_id;
  std::string line_id, webrtc_user;
  if (const StationEntry* s = stations.Find(station_id)) {
    line_id = s->station.line_appearance_id;
    webrtc_user = s->station.web_rtc_user_id;
  }
  const std::string& want = line_id.empty() ? station_id : line_id;
  if (phone_index_built) {
    if (!webrtc_user.empty()) {
      if (const std::string* id = phone_by_webrtc_user.Find(webrtc_user)) {
        const PhoneEntry* p = phones.Find(*id);
        if (p && p->phone.web_rtc_user_id == webrtc_user) return p;
      }
    }
    if (const std::string* id = phone_by_line.Find(want)) {
      const PhoneEntry* p = phones.Find(*id);
      if (p && HasLine(p->phone, want)) return p;
    }
    return nullptr;
  }
  for (const auto& [id, entry] : phones) {
    const Phone& p = entry.phone;
    if (!webrtc_user.empty() && p.web_rtc_user_id == webrtc_user) return &entry;
    if (HasLine(p, want)) return &entry;
  }
  return nullptr;
}

std::unordered_map<std::string, const PhoneEntry*> TelephonyData::PhonesOfUsers() const {
  std::unordered_map<std::string, const PhoneEntry*> out;
  for (const auto& [user_id, u] : users) {
    if (const PhoneEntry* p = PhoneOfUser(user_id)) out.emplace(user_id, p);
  }
  return out;
}

// ---- the writer ----

template <typename V>
void TelephonyWriter::Store(CowTable<V>& table, std::string key, const V* held, V value) {
  if (held && *held == value) return;  // nothing changed: the table (and its version) stay
  table.PutNode(CowTable<V>::MakeNode(std::move(key), std::move(value)));
  changed_ = true;
}

template <typename Flag>
void TelephonyWriter::Set(Flag& flag, Flag value) {
  if (flag == value) return;
  flag = std::move(value);
  changed_ = true;
}

void TelephonyWriter::IndexPhone(const Phone& p) {
  auto put = [&](CowTable<std::string>& index, const std::string& key) {
    Store(index, key, index.Find(key), std::string(p.id));
  };
  if (!p.web_rtc_user_id.empty()) put(d_.phone_by_webrtc_user, p.web_rtc_user_id);
  for (const auto& l : p.line_ids) put(d_.phone_by_line, l);
  if (p.status) {
    for (const auto& l : p.status->lines) put(d_.phone_by_line, l.id);
  }
}

void TelephonyWriter::RecordObservation(const PhoneEntry* before, const Phone& after, UnixNanos now) {
  const bool registered = PhoneRegistered(after);
  const std::string& site_label = PhoneSiteLabel(after);
  SiteRegistrationCounters site;
  if (const auto* held = d_.registration_by_site.Find(site_label)) site = *held;
  ++site.checks;
  ++d_.registration_checks;
  if (registered) {
    ++d_.registration_successes;
  } else {
    ++site.failures;
    d_.last_registration_failure = now;
  }
  d_.window.Record(now, !registered);
  // Line transitions: only a real change of a line we already knew counts.
  if (before && before->phone.status && after.status) {
    for (const auto& line : after.status->lines) {
      for (const auto& old : before->phone.status->lines) {
        if (old.id == line.id && old.reachable != line.reachable) {
          line.reachable ? ++site.to_reachable : ++site.to_unreachable;
        }
      }
    }
  }
  d_.registration_by_site.Put(site_label, site);
  changed_ = true;
}

template <typename V, typename Entity, typename MergeFn>
void TelephonyWriter::Upsert(CowTable<V>& table, std::vector<Entity>& page, ListingMarks& marks, MergeFn&& merge) {
  for (auto& entity : page) {
    const bool first = marks.Mark(entity.id);
    const V* held = table.Find(entity.id);
    std::string id = entity.id;
    Store(table, std::move(id), held, merge(held, entity, first));  // merge moves from `entity`
  }
}

template <typename V>
std::size_t TelephonyWriter::Sweep(CowTable<V>& table, const ListingMarks& marks) {
  const std::size_t removed = table.EraseIf([&](const std::string& id, const V&) { return !marks.Has(id); });
  if (removed) changed_ = true;
  // A table filled entry by entry (the first listing) has the smallest chunks: give it the
  // shape a whole assignment gives, once.
  if (table.Rebalance()) changed_ = true;
  return removed;
}

template <typename Entity>
void TelephonyWriter::Whole(UpsertFn<Entity> upsert, SweepFn sweep, std::vector<Entity> all, UnixNanos observed_at) {
  ListingMarks marks;
  (this->*upsert)(std::move(all), observed_at, marks);
  (this->*sweep)(marks);
}

void TelephonyWriter::UpsertPhones(std::vector<Phone> page, UnixNanos observed_at, ListingMarks& marks) {
  bool links_changed = false;
  Upsert(d_.phones, page, marks, [&](const PhoneEntry* held, Phone& p, bool first) {
    PhoneReport report;
    report.listing = std::move(p);
    report.observed_at = observed_at;
    PhoneMerge merged = *MergePhone(held, std::move(report));
    // One registration check per phone and listing, also when a shifting listing shows it twice.
    if (merged.observed && first) RecordObservation(held, merged.entry.phone, observed_at);
    if (!held || !SameLinks(held->phone, merged.entry.phone)) {
      // Findable before the sweep rebuilds the index (without one, PhoneOfUser scans).
      if (d_.phone_index_built) IndexPhone(merged.entry.phone);
      links_changed = true;
    }
    return std::move(merged.entry);
  });
  if (links_changed) {
    marks.links_changed_ = true;
    d_.phone_index_patched = true;
    ++d_.phone_links_version;
    changed_ = true;
  }
}

void TelephonyWriter::SweepPhones(const ListingMarks& marks) {
  const bool phones_left = Sweep(d_.phones, marks) > 0;
  if (phones_left || marks.links_changed_ || !d_.phone_index_built || d_.phone_index_patched) {
    // A complete inventory: rebuild the index so that lines that moved or left are dropped.
    std::vector<CowTable<std::string>::Node> by_line, by_webrtc;
    for (const auto& [id, entry] : d_.phones) {
      const Phone& ph = entry.phone;
      if (!ph.web_rtc_user_id.empty()) by_webrtc.push_back(CowTable<std::string>::MakeNode(ph.web_rtc_user_id, id));
      for (const auto& l : ph.line_ids) by_line.push_back(CowTable<std::string>::MakeNode(l, id));
      if (ph.status) {
        for (const auto& l : ph.status->lines) by_line.push_back(CowTable<std::string>::MakeNode(l.id, id));
      }
    }
    d_.phone_by_line.Assign(std::move(by_line));
    d_.phone_by_webrtc_user.Assign(std::move(by_webrtc));
    d_.phone_index_built = true;
    d_.phone_index_patched = false;
    ++d_.phone_links_version;
    changed_ = true;
  }
  Set(d_.phones_loaded, true);
}

void TelephonyWriter::ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at) {
  Whole(&TelephonyWriter::UpsertPhones, &TelephonyWriter::SweepPhones, std::move(phones), observed_at);
}

bool TelephonyWriter::ApplyPhoneStatus(const PhoneStatusUpdate& update, UnixNanos observed_at) {
  const PhoneEntry* held = d_.phones.Find(update.phone_id);
  PhoneReport report;
  report.status = update.status;
  report.secondary_status = update.secondary_status;
  report.observed_at = observed_at;
  auto merged = MergePhone(held, std::move(report));
  if (!merged) return false;
  if (merged->observed) RecordObservation(held, merged->entry.phone, observed_at);
  // A pushed status may name lines we have not indexed (the usual push names the same ones).
  const auto lines = [](const Phone& p) { return p.status ? &p.status->lines : nullptr; };
  const auto* before = held ? lines(held->phone) : nullptr;
  const auto* after = lines(merged->entry.phone);
  bool same_lines = before && after && before->size() == after->size();
  for (std::size_t i = 0; same_lines && i < after->size(); ++i) same_lines = (*before)[i].id == (*after)[i].id;
  if (!same_lines) {
    IndexPhone(merged->entry.phone);
    d_.phone_index_patched = true;
    ++d_.phone_links_version;
    changed_ = true;
  }
  Store(d_.phones, update.phone_id, held, std::move(merged->entry));
  return true;
}

void TelephonyWriter::UpsertStations(std::vector<Station> page, UnixNanos observed_at, ListingMarks& marks) {
  Upsert(d_.stations, page, marks, [&](const StationEntry* held, Station& s, bool) {
    return MergeStation(held, std::move(s), observed_at);
  });
  // A pushed association to a station read only now gets the station's type.
  std::vector<std::pair<std::string, UserEntry>> filled;
  for (const auto& [user_id, user] : d_.users) {
    const StationEntry* entity = d_.stations.Find(user.station.station_id);
    if (!entity) continue;
    if (auto e = FillStationType(user, entity->station)) filled.emplace_back(user_id, std::move(*e));
  }
  for (auto& [user_id, e] : filled) Store(d_.users, user_id, d_.users.Find(user_id), std::move(e));
}

void TelephonyWriter::SweepStations(const ListingMarks& marks) {
  Sweep(d_.stations, marks);
  Set(d_.stations_loaded, true);
}

void TelephonyWriter::ReplaceStations(std::vector<Station> stations, UnixNanos observed_at) {
  Whole(&TelephonyWriter::UpsertStations, &TelephonyWriter::SweepStations, std::move(stations), observed_at);
}

void TelephonyWriter::SetFollowedUsers(const std::vector<std::string>& user_ids) {
  using Table = CowTable<UserEntry>;
  std::vector<Table::Node> next;
  for (const auto& id : user_ids) {
    if (Table::Node held = d_.users.FindNode(id)) {
      next.push_back(std::move(held));
    } else {
      UserEntry e;
      e.station.user_id = id;
      next.push_back(Table::MakeNode(id, std::move(e)));
    }
  }
  CowTable<UserEntry> users = d_.users;
  users.Assign(std::move(next));
  // Same ids in the same order as held (both sorted): nothing changed.
  bool same = users.size() == d_.users.size();
  for (auto a = users.begin(), b = d_.users.begin(); same && a != users.end(); ++a, ++b) same = a.node() == b.node();
  if (same) return;
  d_.users = std::move(users);
  changed_ = true;
}

bool TelephonyWriter::ApplyUserStation(const UserStation& station, UnixNanos observed_at) {
  const UserEntry* held = d_.users.Find(station.user_id);
  if (!held) return false;
  const StationEntry* entity = d_.stations.Find(station.station_id);
  auto merged = MergeUserStation(*held, station, observed_at, entity ? &entity->station : nullptr);
  if (!merged) return false;
  Store(d_.users, station.user_id, held, std::move(*merged));
  return true;
}

void TelephonyWriter::UpsertTrunks(std::vector<Trunk> page, UnixNanos observed_at, ListingMarks& marks) {
  Upsert(d_.trunks, page, marks, [&](const TrunkEntry* held, Trunk& t, bool) {
    TrunkReport report;
    report.listing = std::move(t);
    report.observed_at = observed_at;
    return *MergeTrunk(held, std::move(report));
  });
}

void TelephonyWriter::SweepTrunks(const ListingMarks& marks) {
  Sweep(d_.trunks, marks);
  Sweep(d_.trunk_metrics, marks);
  Set(d_.trunks_loaded, true);
}

void TelephonyWriter::ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at) {
  Whole(&TelephonyWriter::UpsertTrunks, &TelephonyWriter::SweepTrunks, std::move(trunks), observed_at);
}

bool TelephonyWriter::ApplyTrunkStatus(const TrunkStatusUpdate& u, UnixNanos observed_at) {
  const TrunkEntry* held = d_.trunks.Find(u.trunk_id);
  TrunkReport report;
  report.status = u;
  report.observed_at = observed_at;
  auto merged = MergeTrunk(held, std::move(report));
  if (!merged) return false;
  Store(d_.trunks, u.trunk_id, held, std::move(*merged));
  return true;
}

void TelephonyWriter::ReplaceTrunkBases(std::vector<TrunkBase> bases) {
  CowTable<TrunkBase> next = d_.trunk_bases;
  std::vector<CowTable<TrunkBase>::Node> nodes;
  nodes.reserve(bases.size());
  for (auto& b : bases) {
    std::string id = b.id;
    nodes.push_back(CowTable<TrunkBase>::MakeNode(std::move(id), std::move(b)));
  }
  next.Assign(std::move(nodes));
  bool same = next.size() == d_.trunk_bases.size();
  for (auto a = next.begin(), b = d_.trunk_bases.begin(); same && a != next.end(); ++a, ++b) same = *a == *b;
  if (same) return;
  d_.trunk_bases = std::move(next);
  changed_ = true;
}

bool TelephonyWriter::ApplyTrunkMetrics(const TrunkMetrics& m, UnixNanos observed_at) {
  if (!d_.trunks.contains(m.trunk_id)) return false;
  const TrunkMetricsEntry* held = d_.trunk_metrics.Find(m.trunk_id);
  auto merged = MergeTrunkMetrics(held, m, observed_at);
  if (!merged) return false;
  Store(d_.trunk_metrics, m.trunk_id, held, std::move(*merged));
  return true;
}

void TelephonyWriter::MarkTrunkMetricsLoaded() { Set(d_.trunk_metrics_loaded, true); }

void TelephonyWriter::UpsertEdges(std::vector<Edge> page, UnixNanos observed_at, ListingMarks& marks) {
  Upsert(d_.edges, page, marks, [&](const EdgeEntry* held, Edge& e, bool) {
    EdgeReport report;
    report.listing = std::move(e);
    report.observed_at = observed_at;
    return *MergeEdge(held, std::move(report));
  });
}

void TelephonyWriter::SweepEdges(const ListingMarks& marks) {
  Sweep(d_.edges, marks);
  Sweep(d_.edge_metrics, marks);
  Set(d_.edges_loaded, true);
}

void TelephonyWriter::ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at) {
  Whole(&TelephonyWriter::UpsertEdges, &TelephonyWriter::SweepEdges, std::move(edges), observed_at);
}

bool TelephonyWriter::ApplyEdgeStatus(const EdgeStatusUpdate& u, UnixNanos observed_at) {
  const EdgeEntry* held = d_.edges.Find(u.edge_id);
  EdgeReport report;
  report.status = u;
  report.observed_at = observed_at;
  auto merged = MergeEdge(held, std::move(report));
  if (!merged) return false;
  Store(d_.edges, u.edge_id, held, std::move(*merged));
  return true;
}

bool TelephonyWriter::ApplyEdgeMetrics(const EdgeMetrics& m, UnixNanos observed_at) {
  if (!d_.edges.contains(m.edge_id)) return false;
  const EdgeMetricsEntry* held = d_.edge_metrics.Find(m.edge_id);
  auto merged = MergeEdgeMetrics(held, m, observed_at);
  if (!merged) return false;
  Store(d_.edge_metrics, m.edge_id, held, std::move(*merged));
  return true;
}

void TelephonyWriter::ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete) {
  std::unordered_set<std::string> wanted;
  for (auto& t : targets) {
    std::string key = t.key();
    wanted.insert(key);
    const TlsEntry* held = d_.tls.Find(key);
    TlsEntry entry;
    if (held) {
      entry.result = held->result;
      entry.sip_failures = held->sip_failures;
    }
    entry.target = std::move(t);
    Store(d_.tls, key, held, std::move(entry));
  }
  const std::size_t erased = d_.tls.EraseIf([&](const std::string& key, const TlsEntry&) { return !wanted.count(key); });
  if (erased) changed_ = true;
  Set(d_.tls_targets_complete, complete);
}

void TelephonyWriter::ApplyTlsResult(const TlsProbeResult& result) {
  const TlsEntry* held = d_.tls.Find(result.target);
  if (!held) return;  // the target was removed while it was probed
  TlsEntry entry = *held;
  entry.result = result;
  const SipOptionsResult& sip = result.sip_options;
  if (sip.attempted && !sip.status_code && !sip.failure.empty()) ++entry.sip_failures[sip.failure];
  Store(d_.tls, result.target, held, std::move(entry));
}

void TelephonyWriter::SetPushed(const std::vector<std::string>& phone_ids, const std::vector<std::string>& trunk_ids,
                                const std::vector<std::string>& edge_ids) {
  // Only entries whose flag flips are rewritten.
  auto apply = [&](auto& table, const std::vector<std::string>& ids) {
    std::unordered_set<std::string> want(ids.begin(), ids.end());
    std::vector<std::pair<std::string, bool>> flips;
    for (const auto& [id, e] : table) {
      const bool pushed = want.count(id) > 0;
      if (e.pushed != pushed) flips.emplace_back(id, pushed);
    }
    for (auto& [id, pushed] : flips) {
      auto entry = *table.Find(id);
      entry.pushed = pushed;
      table.Put(id, std::move(entry));
      changed_ = true;
    }
  };
  apply(d_.phones, phone_ids);
  apply(d_.trunks, trunk_ids);
  apply(d_.edges, edge_ids);
}

// ---- the state ----

TelephonyState::TelephonyState() : published_(std::make_shared<const TelephonyData>()) {}

void TelephonyState::Finish(std::unique_lock<std::mutex>& lock, bool changed) {
  if (!changed) return;
  ++draft_.version;
  // The copy shares every table with the draft: O(1) per table, whatever the org size.
  TelephonySnapshot next = std::make_shared<const TelephonyData>(draft_);
  {
    std::lock_guard l(published_mu_);
    published_.swap(next);
  }
  version_.store(draft_.version);
  lock.unlock();
  next.reset();  // the previous snapshot, unless a reader still holds it: freed outside both locks
  std::shared_ptr<const Listeners> listeners;
  {
    std::lock_guard l(listeners_mu_);
    listeners = listeners_;
  }
  for (auto& l : *listeners) l();
}

void TelephonyState::AddChangeListener(std::function<void()> listener) {
  std::lock_guard lock(listeners_mu_);
  auto more = std::make_shared<Listeners>(*listeners_);
  more->push_back(std::move(listener));
  listeners_ = std::move(more);
}

#define GX_ONE_WRITE(call) Write([&](TelephonyWriter& w) { return w.call; })

void TelephonyState::ReplacePhones(std::vector<Phone> phones, UnixNanos observed_at) {
  // The first listing (nothing waits for it yet) and a small one are one batch. A later one
  // goes in slices, so that a pushed event waits for one slice, not 50,000 merges; the last
  // batch removes the phones no longer listed (as the phones poller does page by page).
  if (phones.size() <= kListingSlice || Snapshot()->phones.empty()) {
    GX_ONE_WRITE(ReplacePhones(std::move(phones), observed_at));
    return;
  }
  ListingMarks marks;
  WriteInSlices(std::move(phones), [&](TelephonyWriter& w, std::vector<Phone> slice) {
    w.UpsertPhones(std::move(slice), observed_at, marks);
  });
  Write([&](TelephonyWriter& w) { w.SweepPhones(marks); });
}
void TelephonyState::ReplaceStations(std::vector<Station> stations, UnixNanos observed_at) {
  GX_ONE_WRITE(ReplaceStations(std::move(stations), observed_at));
}
void TelephonyState::ReplaceTrunks(std::vector<Trunk> trunks, UnixNanos observed_at) {
  GX_ONE_WRITE(ReplaceTrunks(std::move(trunks), observed_at));
}
void TelephonyState::ReplaceTrunkBases(std::vector<TrunkBase> bases) { GX_ONE_WRITE(ReplaceTrunkBases(std::move(bases))); }
void TelephonyState::ReplaceEdges(std::vector<Edge> edges, UnixNanos observed_at) {
  GX_ONE_WRITE(ReplaceEdges(std::move(edges), observed_at));
}
bool TelephonyState::ApplyPhoneStatus(const PhoneStatusUpdate& u, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyPhoneStatus(u, observed_at));
}
std::size_t TelephonyState::ApplyPhoneStatuses(const std::vector<PhoneStatusUpdate>& updates, UnixNanos observed_at) {
  std::size_t applied = 0;
  for (std::size_t start = 0; start < updates.size(); start += kStatusBatch) {
    const std::size_t stop = std::min(updates.size(), start + kStatusBatch);
    Write([&](TelephonyWriter& w) {
      for (std::size_t i = start; i < stop; ++i) applied += w.ApplyPhoneStatus(updates[i], observed_at);
    });
  }
  return applied;
}
bool TelephonyState::ApplyTrunkStatus(const TrunkStatusUpdate& u, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyTrunkStatus(u, observed_at));
}
bool TelephonyState::ApplyEdgeStatus(const EdgeStatusUpdate& u, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyEdgeStatus(u, observed_at));
}
bool TelephonyState::ApplyTrunkMetrics(const TrunkMetrics& m, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyTrunkMetrics(m, observed_at));
}
void TelephonyState::MarkTrunkMetricsLoaded() { GX_ONE_WRITE(MarkTrunkMetricsLoaded()); }
bool TelephonyState::ApplyEdgeMetrics(const EdgeMetrics& m, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyEdgeMetrics(m, observed_at));
}
bool TelephonyState::ApplyUserStation(const UserStation& s, UnixNanos observed_at) {
  return GX_ONE_WRITE(ApplyUserStation(s, observed_at));
}
void TelephonyState::SetFollowedUsers(const std::vector<std::string>& user_ids) { GX_ONE_WRITE(SetFollowedUsers(user_ids)); }
void TelephonyState::ReplaceTlsTargets(std::vector<TlsTarget> targets, bool complete) {
  GX_ONE_WRITE(ReplaceTlsTargets(std::move(targets), complete));
}
void TelephonyState::ApplyTlsResult(const TlsProbeResult& result) { GX_ONE_WRITE(ApplyTlsResult(result)); }
void TelephonyState::SetPushed(const std::vector<std::string>& phone_ids, const std::vector<std::string>& trunk_ids,
                               const std::vector<std::string>& edge_ids) {
  GX_ONE_WRITE(SetPushed(phone_ids, trunk_ids, edge_ids));
}

#undef GX_ONE_WRITE

}  // namespace gx
