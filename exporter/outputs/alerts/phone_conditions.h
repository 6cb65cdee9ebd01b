// PhoneConditions: the phones' share of the registration_failure conditions
// (per-phone alerts and the site ratios), kept between evaluations. Update()
// looks again only at the phones that differ from the snapshot it saw last
// (CowTable::ForEachChange skips the chunks both share), so a pushed status
// costs one phone, not the 50,000 of a large org; a fresh object looks at every
// phone, which is the full evaluation. One thread at a time.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert.h"
#include "exporter/state/telephony_state.h"

namespace gx {

struct AlertConditions;

class PhoneConditions {
 public:
  // Brings the per-phone verdicts and the site line counts to `t`'s phones. A
  // change of the per-phone configuration (per_phone, phones, the rule's
  // severity) starts over from every phone.
  void Update(const TelephonyData& t, const AlertingConfig& cfg);
  // Appends the per-phone alerts and undecided phones (in id order), then the
  // site alerts and undecided sites, as the full evaluation orders them.
  void AppendTo(AlertConditions& out, const AlertingConfig& cfg) const;
  // How many phones the last Update() looked at.
  std::size_t looked_at() const { return looked_at_; }

 private:
  struct Lines {
    long total = 0, reachable = 0;
    long unknown = 0;  // active phones of the site without a status yet
    long phones = 0;   // active phones of the site
  };
  void Remove(const std::string& id, const PhoneEntry& pe);
  void Add(const std::string& id, const PhoneEntry& pe, const AlertingConfig& cfg);

  bool started_ = false;
  CowTable<PhoneEntry> seen_;  // the phones of the last Update (shares every node with that snapshot)
  bool per_phone_ = false;
  std::vector<std::string> phone_ids_;  // cfg.phones when seen_ was built
  std::set<std::string> chosen_;
  std::string severity_;
  std::map<std::string, Alert> alerts_;  // by phone id
  std::set<std::string> undecided_;      // phone ids without a status yet
  std::map<std::string, Lines> sites_;   // by site label
  std::size_t looked_at_ = 0;
};

}  // namespace gx
