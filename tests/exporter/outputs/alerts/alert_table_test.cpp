#include "exporter/outputs/alerts/alert_table.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/alerts/random_others.h"
#include "tests/exporter/outputs/alerts/random_phones.h"

namespace gx {
namespace {

using testing::Describe;
using testing::kT0;
using testing::MakeEdge;
using testing::RandomPhones;
constexpr UnixNanos kSec = kNanosPerSecond;

std::vector<std::string> Sorted(const std::vector<Alert>& alerts) {
  std::vector<std::string> out = Describe(alerts);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Describe(const AlertTableAlerts& alerts) {
  std::vector<std::string> out;
  for (const auto& [fp, a] : alerts) out.push_back(testing::Describe(a));
  return out;
}

// The per-phone variants, one firing at once (3), then the rule turned off (5); edge_offline's
// `for` differs too.
AlertingConfig Config(int variant) {
  AlertingConfig cfg = testing::PhoneAlertingConfig(variant % 5);
  if (variant == 3) cfg.rules["registration_failure"].for_duration = Seconds(0);
  if (variant == 5) cfg.rules["registration_failure"].enabled = false;
  cfg.rules["edge_offline"].for_duration = Seconds(variant == 1 ? 5 : 2);
  return cfg;
}

void ExpectSameEvaluation(const AlertTable& table, const AlertTransitions& kept, const AlertEvaluation& ref) {
  ASSERT_EQ(Describe(table.alerts()), Describe(ref.alerts));
  ASSERT_EQ(Sorted(kept.fired), Sorted(ref.fired));
  ASSERT_EQ(Sorted(kept.resolved), Sorted(ref.resolved));
  ASSERT_EQ(Sorted(kept.updated), Sorted(ref.updated));
  ASSERT_EQ(kept.changed, ref.changed);
  std::size_t firing = 0;
  for (const auto& [fp, a] : ref.alerts) firing += a.status == AlertStatus::kFiring;
  ASSERT_EQ(table.firing_count(), firing);
}

// The kept table and the full evaluation side by side over one state.
struct SideBySide {
  void Evaluate(const AlertingConfig& cfg, const AlertEvalOptions& opt, UnixNanos now) {
    const TelephonySnapshot s = state.Snapshot();
    AlertTransitions kept = table.Evaluate(*s, health, cfg, opt, now, phones);
    AlertEvaluation ref = EvaluateAlerts(full, *s, health, cfg, opt, now);
    ExpectSameEvaluation(table, kept, ref);
    full = std::move(ref.alerts);
  }
  TelephonyState state;
  HealthData health;
  PhoneConditions phones;
  AlertTable table;
  AlertSet full;
};

// The property: the alert set the engine keeps, changed only where conditions changed, equals
// the full evaluation's after every random write (phones, edges, the edge inventory loaded or
// not) and every configuration change (a reload), transitions included, with time passing so
// that `for` durations expire on the way.
TEST(AlertTableTest, EqualsTheFullEvaluationAfterEveryRandomWriteAndReload) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    RandomPhones org(seed * 7919, 120);
    SideBySide run;
    TelephonyState& state = run.state;
    int variant = static_cast<int>(seed % 6);
    UnixNanos now = kT0;
    for (int step = 0; step < 200; ++step) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
      org.Step(state);
      if (org.Coin(10)) {  // an edge poll: some edges go offline, disappear, or the listing is unknown
        std::vector<Edge> edges;
        for (int e = 0; e < 6; ++e) {
          if (org.Coin(80)) edges.push_back(MakeEdge("e" + std::to_string(e), "site" + std::to_string(e % 2), org.Coin(60)));
          if (!edges.empty() && org.Coin(10)) edges.back().online_status.clear();
          if (!edges.empty() && org.Coin(10)) edges.back().name = "renamed";
        }
        state.ReplaceEdges(edges, now);
      }
      if (org.Coin(3)) variant = org.Pick(6);  // a reload
      const AlertingConfig cfg = Config(variant);
      now += org.Pick(3) * kSec;
      ASSERT_NO_FATAL_FAILURE(run.Evaluate(cfg, {}, now));
    }
  }
}

// The same with the rest of the org changing too: trunks and their metrics, edges, followed
// users, TLS certificates (time crossing their windows) and the exporter's health, pushed and
// polled, with evaluations after phone pushes alone in between, and reloads that change the
// other kinds' rules and options.
TEST(AlertTableTest, EqualsTheFullEvaluationWithTrunksEdgesUsersTlsAndHealthChanging) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    RandomPhones org(seed * 104729, 60);
    testing::RandomOthers others(seed * 15485863, 60);
    SideBySide run;
    int variant = static_cast<int>(seed % 6);
    AlertEvalOptions opt;
    UnixNanos now = kT0;
    for (int step = 0; step < 300; ++step) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
      if (others.Coin(50)) {
        org.Step(run.state);  // phones only
      } else {
        others.Step(run.state, run.health, now);
      }
      if (org.Coin(3)) {  // a reload
        variant = org.Pick(6);
        opt.qos_mismatch_threshold = org.Pick(2);
        opt.tls_probes_enabled = org.Coin(80);
        opt.notifications_enabled = org.Coin(80);
      }
      AlertingConfig cfg = Config(variant);
      testing::ShortTlsWindows(cfg);
      if (variant == 2) cfg.rules["carrier_degradation"].severity = "info";
      if (variant == 4) cfg.rules["tls_cert_expiry"].enabled = false;
      now += org.Coin(80) ? org.Pick(4) * kSec : org.Pick(1800) * kSec;
      ASSERT_NO_FATAL_FAILURE(run.Evaluate(cfg, opt, now));
    }
  }
}

// The first phone listing arrives page by page: until its sweep the inventory is not loaded,
// the rule is undecided as a whole, and a page's unregistered phone is no condition yet.
TEST(AlertTableTest, APhoneListingHalfReadAddsNoConditionBeforeTheInventoryIsLoaded) {
  SideBySide run;
  const AlertingConfig cfg = Config(3);  // per phone, `for` 0
  ListingMarks marks;
  run.state.Write([&](TelephonyWriter& w) {
    w.UpsertPhones({testing::MakePhone("p1", "site", false), testing::MakePhone("p2", "site", true)}, kT0, marks);
  });
  run.Evaluate(cfg, {}, kT0);
  EXPECT_TRUE(run.table.alerts().empty());
  run.state.Write([&](TelephonyWriter& w) { w.SweepPhones(marks); });
  run.Evaluate(cfg, {}, kT0 + kSec);
  EXPECT_FALSE(run.table.alerts().empty());
}

// A hand-made condition of `name` about edge `id`.
Alert Condition(const AlertingConfig& cfg, std::string_view name, const std::string& id,
                const std::string& summary = "down") {
  return ConditionAlert(cfg, name, {{"edge_id", id}}, "critical", summary);
}

class AlertTableApplyTest : public ::testing::Test {
 protected:
  AlertTableApplyTest() {
    cfg_.rules["edge_offline"].for_duration = Seconds(30);
    cfg_.rules["carrier_degradation"].for_duration = Seconds(10);
  }
  AlertTransitions Apply(std::vector<Alert> active, UnixNanos now, std::vector<AlertLabels> undecided = {}) {
    AlertConditions c;
    c.active = std::move(active);
    c.undecided = std::move(undecided);
    return table_.Apply(std::move(c), phones_, cfg_, now);
  }
  const Alert* Find(const Alert& a) const { return table_.alerts().Find(a.fingerprint); }

  AlertingConfig cfg_;
  PhoneConditions phones_;
  AlertTable table_;
};

TEST_F(AlertTableApplyTest, PendingAlertsFireInTheOrderOfTheirForDeadlines) {
  const Alert edge = Condition(cfg_, kEdgeOffline, "e1");      // for 30 s
  const Alert trunk = Condition(cfg_, kCarrierDegradation, "t1");  // for 10 s
  EXPECT_FALSE(table_.NextDue());
  Apply({edge}, kT0);
  Apply({edge, trunk}, kT0 + 5 * kSec);
  EXPECT_EQ(table_.NextDue(), kT0 + 15 * kSec);  // the trunk's, though it came second
  EXPECT_TRUE(Apply({edge, trunk}, kT0 + 14 * kSec).fired.empty());
  AlertTransitions t = Apply({edge, trunk}, kT0 + 15 * kSec);
  ASSERT_EQ(t.fired.size(), 1u);
  EXPECT_EQ(t.fired[0].fingerprint, trunk.fingerprint);
  EXPECT_EQ(table_.NextDue(), kT0 + 30 * kSec);
  // Both due at once (the clock jumped): in deadline order.
  const Alert late = Condition(cfg_, kCarrierDegradation, "t2");
  Apply({edge, trunk, late}, kT0 + 21 * kSec);  // due at 31 s, after the edge's 30 s
  t = Apply({edge, trunk, late}, kT0 + 40 * kSec);
  ASSERT_EQ(t.fired.size(), 2u);
  EXPECT_EQ(t.fired[0].fingerprint, edge.fingerprint);
  EXPECT_EQ(t.fired[1].fingerprint, late.fingerprint);
  EXPECT_EQ(t.fired[1].fired_at, kT0 + 40 * kSec);
  EXPECT_EQ(t.fired[1].active_since, kT0 + 21 * kSec);
  EXPECT_FALSE(table_.NextDue());
  EXPECT_EQ(table_.firing_count(), 3u);
}

TEST_F(AlertTableApplyTest, AGoneConditionResolvesWhenFiringAndVanishesWhenPending) {
  const Alert a = Condition(cfg_, kCarrierDegradation, "t1");
  const Alert b = Condition(cfg_, kEdgeOffline, "e1");
  Apply({a, b}, kT0);
  Apply({a, b}, kT0 + 10 * kSec);
  ASSERT_EQ(Find(a)->status, AlertStatus::kFiring);
  ASSERT_EQ(Find(b)->status, AlertStatus::kPending);
  AlertTransitions t = Apply({}, kT0 + 12 * kSec);
  EXPECT_TRUE(t.changed);
  ASSERT_EQ(t.resolved.size(), 1u);  // the pending one leaves no trace
  EXPECT_EQ(t.resolved[0].fingerprint, a.fingerprint);
  EXPECT_EQ(t.resolved[0].status, AlertStatus::kResolved);
  EXPECT_EQ(t.resolved[0].resolved_at, kT0 + 12 * kSec);
  EXPECT_TRUE(table_.alerts().empty());
  EXPECT_FALSE(table_.NextDue()) << "the vanished pending alert left its deadline behind";
  EXPECT_EQ(table_.firing_count(), 0u);
}

TEST_F(AlertTableApplyTest, AResolvedConditionThatReturnsIsPendingAgainAndFiresAfterItsFor) {
  const Alert a = Condition(cfg_, kCarrierDegradation, "t1");
  Apply({a}, kT0);
  ASSERT_EQ(Apply({a}, kT0 + 10 * kSec).fired.size(), 1u);
  ASSERT_EQ(Apply({}, kT0 + 20 * kSec).resolved.size(), 1u);
  AlertTransitions t = Apply({a}, kT0 + 30 * kSec);
  EXPECT_TRUE(t.fired.empty());
  ASSERT_NE(Find(a), nullptr);
  EXPECT_EQ(Find(a)->status, AlertStatus::kPending);
  EXPECT_EQ(Find(a)->active_since, kT0 + 30 * kSec);
  t = Apply({a}, kT0 + 40 * kSec);
  ASSERT_EQ(t.fired.size(), 1u);
  EXPECT_EQ(t.fired[0].fired_at, kT0 + 40 * kSec);
}

TEST_F(AlertTableApplyTest, AConditionWhoseLabelsChangeIsANewAlertAndTheOldOneResolves) {
  AlertLabels labels{{"edge_id", "e1"}, {"edge_name", "Edge 1"}};
  const Alert before = ConditionAlert(cfg_, kEdgeOffline, labels, "critical", "edge Edge 1 is OFFLINE");
  labels["edge_name"] = "Edge One";
  const Alert after = ConditionAlert(cfg_, kEdgeOffline, labels, "critical", "edge Edge One is OFFLINE");
  ASSERT_NE(before.fingerprint, after.fingerprint);
  Apply({before}, kT0);
  Apply({before}, kT0 + 30 * kSec);
  AlertTransitions t = Apply({after}, kT0 + 31 * kSec);
  ASSERT_EQ(t.resolved.size(), 1u);
  EXPECT_EQ(t.resolved[0].fingerprint, before.fingerprint);
  EXPECT_EQ(Find(after)->status, AlertStatus::kPending);
  EXPECT_EQ(table_.NextDue(), kT0 + 61 * kSec);
}

TEST_F(AlertTableApplyTest, ANewSummaryOfAFiringAlertIsAnUpdateNotAFire) {
  Apply({Condition(cfg_, kEdgeOffline, "e1", "down")}, kT0);
  Apply({Condition(cfg_, kEdgeOffline, "e1", "down")}, kT0 + 30 * kSec);
  AlertTransitions same = Apply({Condition(cfg_, kEdgeOffline, "e1", "down")}, kT0 + 31 * kSec);
  EXPECT_FALSE(same.changed);
  AlertTransitions t = Apply({Condition(cfg_, kEdgeOffline, "e1", "still down")}, kT0 + 32 * kSec);
  EXPECT_TRUE(t.changed);
  EXPECT_TRUE(t.fired.empty());
  ASSERT_EQ(t.updated.size(), 1u);
  EXPECT_EQ(t.updated[0].summary, "still down");
  EXPECT_EQ(t.updated[0].fired_at, kT0 + 30 * kSec);
  EXPECT_EQ(t.updated[0].updated_at, kT0 + 32 * kSec);
}

TEST_F(AlertTableApplyTest, AnUndecidedSubjectKeepsItsAlertUntilTheMatcherGoes) {
  const Alert a = Condition(cfg_, kEdgeOffline, "e1");
  const AlertLabels unknown{{"alertname", std::string(kEdgeOffline)}, {"edge_id", "e1"}};
  Apply({a}, kT0);
  Apply({a}, kT0 + 30 * kSec);
  AlertTransitions t = Apply({}, kT0 + 40 * kSec, {unknown});
  EXPECT_TRUE(t.resolved.empty());
  EXPECT_FALSE(t.changed);
  ASSERT_NE(Find(a), nullptr);
  EXPECT_EQ(Find(a)->status, AlertStatus::kFiring);
  t = Apply({}, kT0 + 50 * kSec);  // known again, and not offline
  ASSERT_EQ(t.resolved.size(), 1u);
  EXPECT_TRUE(table_.alerts().empty());
}

TEST_F(AlertTableApplyTest, AnUndecidedPendingAlertDoesNotFireUntilItsConditionHoldsAgain) {
  const Alert a = Condition(cfg_, kEdgeOffline, "e1");
  const AlertLabels unknown{{"alertname", std::string(kEdgeOffline)}};
  Apply({a}, kT0);
  Apply({}, kT0 + 10 * kSec, {unknown});
  EXPECT_FALSE(table_.NextDue());
  EXPECT_TRUE(Apply({}, kT0 + 40 * kSec, {unknown}).fired.empty());
  AlertTransitions t = Apply({a}, kT0 + 41 * kSec);  // held since kT0, as far as anyone knows
  ASSERT_EQ(t.fired.size(), 1u);
  EXPECT_EQ(t.fired[0].active_since, kT0);
}

TEST_F(AlertTableApplyTest, ARestoredAlertResolvesOnEvidenceOnly) {
  Alert restored = Condition(cfg_, kEdgeOffline, "e1");
  restored.status = AlertStatus::kFiring;
  restored.active_since = kT0 - 100 * kSec;
  restored.fired_at = kT0 - 70 * kSec;
  table_.Restore(restored);
  EXPECT_EQ(table_.firing_count(), 1u);
  const AlertLabels unknown{{"alertname", std::string(kEdgeOffline)}};
  EXPECT_TRUE(Apply({}, kT0, {unknown}).resolved.empty());
  AlertTransitions t = Apply({}, kT0 + kSec);
  ASSERT_EQ(t.resolved.size(), 1u);
  EXPECT_EQ(t.resolved[0].fired_at, kT0 - 70 * kSec);
}

TEST_F(AlertTableApplyTest, ALongerForOnReloadMovesTheDeadline) {
  const Alert a = Condition(cfg_, kEdgeOffline, "e1");
  Apply({a}, kT0);
  cfg_.rules["edge_offline"].for_duration = Seconds(120);
  EXPECT_TRUE(Apply({a}, kT0 + 60 * kSec).fired.empty());
  EXPECT_EQ(table_.NextDue(), kT0 + 120 * kSec);
  cfg_.rules["edge_offline"].enabled = false;  // its conditions are gone with it
  EXPECT_TRUE(Apply({}, kT0 + 61 * kSec).changed);
  EXPECT_TRUE(table_.alerts().empty());
}

TEST_F(AlertTableApplyTest, APublishedCopyStaysAsItWasWhileTheTableMovesOn) {
  const Alert a = Condition(cfg_, kEdgeOffline, "e1");
  Apply({a}, kT0);
  const AlertTableAlerts published = table_.alerts();
  Apply({a, Condition(cfg_, kEdgeOffline, "e2")}, kT0 + 30 * kSec);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published.begin()->second.status, AlertStatus::kPending);
  EXPECT_EQ(table_.alerts().size(), 2u);
  EXPECT_EQ(table_.alerts().at(a.fingerprint).status, AlertStatus::kFiring);
}

}  // namespace
}  // namespace gx
