#include "exporter/outputs/alerts/phone_conditions.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using testing::kT0;

std::string Describe(const Alert& a) {
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

std::vector<std::string> Describe(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(Describe(a));
  return out;
}

std::vector<std::string> Describe(const AlertSet& alerts) {
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

AlertingConfig Config(int variant) {
  AlertingConfig cfg;
  cfg.per_phone = variant % 2 == 0;
  if (!cfg.per_phone) cfg.phones = {"p1", "p3", "p5", "p8", "p13", "p404"};
  cfg.site_min_lines = variant == 2 ? 6 : 1;
  cfg.site_unregistered_ratio = variant == 3 ? 0.4 : 0.1;
  if (variant == 4) cfg.rules["registration_failure"].severity = "critical";
  cfg.rules["registration_failure"].for_duration = Seconds(3);
  return cfg;
}

// The property: after any sequence of writes, conditions kept between
// evaluations equal a full evaluation of the same snapshot, and so do the alert
// sets and transitions evolved from each, with time passing so that `for`
// durations expire on the way.
TEST(PhoneConditionsTest, KeptConditionsEqualAFullEvaluationAfterEveryRandomWrite) {
  for (int variant = 0; variant < 5; ++variant) {
    const AlertingConfig cfg = Config(variant);
    for (unsigned seed = 1; seed <= 6; ++seed) {
      RandomPhones org(seed * 31 + static_cast<unsigned>(variant), 150);
      TelephonyState state;
      HealthData health;
      PhoneConditions kept;
      AlertSet alerts_kept, alerts_full;
      UnixNanos now = kT0;
      for (int step = 0; step < 150; ++step) {
        org.Step(state);
        now += kNanosPerSecond;
        const TelephonySnapshot s = state.Snapshot();
        SCOPED_TRACE("variant " + std::to_string(variant) + " seed " + std::to_string(seed) + " step " +
                     std::to_string(step));
        AlertConditions inc = CollectAlertConditions(*s, health, cfg, {}, now, &kept);
        AlertConditions full = CollectAlertConditions(*s, health, cfg, {}, now);
        ASSERT_EQ(Describe(inc.active), Describe(full.active));
        ASSERT_EQ(inc.undecided, full.undecided);
        ASSERT_EQ(inc.decided, full.decided);
        AlertEvaluation a = ApplyAlertConditions(alerts_kept, std::move(inc), cfg, now);
        AlertEvaluation b = ApplyAlertConditions(alerts_full, std::move(full), cfg, now);
        ASSERT_EQ(Describe(a.alerts), Describe(b.alerts));
        ASSERT_EQ(Describe(a.fired), Describe(b.fired));
        ASSERT_EQ(Describe(a.resolved), Describe(b.resolved));
        ASSERT_EQ(a.changed, b.changed);
        alerts_kept = std::move(a.alerts);
        alerts_full = std::move(b.alerts);
      }
    }
  }
}

TEST(PhoneConditionsTest, APushedStatusIsLookedAtAloneNotEveryPhone) {
  TelephonyState state;
  std::vector<Phone> phones;
  for (int i = 0; i < 5000; ++i) phones.push_back(testing::MakePhone("p" + std::to_string(i), "hq", i % 7 != 0));
  state.ReplacePhones(phones, kT0);
  AlertingConfig cfg;
  cfg.per_phone = true;
  PhoneConditions kept;
  HealthData health;
  CollectAlertConditions(*state.Snapshot(), health, cfg, {}, kT0, &kept);
  EXPECT_EQ(kept.looked_at(), 5000u);

  PhoneStatusUpdate u;
  u.phone_id = "p7";
  u.status = testing::MakePhone("p7", "hq", true).status;
  u.status->event_creation_time = kT0 + kNanosPerSecond;
  ASSERT_TRUE(state.ApplyPhoneStatus(u, kT0 + kNanosPerSecond));
  const AlertConditions c = CollectAlertConditions(*state.Snapshot(), health, cfg, {}, kT0, &kept);
  EXPECT_EQ(kept.looked_at(), 1u);
  for (const Alert& a : c.active) EXPECT_NE(a.labels.at("alertname") + a.EntityId(), "registration_failurep7");

  // Nothing changed: nothing looked at.
  CollectAlertConditions(*state.Snapshot(), health, cfg, {}, kT0, &kept);
  EXPECT_EQ(kept.looked_at(), 0u);
  // A different per-phone configuration starts over.
  cfg.per_phone = false;
  CollectAlertConditions(*state.Snapshot(), health, cfg, {}, kT0, &kept);
  EXPECT_EQ(kept.looked_at(), 5000u);
}

}  // namespace
}  // namespace gx
