#include "exporter/outputs/alerts/phone_conditions.h"

#include <cstdio>

#include "exporter/outputs/alerts/alert_conditions.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

bool PhoneActive(const Phone& p) { return p.state.empty() || p.state == "active"; }

const std::string* Label(const Alert& a, const char* key) {
  auto it = a.labels.find(key);
  return it == a.labels.end() ? nullptr : &it->second;
}

}  // namespace

PhoneConditions::Settings PhoneConditions::SettingsOf(const AlertingConfig& cfg) {
  Settings s;
  s.per_phone = cfg.per_phone;
  s.phone_ids = cfg.phones;
  s.severity = RuleSeverity(cfg, kRegistrationFailure, "warning");
  s.site_min_lines = cfg.site_min_lines;
  s.site_ratio = cfg.site_unregistered_ratio;
  s.site_ratio_critical = cfg.site_unregistered_ratio_critical;
  return s;
}

void PhoneConditions::Update(const TelephonyData& t, const AlertingConfig& cfg) {
  looked_at_ = 0;
  changed_phones_.clear();
  changed_sites_.clear();
  gone_.clear();
  Settings settings = SettingsOf(cfg);
  if (!started_ || !(settings_ == settings)) {
    StartOver(settings);
    started_ = true;
  }
  t.phones.ForEachChange(seen_, [&](const std::string& id, const PhoneEntry* before, const PhoneEntry* after) {
    ++looked_at_;
    changed_phones_.insert(id);
    if (before) Remove(id, *before);
    if (after) Add(id, *after, cfg);
  });
  seen_ = t.phones;
  for (const auto& site : changed_sites_) JudgeSite(site, cfg);
}

void PhoneConditions::Clear() {
  changed_phones_.clear();
  changed_sites_.clear();
  gone_.clear();
  StartOver(Settings());
  started_ = false;
}

// Every condition held so far is gone; the next phones are looked at from scratch.
void PhoneConditions::StartOver(const Settings& settings) {
  for (const auto& [id, a] : alerts_) gone_.push_back(a.fingerprint);
  for (const auto& [site, a] : site_alerts_) gone_.push_back(a.fingerprint);
  if (!undecided_.empty() || !undecided_sites_.empty()) ++undecided_version_;
  settings_ = settings;
  chosen_ = std::set<std::string>(settings.phone_ids.begin(), settings.phone_ids.end());
  seen_ = {};
  alerts_.clear();
  undecided_.clear();
  sites_.clear();
  site_alerts_.clear();
  undecided_sites_.clear();
}

void PhoneConditions::SetUndecided(std::set<std::string>& set, const std::string& key, bool undecided) {
  const bool moved = undecided ? set.insert(key).second : set.erase(key) > 0;
  if (moved) ++undecided_version_;
}

void PhoneConditions::Remove(const std::string& id, const PhoneEntry& pe) {
  const Phone& p = pe.phone;
  if (auto it = alerts_.find(id); it != alerts_.end()) {
    gone_.push_back(it->second.fingerprint);
    alerts_.erase(it);
  }
  SetUndecided(undecided_, id, false);
  if (!PhoneActive(p)) return;
  auto it = sites_.find(PhoneSiteLabel(p));
  if (it == sites_.end()) return;
  changed_sites_.insert(it->first);
  Lines& l = it->second;
  --l.phones;
  if (!p.status) {
    --l.unknown;
  } else {
    l.total -= PhoneLineCount(p);
    l.reachable -= PhoneReachableLineCount(p);
  }
  if (l.phones == 0) sites_.erase(it);
}

void PhoneConditions::Add(const std::string& id, const PhoneEntry& pe, const AlertingConfig& cfg) {
  const Phone& p = pe.phone;
  if (!PhoneActive(p)) return;
  const std::string& site = PhoneSiteLabel(p);
  changed_sites_.insert(site);
  Lines& l = sites_[site];
  ++l.phones;
  if (!p.status) {
    ++l.unknown;
  } else {
    l.total += PhoneLineCount(p);
    l.reachable += PhoneReachableLineCount(p);
  }
  if (!settings_.per_phone && !chosen_.count(id)) return;
  if (!p.status) {  // listed, but its status not read yet
    SetUndecided(undecided_, id, true);
    return;
  }
  if (PhoneRegistered(p)) return;
  Alert a = ConditionAlert(cfg, kRegistrationFailure,
                           {{"scope", "phone"}, {"phone_id", p.id}, {"phone_name", p.name}, {"site", site}},
                           "warning", "phone " + p.name + " is not registered (" + PhoneOperationalStatus(p) + ")");
  FillPhoneFacts(a.facts, p);
  alerts_.insert_or_assign(id, std::move(a));
}

// Sites whose share of unregistered lines is above a threshold: warning, then critical, as in
// GenesysSiteRegistrationLow.
void PhoneConditions::JudgeSite(const std::string& site, const AlertingConfig& cfg) {
  auto held = site_alerts_.find(site);
  auto it = sites_.find(site);
  bool undecided = false;
  bool alert = false;
  double ratio = 0;
  long total = 0;
  if (it != sites_.end()) {
    const Lines& l = it->second;
    total = l.total;
    // One division, so that exactly 10 % or 50 % is on the threshold, not a rounding error past it.
    ratio = l.total > 0 ? static_cast<double>(l.total - l.reachable) / static_cast<double>(l.total) : 0.0;
    alert = !(l.total <= 0 || l.total < cfg.site_min_lines || ratio <= cfg.site_unregistered_ratio);
    // Below the threshold on what is known; the phones without a status could change that.
    undecided = !alert && l.unknown > 0;
  }
  SetUndecided(undecided_sites_, site, undecided);
  if (!alert) {
    if (held != site_alerts_.end()) {
      gone_.push_back(held->second.fingerprint);
      site_alerts_.erase(held);
    }
    return;
  }
  const char* severity = ratio > cfg.site_unregistered_ratio_critical ? "critical" : "warning";
  char what[96];
  std::snprintf(what, sizeof what, "%.0f%% of %.0f lines unregistered", ratio * 100, static_cast<double>(total));
  Alert a = ConditionAlert(cfg, kRegistrationFailure, {{"scope", "site"}, {"site", site}}, severity,
                           "site " + site + ": " + what);
  a.facts.registered = false;
  site_alerts_.insert_or_assign(site, std::move(a));
}

void PhoneConditions::AppendTo(AlertConditions& out, const AlertingConfig&) const {
  const std::string name(kRegistrationFailure);
  for (const auto& [id, a] : alerts_) out.active.push_back(a);
  for (const auto& id : undecided_) out.undecided.push_back({{"alertname", name}, {"scope", "phone"}, {"phone_id", id}});
  for (const auto& [site, a] : site_alerts_) out.active.push_back(a);
  for (const auto& site : undecided_sites_) out.undecided.push_back({{"alertname", name}, {"scope", "site"}, {"site", site}});
}

ConditionChanges PhoneConditions::TakeChanges() {
  ConditionChanges out;
  out.gone = std::move(gone_);
  gone_.clear();
  for (const auto& id : changed_phones_) {
    if (auto it = alerts_.find(id); it != alerts_.end()) out.active.push_back(it->second);
  }
  for (const auto& site : changed_sites_) {
    if (auto it = site_alerts_.find(site); it != site_alerts_.end()) out.active.push_back(it->second);
  }
  changed_phones_.clear();
  changed_sites_.clear();
  return out;
}

bool PhoneConditions::Undecided(const Alert& a) const {
  const std::string* name = Label(a, "alertname");
  const std::string* scope = Label(a, "scope");
  if (!name || !scope || *name != kRegistrationFailure) return false;
  if (*scope == "phone") {
    const std::string* id = Label(a, "phone_id");
    return id && undecided_.count(*id);
  }
  if (*scope == "site") {
    const std::string* site = Label(a, "site");
    return site && undecided_sites_.count(*site);
  }
  return false;
}

}  // namespace gx
