// PhoneConditions: the phones' share of the registration_failure conditions
// (per-phone alerts and the site ratios), kept between evaluations. Update()
// looks again only at the phones that differ from the snapshot it saw last
// (CowTable::ForEachChange skips the chunks both share), so a pushed status
// costs one phone, not the 50,000 of a large org; a fresh object looks at every
// phone, which is the full evaluation. It also records which of its conditions
// the last Update() (or Clear()) changed, so that the alert set kept by the
// engine (AlertTable) merges only those. One thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct AlertConditions;

// What changed in a set of conditions: the ones that hold now and are new or may
// differ, and the fingerprints of the ones that no longer hold (a fingerprint in
// both holds: it was replaced).
struct ConditionChanges {
  std::vector<Alert> active;
  std::vector<std::string> gone;
};

class PhoneConditions {
 public:
  // Brings the per-phone verdicts and the site line counts to `t`'s phones. A
  // change of the per-phone or site configuration (per_phone, phones, the
  // rule's severity, the site thresholds) starts over from every phone.
  void Update(const TelephonyData& t, const AlertingConfig& cfg);
  // Forgets every phone (the rule was turned off): all its conditions are gone.
  void Clear();
  // Appends the per-phone alerts and undecided phones (in id order), then the
  // site alerts and undecided sites, as the full evaluation orders them.
  void AppendTo(AlertConditions& out, const AlertingConfig& cfg) const;
  // The conditions the last Update() or Clear() changed.
  ConditionChanges TakeChanges();
  // Whether `a` matches one of the undecided matchers AppendTo() would append (a
  // phone or site without a status yet), and a number that moves when they change.
  bool Undecided(const Alert& a) const;
  std::uint64_t undecided_version() const { return undecided_version_; }
  // How many phones the last Update() looked at.
  std::size_t looked_at() const { return looked_at_; }

 private:
  struct Lines {
    long total = 0, reachable = 0;
    long unknown = 0;  // active phones of the site without a status yet
    long phones = 0;   // active phones of the site
  };
  struct Settings {
    bool per_phone = false;
    std::vector<std::string> phone_ids;  // cfg.phones
    std::string severity;
    int site_min_lines = 0;
    double site_ratio = 0, site_ratio_critical = 0;
    bool operator==(const Settings&) const = default;
  };
  static Settings SettingsOf(const AlertingConfig& cfg);
  void StartOver(const Settings& settings);
  void Remove(const std::string& id, const PhoneEntry& pe);
  void Add(const std::string& id, const PhoneEntry& pe, const AlertingConfig& cfg);
  void JudgeSite(const std::string& site, const AlertingConfig& cfg);
  void SetUndecided(std::set<std::string>& set, const std::string& key, bool undecided);

  bool started_ = false;
  Settings settings_;
  CowTable<PhoneEntry> seen_;  // the phones of the last Update (shares every node with that snapshot)
  std::set<std::string> chosen_;
  std::map<std::string, Alert> alerts_;       // by phone id
  std::set<std::string> undecided_;           // phone ids without a status yet
  std::map<std::string, Lines> sites_;        // by site label
  std::map<std::string, Alert> site_alerts_;  // by site label
  std::set<std::string> undecided_sites_;     // below the threshold on what is known, with phones unknown
  std::uint64_t undecided_version_ = 0;
  // The change log of the last Update() or Clear().
  std::set<std::string> changed_phones_, changed_sites_;
  std::vector<std::string> gone_;
  std::size_t looked_at_ = 0;
};

}  // namespace gx
