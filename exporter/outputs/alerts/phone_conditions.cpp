#include "exporter/outputs/alerts/phone_conditions.h"

#include <cstdio>

#include "exporter/outputs/alerts/alert_conditions.h"
#include "exporter/state/registration.h"

namespace gx {
namespace {

bool PhoneActive(const Phone& p) { return p.state.empty() || p.state == "active"; }

}  // namespace

void PhoneConditions::Update(const TelephonyData& t, const AlertingConfig& cfg) {
  looked_at_ = 0;
  const std::string severity = RuleSeverity(cfg, kRegistrationFailure, "warning");
  if (!started_ || per_phone_ != cfg.per_phone || phone_ids_ != cfg.phones || severity_ != severity) {
    *this = PhoneConditions();
    started_ = true;
    per_phone_ = cfg.per_phone;
    phone_ids_ = cfg.phones;
    chosen_ = std::set<std::string>(cfg.phones.begin(), cfg.phones.end());
    severity_ = severity;
  }
  t.phones.ForEachChange(seen_, [&](const std::string& id, const PhoneEntry* before, const PhoneEntry* after) {
    ++looked_at_;
    if (before) Remove(id, *before);
    if (after) Add(id, *after, cfg);
  });
  seen_ = t.phones;
}

void PhoneConditions::Remove(const std::string& id, const PhoneEntry& pe) {
  const Phone& p = pe.phone;
  alerts_.erase(id);
  undecided_.erase(id);
  if (!PhoneActive(p)) return;
  auto it = sites_.find(PhoneSiteLabel(p));
  if (it == sites_.end()) return;
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
  Lines& l = sites_[PhoneSiteLabel(p)];
  ++l.phones;
  if (!p.status) {
    ++l.unknown;
  } else {
    l.total += PhoneLineCount(p);
    l.reachable += PhoneReachableLineCount(p);
  }
  if (!per_phone_ && !chosen_.count(id)) return;
  if (!p.status) {  // listed, but its status not read yet
    undecided_.insert(id);
    return;
  }
  if (PhoneRegistered(p)) return;
  Alert a = ConditionAlert(cfg, kRegistrationFailure,
                           {{"scope", "phone"}, {"phone_id", p.id}, {"phone_name", p.name}, {"site", PhoneSiteLabel(p)}},
                           "warning", "phone " + p.name + " is not registered (" + PhoneOperationalStatus(p) + ")");
  FillPhoneFacts(a.facts, p);
  alerts_.insert_or_assign(id, std::move(a));
}

void PhoneConditions::AppendTo(AlertConditions& out, const AlertingConfig& cfg) const {
  const std::string name(kRegistrationFailure);
  for (const auto& [id, a] : alerts_) out.active.push_back(a);
  for (const auto& id : undecided_) out.undecided.push_back({{"alertname", name}, {"scope", "phone"}, {"phone_id", id}});

  // Sites whose share of unregistered lines is above a threshold: warning, then critical, as in
  // GenesysSiteRegistrationLow.
  for (const auto& [site, l] : sites_) {
    // One division, so that exactly 10 % or 50 % is on the threshold, not a rounding error past it.
    const double ratio =
        l.total > 0 ? static_cast<double>(l.total - l.reachable) / static_cast<double>(l.total) : 0.0;
    if (l.total <= 0 || l.total < cfg.site_min_lines || ratio <= cfg.site_unregistered_ratio) {
      // Below the threshold on what is known; the phones without a status could change that.
      if (l.unknown > 0) out.undecided.push_back({{"alertname", name}, {"scope", "site"}, {"site", site}});
      continue;
    }
    const char* severity = ratio > cfg.site_unregistered_ratio_critical ? "critical" : "warning";
    char what[96];
    std::snprintf(what, sizeof what, "%.0f%% of %.0f lines unregistered", ratio * 100, static_cast<double>(l.total));
    Alert a = ConditionAlert(cfg, kRegistrationFailure, {{"scope", "site"}, {"site", site}}, severity,
                             "site " + site + ": " + what);
    a.facts.registered = false;
    out.active.push_back(std::move(a));
  }
}

}  // namespace gx
