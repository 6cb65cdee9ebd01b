// An org whose phones come and go, move sites, lose and regain their status and flap
// their lines, for the property tests of the kept conditions (PhoneConditions, AlertTable),
// and a description of alerts for comparing them whole.
#pragma once

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/outputs/alerts/alert.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx::testing {

inline std::string Describe(const Alert& a) {
  std::ostringstream o;
  o << a.fingerprint << " " << a.severity << " [" << a.summary << "]";
  for (const auto& [k, v] : a.labels) o << " " << k << "=" << v;
  const AlertFacts& f = a.facts;
  o << " facts:" << f.user_id << "/" << f.device_id << "/" << (f.registered ? (*f.registered ? "1" : "0") : "-") << "/"
    << f.codec << "/" << f.carrier_health << "/" << (f.tls_valid ? (*f.tls_valid ? "1" : "0") : "-");
  o << " " << AlertStatusName(a.status) << " " << a.active_since << " " << a.fired_at << " " << a.resolved_at << " "
    << a.updated_at;
  return o.str();
}

inline std::vector<std::string> Describe(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(Describe(a));
  return out;
}

inline std::vector<std::string> Describe(const AlertSet& alerts) {
  std::vector<std::string> out;
  for (const auto& [fp, a] : alerts) out.push_back(Describe(a));
  return out;
}

// An org whose phones come and go, move sites, lose and regain their status
// and flap their lines, through the writer the sources use.
class RandomPhones {
 public:
  RandomPhones(unsigned seed, int phones) : rng_(seed), phones_(phones) {}
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(int percent) { return Pick(100) < percent; }

  Phone MakePhone(int i) {
    Phone p = testing::MakePhone("p" + std::to_string(i), "site" + std::to_string(Pick(4)), Coin(70), 1 + Pick(3));
    if (Coin(10)) p.state = "inactive";
    if (Coin(5)) p.state.clear();
    if (Coin(10)) p.status.reset();  // listed without its status
    if (p.status) p.status->event_creation_time = now_;
    if (p.status && Coin(30)) p.status->lines[0].reachable = !p.status->lines[0].reachable;  // partly registered
    if (Coin(10)) p.site = {};
    return p;
  }

  void Step(TelephonyState& state) {
    now_ += kNanosPerSecond;
    const UnixNanos now = now_;
    const int kind = Pick(20);
    state.Write([&](TelephonyWriter& w) {
      if (kind == 0) {  // a phones poll: some phones come, some go, many change
        std::vector<Phone> phones;
        for (int i = 0; i < phones_; ++i) {
          if (Coin(90)) phones.push_back(MakePhone(i));
        }
        w.ReplacePhones(std::move(phones), now);
        return;
      }
      const int pushes = 1 + Pick(kind == 1 ? 40 : 3);  // a batch of pushed statuses
      for (int n = 0; n < pushes; ++n) {
        PhoneStatusUpdate u;
        u.phone_id = "p" + std::to_string(Pick(phones_));
        Phone p = testing::MakePhone(u.phone_id, "x", Coin(60), 1 + Pick(3));
        u.status = p.status;
        u.status->event_creation_time = now;
        if (Coin(30)) u.status->lines.back().reachable = !u.status->lines.back().reachable;
        w.ApplyPhoneStatus(u, now);
      }
    });
  }

 private:
  std::mt19937 rng_;
  int phones_;
  UnixNanos now_ = kT0;
};

// Five per-phone alerting configurations (variant 0-4): every phone or a few, site
// thresholds, the rule's severity; `for` 3 s.
inline AlertingConfig PhoneAlertingConfig(int variant) {
  AlertingConfig cfg;
  cfg.per_phone = variant % 2 == 0;
  if (!cfg.per_phone) cfg.phones = {"p1", "p3", "p5", "p8", "p13", "p404"};
  cfg.site_min_lines = variant == 2 ? 6 : 1;
  cfg.site_unregistered_ratio = variant == 3 ? 0.4 : 0.1;
  if (variant == 4) cfg.rules["registration_failure"].severity = "critical";
  cfg.rules["registration_failure"].for_duration = Seconds(3);
  return cfg;
}

}  // namespace gx::testing
