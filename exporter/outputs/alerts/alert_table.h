// AlertTable: the pending and firing alerts the engine keeps between evaluations,
// changed only where the conditions changed. Both shares of the conditions come as the
// changes their kept form recorded: the phones' (PhoneConditions) and all others
// (OtherConditions, kept here), so that an evaluation after a pushed phone status merges
// that phone's conditions and nothing of the trunks or edges. Pending alerts wait in a
// queue ordered by when their `for` elapses, so time costs O(due), not O(active). The
// result equals ApplyAlertConditions over the full conditions (alert_table_test checks it
// on random orgs). The alerts live in a CowTable: publishing them is a copy of one pointer,
// and a change copies O(sqrt n) pointers, not 50,000 alerts. One thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "exporter/outputs/alerts/other_conditions.h"
#include "exporter/outputs/alerts/phone_conditions.h"
#include "exporter/state/cow_table.h"

namespace gx {

using AlertTableAlerts = CowTable<Alert>;  // by fingerprint; a copy is an immutable snapshot

class AlertTable {
 public:
  // An alert restored from the state file: kept, without a condition, until an
  // evaluation decides on it (evidence, or its subject gone). Before the first evaluation.
  void Restore(Alert a);

  // One evaluation on `t` and `h`: brings `phones` and the other conditions up to date and
  // merges what changed.
  AlertTransitions Evaluate(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                            const AlertEvalOptions& opt, UnixNanos now, PhoneConditions& phones);
  // The same on hand-made conditions. `others`: every condition outside `phones`, complete
  // (what it no longer lists is gone); `phones`: already updated, its changes are taken here.
  AlertTransitions Apply(AlertConditions others, PhoneConditions& phones, const AlertingConfig& cfg, UnixNanos now);

  const OtherConditions& others() const { return others_; }

  const AlertTableAlerts& alerts() const { return alerts_; }
  // When the first pending alert's `for` elapses, if any is pending.
  std::optional<UnixNanos> NextDue() const;
  // Firing alerts by (alertname, severity), and their total.
  const std::map<std::pair<std::string, std::string>, int>& firing() const { return firing_; }
  std::size_t firing_count() const { return firing_count_; }

 private:
  using Rules = std::map<std::string, std::pair<Seconds, bool>>;  // alertname -> (`for`, enabled)
  static Rules RulesOf(const AlertingConfig& cfg);
  // What one Apply works with.
  struct Pass {
    const AlertingConfig& cfg;
    const PhoneConditions& phones;
    UnixNanos now;
    AlertTransitions& out;
  };
  AlertTransitions Apply(PhoneConditions& phones, const AlertingConfig& cfg, UnixNanos now);
  void Merge(Alert c, Pass& pass);
  void ConditionGone(const std::string& fp, Pass& pass);
  bool Kept(const Alert& a, const Pass& pass) const;
  void Drop(const Alert& a, Pass& pass);
  void Fire(const std::string& fp, Pass& pass);
  void Store(Alert a);
  void Count(const Alert& a, int delta);
  void AddDue(const Alert& a, const AlertingConfig& cfg);
  void RemoveDue(const Alert& a, const AlertingConfig& cfg);
  void RebuildDue(const AlertingConfig& cfg);

  AlertTableAlerts alerts_;
  std::set<std::string> orphans_;  // alerts without a condition, kept while undecided
  std::set<std::pair<UnixNanos, std::string>> due_;  // active pending alerts by `for` deadline
  OtherConditions others_;
  std::uint64_t others_undecided_version_ = 0, phones_undecided_version_ = 0;
  bool recheck_ = true;  // decide on every orphan again at the next Apply
  Rules rules_;
  std::map<std::pair<std::string, std::string>, int> firing_;
  std::size_t firing_count_ = 0;
};

}  // namespace gx
