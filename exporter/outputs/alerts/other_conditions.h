// OtherConditions: the alert conditions outside the phones' share (PhoneConditions), kept
// between evaluations: the followed users, carrier trunks, edges, TLS certificates and the
// exporter's own health. Update() derives again only what differs from the snapshot it saw
// last: the users, trunks and edges whose entries changed (a trunk's metrics, a user's
// phone count as its entry), the TLS targets when their table changed or time alone moves a
// verdict (TlsConditions says until when they hold), and the health kinds, a handful of
// conditions, every time. A kind whose settings or inventory completeness changed is derived
// whole. It records which conditions changed, so that the alert set (AlertTable) merges only
// those: after a pushed phone status an evaluation looks at no trunk or edge. The result
// equals CollectOtherConditions on the same snapshot (other_conditions_test). Expects the
// snapshots of one TelephonyState (a user's phone is re-read when phone_links_version moves).
// One thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "exporter/outputs/alerts/alert_conditions.h"

namespace gx {

class OtherConditions {
 public:
  // Brings every kind up to `t`, `h` and `now`.
  void Update(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg, const AlertEvalOptions& opt,
              UnixNanos now);
  // Takes `all` as the complete other conditions instead (made by hand); the next Update()
  // derives every kind again.
  void Replace(AlertConditions all);
  // Every kept condition and matcher, kind by kind (the full evaluation orders them otherwise).
  void AppendTo(AlertConditions& out) const;
  // The conditions the last Update() or Replace() changed.
  ConditionChanges TakeChanges();
  // The kept matchers (AlertConditions::undecided and decided), and a number that moves when they change.
  const std::vector<AlertLabels>& undecided() const { return undecided_; }
  const std::vector<AlertLabels>& decided() const { return decided_; }
  std::uint64_t undecided_version() const { return undecided_version_; }
  // How many users, trunks, edges and TLS targets the last Update() derived again.
  std::size_t looked_at() const { return looked_at_; }

 private:
  // One kind's conditions: its own (an inventory not loaded, or all of a kind derived whole),
  // and each entity's by id (only those that hold one).
  struct Kind {
    AlertConditions whole;
    std::map<std::string, AlertConditions> entities;
    bool counts = false;  // its entities count (its inventory is loaded, its rule enabled)
  };
  // What a kind was derived from besides its tables: when it moves, the kind is derived whole.
  struct Settings {
    bool enabled = false;
    std::string severity;              // the rule's configured severity
    std::vector<std::int64_t> values;  // the flags and thresholds it reads
    bool operator==(const Settings&) const = default;
  };
  enum KindIndex { kUsers, kTrunks, kEdges, kTls, kKinds };

  void UpdateUsers(const TelephonyData& t, const AlertingConfig& cfg);
  void UpdateTrunks(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt);
  void UpdateEdges(const TelephonyData& t, const AlertingConfig& cfg);
  void UpdateTls(const TelephonyData& t, const AlertingConfig& cfg, const AlertEvalOptions& opt, UnixNanos now);
  void UpdateHealth(const HealthData& h, const AlertingConfig& cfg, const AlertEvalOptions& opt);
  // Whether kind `k` is derived whole: its settings moved (the new ones are kept), or it never was.
  bool Whole(KindIndex k, Settings settings);
  // Derives `ids` of `kind` again with derive(id, entry or null, out); `whole`: first its own
  // conditions with kind_fn(out) (false: no entity counts), then every entity held or in `table`.
  template <typename V, typename KindFn, typename DeriveFn>
  void Derive(Kind& kind, const CowTable<V>& table, bool whole, bool enabled, std::set<std::string> ids,
              KindFn&& kind_fn, DeriveFn&& derive);
  void SetEntity(Kind& kind, const std::string& id, AlertConditions next);
  void Set(AlertConditions& held, AlertConditions next);
  void ClearKind(Kind& kind);
  void CollectMatchers();

  Kind users_, trunks_, edges_, tls_, health_, listed_;  // listed_: Replace()'s
  std::optional<Settings> settings_[kKinds];  // none: derive whole at the next Update()
  CowTable<UserEntry> seen_users_;  // the tables of the last Update (sharing every node with that snapshot)
  CowTable<PhoneEntry> seen_phones_;
  CowTable<StationEntry> seen_stations_;
  CowTable<TrunkEntry> seen_trunks_;
  CowTable<TrunkMetricsEntry> seen_trunk_metrics_;
  CowTable<EdgeEntry> seen_edges_;
  CowTable<TlsEntry> seen_tls_;
  std::uint64_t seen_phone_links_ = 0;
  std::set<std::pair<std::string, std::string>> users_by_phone_;  // (phone id, user id): the phone a verdict read
  std::map<std::string, std::string> phone_of_user_;
  UnixNanos tls_from_ = 0, tls_until_ = 0;  // the TLS verdicts hold while now is in [from, until)

  std::vector<AlertLabels> undecided_, decided_;
  std::uint64_t undecided_version_ = 0;
  bool matchers_moved_ = false;
  // The change log of the last Update() or Replace().
  std::vector<Alert> changed_;
  std::vector<std::string> gone_;
  std::size_t looked_at_ = 0;
};

}  // namespace gx
