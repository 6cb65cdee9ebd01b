#include "exporter/outputs/alerts/other_conditions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/alerts/random_others.h"
#include "tests/exporter/outputs/alerts/random_phones.h"

namespace gx {
namespace {

using testing::Describe;
using testing::kT0;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kDay = 86400 * kSec;

// Conditions as sorted descriptions: the kept ones come in another order than the full evaluation's.
struct Sorted {
  explicit Sorted(AlertConditions c) : active(Describe(c.active)), undecided(std::move(c.undecided)),
                                       decided(std::move(c.decided)) {
    std::sort(active.begin(), active.end());
    std::sort(undecided.begin(), undecided.end());
    std::sort(decided.begin(), decided.end());
  }
  std::vector<std::string> active;
  std::vector<AlertLabels> undecided, decided;
};

AlertConditions Held(const OtherConditions& kept) {
  AlertConditions out;
  kept.AppendTo(out);
  return out;
}

void ExpectSame(const OtherConditions& kept, AlertConditions fresh) {
  const Sorted a(Held(kept)), b(std::move(fresh));
  ASSERT_EQ(a.active, b.active);
  ASSERT_EQ(a.undecided, b.undecided);
  ASSERT_EQ(a.decided, b.decided);
}

// Reloads: rules' severities, a rule turned off, the QoS threshold, a source turned off.
AlertingConfig Config(int variant) {
  AlertingConfig cfg;
  testing::ShortTlsWindows(cfg);
  if (variant == 1) cfg.rules["carrier_degradation"].severity = "info";
  if (variant == 1) cfg.rules["edge_offline"].enabled = false;
  if (variant == 2) cfg.rules["tls_cert_expiry"].enabled = false;
  if (variant == 2) cfg.rules["monitoring_blind"].severity = "warning";
  if (variant == 3) cfg.rules["registration_failure"].enabled = false;
  if (variant == 4) cfg.tls_warning = Seconds(3 * 3600);
  return cfg;
}

AlertEvalOptions Options(int variant) {
  AlertEvalOptions opt;
  opt.qos_mismatch_threshold = variant == 4 ? 1 : 0;
  opt.tls_probes_enabled = variant != 2;
  opt.notifications_enabled = variant != 3;
  return opt;
}

// The property: what the kept conditions hold equals a full evaluation of the same snapshot
// after every random write, reload and step of time (minutes, across the TLS windows and the
// tenths of a day of their summaries), and their change log, applied to the previous set,
// gives the new one.
TEST(OtherConditionsTest, KeptConditionsEqualAFullEvaluationAfterEveryRandomWrite) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    testing::RandomPhones phones(seed * 31, 20);
    testing::RandomOthers others(seed * 7919, 20);
    TelephonyState state;
    HealthData health;
    OtherConditions kept;
    std::map<std::string, std::string> logged;  // fingerprint -> description, from the change log
    int variant = 0;
    UnixNanos now = kT0;
    for (int step = 0; step < 300; ++step) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
      if (others.Coin(30)) phones.Step(state);
      others.Step(state, health, now);
      if (others.Coin(4)) variant = others.Pick(5);
      now += others.Coin(90) ? others.Pick(600) * kSec : -others.Pick(60) * kSec;  // the clock may step back
      const AlertingConfig cfg = Config(variant);
      const AlertEvalOptions opt = Options(variant);
      const TelephonySnapshot s = state.Snapshot();
      kept.Update(*s, health, cfg, opt, now);
      ExpectSame(kept, CollectOtherConditions(*s, health, cfg, opt, now));

      ConditionChanges changes = kept.TakeChanges();
      for (const auto& fp : changes.gone) logged.erase(fp);
      for (const Alert& a : changes.active) logged[a.fingerprint] = testing::Describe(a);
      std::map<std::string, std::string> held;
      for (const Alert& a : Held(kept).active) held[a.fingerprint] = testing::Describe(a);
      ASSERT_EQ(logged, held);
    }
  }
}

// 600 carriers and 200 edges, some down, a followed user, a TLS target, as in the large org.
class OtherConditionsKeptTest : public ::testing::Test {
 protected:
  OtherConditionsKeptTest() {
    std::vector<Phone> ps;
    for (int i = 0; i < 50; ++i) ps.push_back(testing::MakePhone("p" + std::to_string(i), "site", true));
    state_.ReplacePhones(ps, kT0);
    std::vector<Trunk> trunks;
    for (int i = 0; i < 600; ++i) trunks.push_back(testing::MakeTrunk("t" + std::to_string(i), i % 50 != 1));
    state_.ReplaceTrunks(trunks, kT0);
    state_.MarkTrunkMetricsLoaded();
    std::vector<Edge> edges;
    for (int i = 0; i < 200; ++i) edges.push_back(testing::MakeEdge("e" + std::to_string(i), "site", i % 40 != 3));
    state_.ReplaceEdges(edges, kT0);
    testing::FollowUserOnPhone(state_, "u1", "p7", kT0);
    state_.ReplaceTlsTargets({testing::RandomOthers::Target(0)}, true);
    state_.ApplyTlsResult(testing::MakeTlsResult(testing::RandomOthers::Target(0).key(), kT0 + 10 * kDay));
    Update(kT0);
    kept_.TakeChanges();
  }
  void Update(UnixNanos now) {
    const TelephonySnapshot s = state_.Snapshot();
    kept_.Update(*s, health_, cfg_, {}, now);
    ExpectSame(kept_, CollectOtherConditions(*s, health_, cfg_, {}, now));
  }
  void PushPhone(const std::string& id, bool registered, UnixNanos at) {
    PhoneStatusUpdate u;
    u.phone_id = id;
    u.status = testing::MakePhone(id, "site", registered).status;
    u.status->event_creation_time = at;
    state_.ApplyPhoneStatus(u, at);
  }

  TelephonyState state_;
  HealthData health_;
  AlertingConfig cfg_;
  OtherConditions kept_;
};

TEST_F(OtherConditionsKeptTest, AfterAPushedPhoneNoTrunkEdgeOrTargetIsLookedAtAgain) {
  ASSERT_EQ(Held(kept_).active.size(), 12u + 5u + 1u);  // down trunks, offline edges, the expiring certificate
  PushPhone("p3", false, kT0 + kSec);
  Update(kT0 + kSec);
  EXPECT_EQ(kept_.looked_at(), 0u);
  ConditionChanges c = kept_.TakeChanges();
  EXPECT_TRUE(c.active.empty());
  EXPECT_TRUE(c.gone.empty());
}

TEST_F(OtherConditionsKeptTest, APushedTrunkIsTheOnlyOneLookedAtAgain) {
  TrunkStatusUpdate u;
  u.trunk_id = "t5";
  u.connected = false;
  state_.ApplyTrunkStatus(u, kT0 + kSec);
  Update(kT0 + kSec);
  EXPECT_EQ(kept_.looked_at(), 1u);
  ConditionChanges c = kept_.TakeChanges();
  ASSERT_EQ(c.active.size(), 1u);
  EXPECT_EQ(c.active[0].labels.at("trunk_id"), "t5");
  EXPECT_TRUE(c.gone.empty());

  TrunkMetrics m;  // its metrics count as the trunk's
  m.trunk_id = "t1";
  m.event_time = kT0 + 2 * kSec;
  m.qos_mismatches = 4;
  state_.ApplyTrunkMetrics(m, kT0 + 2 * kSec);
  u.connected = true;
  u.trunk_id = "t5";
  state_.ApplyTrunkStatus(u, kT0 + 2 * kSec);
  Update(kT0 + 2 * kSec);
  EXPECT_EQ(kept_.looked_at(), 2u);
  c = kept_.TakeChanges();
  EXPECT_TRUE(c.active.empty()) << "t1 was down and stays down";
  ASSERT_EQ(c.gone.size(), 1u);
}

TEST_F(OtherConditionsKeptTest, AFollowedUsersPhoneIsLookedAtAgainWhenItsStatusIsPushed) {
  PushPhone("p7", false, kT0 + kSec);
  Update(kT0 + kSec);
  EXPECT_EQ(kept_.looked_at(), 1u);  // the user on it
  ConditionChanges c = kept_.TakeChanges();
  ASSERT_EQ(c.active.size(), 1u);
  EXPECT_EQ(c.active[0].labels.at("user_id"), "u1");
  PushPhone("p7", true, kT0 + 2 * kSec);
  Update(kT0 + 2 * kSec);
  c = kept_.TakeChanges();
  EXPECT_EQ(c.gone.size(), 1u);
}

// Time alone: the certificate (10 days left) enters the critical window at 7 days, its
// summary's days change every tenth of a day, and it expires. Looked at again only then.
TEST_F(OtherConditionsKeptTest, TimeAloneMovesTheTlsVerdictAtItsDeadlinesOnly) {
  int derived = 0, summaries = 0;
  std::string summary;
  auto tls = [&] {
    for (const Alert& a : Held(kept_).active) {
      if (a.name() == kTlsCertExpiry) return a.summary + " " + a.severity;
    }
    return std::string("none");
  };
  for (UnixNanos now = kT0; now <= kT0 + 11 * kDay; now += 97 * kSec) {
    SCOPED_TRACE(now);
    Update(now);
    derived += kept_.looked_at() > 0;
    if (tls() != summary) ++summaries;
    summary = tls();
  }
  EXPECT_EQ(summary, "certificate of sip0.example.net:5061 has expired critical");
  // 100 tenths of a day and the expiry, each derived again a second early at most: ~2 per change.
  EXPECT_GE(summaries, 100);
  EXPECT_LE(derived, 2 * summaries + 2);
  // Back across a tenth's boundary (the clock stepped back), second by second: never a step
  // late (ExpectSame in Update).
  const UnixNanos boundary = kT0 + 4320 * kSec;  // 9.95 days left: from "10.0" to "9.9"
  for (UnixNanos now = boundary - 5 * kSec; now <= boundary + 5 * kSec; now += kSec / 2) Update(now);
}

TEST_F(OtherConditionsKeptTest, ReplaceTakesAHandMadeListAndTheNextUpdateDerivesEverythingAgain) {
  const Alert a = ConditionAlert(cfg_, kEdgeOffline, {{"edge_id", "x"}}, "critical", "down");
  kept_.Replace({{a}, {}, {}});
  ConditionChanges c = kept_.TakeChanges();
  ASSERT_EQ(c.active.size(), 1u);
  EXPECT_EQ(c.gone.size(), 18u);
  Update(kT0 + kSec);
  c = kept_.TakeChanges();
  EXPECT_EQ(c.active.size(), 18u);
  EXPECT_EQ(c.gone, std::vector<std::string>{a.fingerprint});
}

}  // namespace
}  // namespace gx
