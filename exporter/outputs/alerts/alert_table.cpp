#include "exporter/outputs/alerts/alert_table.h"

#include <iterator>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "exporter/util/time_math.h"

namespace gx {
namespace {

UnixNanos DeadlineOf(const Alert& a, const AlertingConfig& cfg) {
  const UnixNanos hold = SecondsToNanos(RuleForDuration(cfg, a.name()).count());
  // Saturates: a `for` of centuries never fires rather than wrapping into the past.
  if (hold > std::numeric_limits<UnixNanos>::max() - a.active_since) return std::numeric_limits<UnixNanos>::max();
  return a.active_since + hold;
}

}  // namespace

AlertTable::Rules AlertTable::RulesOf(const AlertingConfig& cfg) {
  Rules rules;
  for (auto name : {kRegistrationFailure, kCarrierDegradation, kTlsCertExpiry, kEdgeOffline, kMonitoringBlind}) {
    rules[std::string(name)] = {RuleForDuration(cfg, name), RuleEnabled(cfg, name)};
  }
  for (const auto& [name, rule] : cfg.rules) rules[name] = {RuleForDuration(cfg, name), RuleEnabled(cfg, name)};
  return rules;
}

void AlertTable::Restore(Alert a) {
  orphans_.insert(a.fingerprint);
  recheck_ = true;
  Store(std::move(a));
}

AlertTransitions AlertTable::Evaluate(const TelephonyData& t, const HealthData& h, const AlertingConfig& cfg,
                                      const AlertEvalOptions& opt, UnixNanos now, PhoneConditions& phones) {
  others_.Update(t, h, cfg, opt, now);
  // Before the phone inventory is loaded the whole rule is undecided (a listing half read).
  if (RuleEnabled(cfg, kRegistrationFailure) && t.phones_loaded) {
    phones.Update(t, cfg);
  } else {
    phones.Clear();
  }
  return Apply(phones, cfg, now);
}

AlertTransitions AlertTable::Apply(AlertConditions others, PhoneConditions& phones, const AlertingConfig& cfg,
                                   UnixNanos now) {
  others_.Replace(std::move(others));
  return Apply(phones, cfg, now);
}

AlertTransitions AlertTable::Apply(PhoneConditions& phones, const AlertingConfig& cfg, UnixNanos now) {
  AlertTransitions out;
  Pass pass{cfg, phones, now, out};
  if (Rules rules = RulesOf(cfg); rules != rules_) {
    rules_ = std::move(rules);
    RebuildDue(cfg);
    recheck_ = true;
  }
  if (others_.undecided_version() != others_undecided_version_ ||
      phones.undecided_version() != phones_undecided_version_) {
    others_undecided_version_ = others_.undecided_version();
    phones_undecided_version_ = phones.undecided_version();
    recheck_ = true;
  }

  ConditionChanges changes = phones.TakeChanges();
  ConditionChanges other = others_.TakeChanges();
  changes.active.insert(changes.active.end(), std::make_move_iterator(other.active.begin()),
                        std::make_move_iterator(other.active.end()));
  changes.gone.insert(changes.gone.end(), std::make_move_iterator(other.gone.begin()),
                      std::make_move_iterator(other.gone.end()));

  // A condition that holds now wins over one of the same fingerprint that went (replaced).
  // Each fingerprint is merged or gone, never both, so the gone go first: `holds` may then
  // view the fingerprints that the merges move away.
  if (!changes.gone.empty()) {
    std::unordered_set<std::string_view> holds;
    for (const Alert& c : changes.active) holds.insert(c.fingerprint);
    for (const auto& fp : changes.gone) {
      if (!holds.count(fp)) ConditionGone(fp, pass);
    }
  }
  for (Alert& c : changes.active) Merge(std::move(c), pass);
  if (recheck_) {
    recheck_ = false;
    std::vector<Alert> orphans;
    for (const auto& fp : orphans_) orphans.push_back(alerts_.at(fp));
    for (const Alert& a : orphans) {
      if (!Kept(a, pass)) Drop(a, pass);
    }
  }
  while (!due_.empty() && due_.begin()->first <= now) {
    const std::string fp = due_.begin()->second;
    due_.erase(due_.begin());
    Fire(fp, pass);
  }
  return out;
}

void AlertTable::Merge(Alert c, Pass& pass) {
  const Alert* p = alerts_.Find(c.fingerprint);
  if (!p) {
    c.status = AlertStatus::kPending;
    c.active_since = pass.now;
    c.updated_at = pass.now;
    pass.out.changed = true;
    AddDue(c, pass.cfg);
    Store(std::move(c));
    return;
  }
  const bool was_orphan = orphans_.erase(c.fingerprint) > 0;
  const bool details = c.severity != p->severity || c.summary != p->summary;
  const bool touched = details || c.facts != p->facts;
  if (!touched && !was_orphan) return;  // the same condition as before
  c.status = p->status;
  c.active_since = p->active_since;
  c.fired_at = p->fired_at;
  c.updated_at = touched ? pass.now : p->updated_at;
  if (details) pass.out.changed = true;
  if (details && c.status == AlertStatus::kFiring) pass.out.updated.push_back(c);
  if (was_orphan) AddDue(c, pass.cfg);
  Store(std::move(c));
}

void AlertTable::ConditionGone(const std::string& fp, Pass& pass) {
  const Alert* p = alerts_.Find(fp);
  if (!p || orphans_.count(fp)) return;
  if (Kept(*p, pass)) {
    RemoveDue(*p, pass.cfg);
    orphans_.insert(fp);
    return;
  }
  Drop(*p, pass);
}

// As ApplyAlertConditions: kept while a matcher says its subject is not known yet.
bool AlertTable::Kept(const Alert& a, const Pass& pass) const {
  bool undecided = pass.phones.Undecided(a);
  for (const auto& m : others_.undecided()) undecided = undecided || MatchesLabels(a, m);
  for (const auto& m : others_.decided()) undecided = undecided && !MatchesLabels(a, m);
  return undecided && RuleEnabled(pass.cfg, a.name());
}

void AlertTable::Drop(const Alert& a, Pass& pass) {
  pass.out.changed = true;
  RemoveDue(a, pass.cfg);
  orphans_.erase(a.fingerprint);
  if (a.status == AlertStatus::kFiring) {
    Alert r = a;
    r.status = AlertStatus::kResolved;
    r.resolved_at = pass.now;
    r.updated_at = pass.now;
    pass.out.resolved.push_back(std::move(r));
  }
  Count(a, -1);
  alerts_.Erase(std::string(a.fingerprint));  // `a` may live in the table
}

void AlertTable::Fire(const std::string& fp, Pass& pass) {
  Alert a = alerts_.at(fp);
  a.status = AlertStatus::kFiring;
  a.fired_at = pass.now;
  a.updated_at = pass.now;
  pass.out.fired.push_back(a);
  pass.out.changed = true;
  Store(std::move(a));
}

void AlertTable::Store(Alert a) {
  if (const Alert* old = alerts_.Find(a.fingerprint)) Count(*old, -1);
  Count(a, 1);
  std::string fp = a.fingerprint;
  alerts_.Put(std::move(fp), std::move(a));
}

void AlertTable::Count(const Alert& a, int delta) {
  if (a.status != AlertStatus::kFiring) return;
  auto key = std::make_pair(a.name(), a.severity);
  int& n = firing_[key];
  n += delta;
  if (n == 0) firing_.erase(key);
  firing_count_ = static_cast<std::size_t>(static_cast<long>(firing_count_) + delta);
}

void AlertTable::AddDue(const Alert& a, const AlertingConfig& cfg) {
  if (a.status == AlertStatus::kPending) due_.emplace(DeadlineOf(a, cfg), a.fingerprint);
}

void AlertTable::RemoveDue(const Alert& a, const AlertingConfig& cfg) {
  if (a.status == AlertStatus::kPending) due_.erase({DeadlineOf(a, cfg), a.fingerprint});
}

void AlertTable::RebuildDue(const AlertingConfig& cfg) {
  due_.clear();
  for (const auto& [fp, a] : alerts_) {
    if (!orphans_.count(fp)) AddDue(a, cfg);
  }
}

std::optional<UnixNanos> AlertTable::NextDue() const {
  if (due_.empty()) return std::nullopt;
  return due_.begin()->first;
}

}  // namespace gx
