#include "exporter/outputs/alerts/phone_conditions.h"

#include <gtest/gtest.h>

#include "exporter/outputs/alerts/alert_evaluator.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/alerts/random_phones.h"

namespace gx {
namespace {

using testing::Describe;
using testing::kT0;
using testing::RandomPhones;


// The property: after any sequence of writes, conditions kept between
// evaluations equal a full evaluation of the same snapshot, and so do the alert
// sets and transitions evolved from each, with time passing so that `for`
// durations expire on the way.
TEST(PhoneConditionsTest, KeptConditionsEqualAFullEvaluationAfterEveryRandomWrite) {
  for (int variant = 0; variant < 5; ++variant) {
    const AlertingConfig cfg = testing::PhoneAlertingConfig(variant);
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
