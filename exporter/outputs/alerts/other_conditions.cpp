#include "exporter/outputs/alerts/other_conditions.h"

#include <limits>
#include <string_view>
#include <unordered_map>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

bool Empty(const AlertConditions& c) { return c.active.empty() && c.undecided.empty() && c.decided.empty(); }

// The same condition: what AlertTable would merge (its identity, severity, summary and facts).
bool Same(const Alert& a, const Alert& b) {
  return a.labels == b.labels && a.severity == b.severity && a.summary == b.summary && a.facts == b.facts;
}

// The conditions of a list by fingerprint; an index for the longer lists.
class ByFingerprint {
 public:
  explicit ByFingerprint(const std::vector<Alert>& alerts) : alerts_(alerts) {
    if (alerts.size() <= 8) return;
    for (const Alert& a : alerts) index_.emplace(a.fingerprint, &a);
  }
  const Alert* Find(const std::string& fp) const {
    if (index_.empty()) {
      for (const Alert& a : alerts_) {
        if (a.fingerprint == fp) return &a;
      }
      return nullptr;
    }
    auto it = index_.find(fp);
    return it == index_.end() ? nullptr : it->second;
  }

 private:
  const std::vector<Alert>& alerts_;
  std::unordered_map<std::string_view, const Alert*> index_;
};

// Whether `table` differs from `seen`, which then becomes `table`.
template <typename V>
bool Moved(const CowTable<V>& table, CowTable<V>& seen) {
  bool moved = false;
  table.ForEachChange(seen, [&](const std::string&, const V*, const V*) { moved = true; });
  seen = table;
  return moved;
}

// The ids that differ between `table` and `seen` go into `ids`; `seen` becomes `table`.
template <typename V>
void AddChanged(const CowTable<V>& table, CowTable<V>& seen, std::set<std::string>& ids) {
  table.ForEachChange(seen, [&](const std::string& id, const V*, const V*) { ids.insert(id); });
  seen = table;
}

}  // namespace

void OtherConditions::Update(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                             const AlertEvalOptions& opt, UnixNanos now) {
  looked_at_ = 0;
  changed_.clear();
  gone_.clear();
  ClearKind(listed_);
  UpdateUsers(t, cfg);
  UpdateTrunks(t, cfg, opt);
  UpdateTls(t, cfg, opt, now);
  UpdateEdges(t, cfg);
  UpdateHealth(h, cfg, opt);
  CollectMatchers();
}

void OtherConditions::Replace(AlertConditions all) {
  changed_.clear();
  gone_.clear();
  for (Kind* k : {&users_, &trunks_, &edges_, &tls_, &health_}) ClearKind(*k);
  for (auto& s : settings_) s.reset();
  Set(listed_.whole, std::move(all));
  CollectMatchers();
}

bool OtherConditions::Whole(KindIndex k, Settings settings) {
  if (settings_[k] == settings) return false;
  settings_[k] = std::move(settings);
  return true;
}

template <typename V, typename KindFn, typename DeriveFn>
void OtherConditions::Derive(Kind& kind, const CowTable<V>& table, bool whole, bool enabled,
                             std::set<std::string> ids, KindFn&& kind_fn, DeriveFn&& derive) {
  if (whole) {
    AlertConditions own;
    kind.counts = enabled && kind_fn(own);
    Set(kind.whole, std::move(own));
    for (const auto& [id, c] : kind.entities) ids.insert(id);
    if (kind.counts) {
      for (const auto& [id, v] : table) ids.insert(id);
    }
  }
  for (const auto& id : ids) {
    AlertConditions next;
    const V* entry = kind.counts ? table.Find(id) : nullptr;
    derive(id, entry, next);
    looked_at_ += entry != nullptr;
    SetEntity(kind, id, std::move(next));
  }
}

void OtherConditions::UpdateUsers(const TelephonyData& t, const AlertingConfig& cfg) {
  const bool enabled = RuleEnabled(cfg, kRegistrationFailure);
  bool whole = Whole(kUsers, {enabled, RuleSeverity(cfg, kRegistrationFailure, ""), {t.phones_loaded, t.stations_loaded}});
  // Which phone a user has moves with the stations and the phones' lines (phone_links_version).
  whole = Moved(t.stations, seen_stations_) || whole;
  whole = std::exchange(seen_phone_links_, t.phone_links_version) != t.phone_links_version || whole;
  std::set<std::string> ids;
  AddChanged(t.users, seen_users_, ids);
  // A user's verdict also reads its phone; without the index, finding it reads every phone.
  if (!t.users.empty() || !users_by_phone_.empty()) {
    t.phones.ForEachChange(seen_phones_, [&](const std::string& phone_id, const PhoneEntry*, const PhoneEntry*) {
      if (!t.phone_index_built) whole = true;
      for (auto it = users_by_phone_.lower_bound({phone_id, ""}); it != users_by_phone_.end() && it->first == phone_id;
           ++it) {
        ids.insert(it->second);
      }
    });
  }
  seen_phones_ = t.phones;
  Derive(users_, t.users, whole, enabled, std::move(ids),
         [&](AlertConditions& out) { return UserKindConditions(t, out); },
         [&](const std::string& id, const UserEntry* entry, AlertConditions& out) {
           const PhoneEntry* pe = entry ? UserConditions(t, id, *entry, cfg, out) : nullptr;
           if (auto held = phone_of_user_.find(id); held != phone_of_user_.end()) {
             users_by_phone_.erase({held->second, id});
             phone_of_user_.erase(held);
           }
           if (pe) {
             users_by_phone_.insert({pe->phone.id, id});
             phone_of_user_[id] = pe->phone.id;
           }
         });
}

void OtherConditions::UpdateTrunks(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt) {
  const bool enabled = RuleEnabled(cfg, kCarrierDegradation);
  const bool whole = Whole(kTrunks, {enabled, RuleSeverity(cfg, kCarrierDegradation, ""),
                                     {t.trunks_loaded, t.trunk_metrics_loaded, opt.qos_mismatch_threshold}});
  std::set<std::string> ids;  // a trunk's verdict reads its entry and its metrics
  AddChanged(t.trunks, seen_trunks_, ids);
  AddChanged(t.trunk_metrics, seen_trunk_metrics_, ids);
  Derive(trunks_, t.trunks, whole, enabled, std::move(ids),
         [&](AlertConditions& out) { return CarrierKindConditions(t, out); },
         [&](const std::string& id, const TrunkEntry* entry, AlertConditions& out) {
           if (entry) TrunkConditions(t, id, *entry, cfg, opt, out);
         });
}

void OtherConditions::UpdateEdges(const TelephonyData& t, const AlertingConfig& cfg) {
  const bool enabled = RuleEnabled(cfg, kEdgeOffline);
  const bool whole = Whole(kEdges, {enabled, RuleSeverity(cfg, kEdgeOffline, ""), {t.edges_loaded}});
  std::set<std::string> ids;
  AddChanged(t.edges, seen_edges_, ids);
  Derive(edges_, t.edges, whole, enabled, std::move(ids),
         [&](AlertConditions& out) { return EdgeKindConditions(t, out); },
         [&](const std::string& id, const EdgeEntry* entry, AlertConditions& out) {
           if (entry) EdgeConditions(id, *entry, cfg, out);
         });
}

// Few targets, read whole: when the table or the settings change, or time moves a verdict.
void OtherConditions::UpdateTls(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt,
                                UnixNanos now) {
  const bool enabled = RuleEnabled(cfg, kTlsCertExpiry);
  bool whole = Whole(kTls, {enabled, RuleSeverity(cfg, kTlsCertExpiry, ""),
                            {t.tls_targets_complete, opt.tls_probes_enabled, SecondsToNanos(cfg.tls_warning.count()),
                             SecondsToNanos(cfg.tls_critical.count())}});
  whole = Moved(t.tls, seen_tls_) || whole;
  if (!whole && now >= tls_from_ && now < tls_until_) return;
  AlertConditions all;
  tls_from_ = now;
  tls_until_ = enabled ? TlsConditions(t, cfg, opt, now, all) : std::numeric_limits<UnixNanos>::max();
  if (enabled) looked_at_ += t.tls.size();
  Set(tls_.whole, std::move(all));
}

// A handful of conditions from a few health fields: derived every time.
void OtherConditions::UpdateHealth(const HealthData& h, const AlertingConfig& cfg, const AlertEvalOptions& opt) {
  AlertConditions all;
  if (RuleEnabled(cfg, kMonitoringBlind)) HealthConditions(h, cfg, opt, all);
  Set(health_.whole, std::move(all));
}

void OtherConditions::SetEntity(Kind& kind, const std::string& id, AlertConditions next) {
  auto it = kind.entities.find(id);
  if (it == kind.entities.end()) {
    if (Empty(next)) return;
    it = kind.entities.emplace(id, AlertConditions{}).first;
  }
  Set(it->second, std::move(next));
  if (Empty(it->second)) kind.entities.erase(it);
}

// Records what differs between `held` and `next`, which replaces it.
void OtherConditions::Set(AlertConditions& held, AlertConditions next) {
  const ByFingerprint before(held.active), after(next.active);
  for (const Alert& a : held.active) {
    if (!after.Find(a.fingerprint)) gone_.push_back(a.fingerprint);
  }
  for (const Alert& a : next.active) {
    const Alert* b = before.Find(a.fingerprint);
    if (!b || !Same(*b, a)) changed_.push_back(a);
  }
  if (held.undecided != next.undecided || held.decided != next.decided) matchers_moved_ = true;
  held = std::move(next);
}

void OtherConditions::ClearKind(Kind& kind) {
  Set(kind.whole, {});
  for (auto& [id, c] : kind.entities) Set(c, {});
  kind.entities.clear();
  kind.counts = false;
}

void OtherConditions::CollectMatchers() {
  if (!matchers_moved_) return;
  matchers_moved_ = false;
  ++undecided_version_;
  undecided_.clear();
  decided_.clear();
  for (const Kind* k : {&users_, &trunks_, &tls_, &edges_, &health_, &listed_}) {
    auto add = [&](const AlertConditions& c) {
      undecided_.insert(undecided_.end(), c.undecided.begin(), c.undecided.end());
      decided_.insert(decided_.end(), c.decided.begin(), c.decided.end());
    };
    add(k->whole);
    for (const auto& [id, c] : k->entities) add(c);
  }
}

void OtherConditions::AppendTo(AlertConditions& out) const {
  for (const Kind* k : {&users_, &trunks_, &tls_, &edges_, &health_, &listed_}) {
    auto add = [&](const AlertConditions& c) {
      out.active.insert(out.active.end(), c.active.begin(), c.active.end());
      out.undecided.insert(out.undecided.end(), c.undecided.begin(), c.undecided.end());
      out.decided.insert(out.decided.end(), c.decided.begin(), c.decided.end());
    };
    add(k->whole);
    for (const auto& [id, c] : k->entities) add(c);
  }
}

ConditionChanges OtherConditions::TakeChanges() {
  ConditionChanges out;
  out.active = std::move(changed_);
  out.gone = std::move(gone_);
  changed_.clear();
  gone_.clear();
  return out;
}

}  // namespace gx
