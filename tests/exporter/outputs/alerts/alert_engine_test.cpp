#include "exporter/outputs/alerts/alert_engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/exporter/outputs/alerts/alert_test_util.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

class AlertEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gx-alert-engine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    opt_.alerting.group_wait = Seconds(30);
    opt_.alerting.group_interval = Seconds(60);
    opt_.alerting.repeat_interval = Seconds(4 * 3600);
    opt_.alerting.phones = {"p-watch"};
    opt_.alerting.site_min_lines = 10;  // the broken phones' sites stay below it: no site alerts
    opt_.alerting.rules["monitoring_blind"].for_duration = Seconds(120);
    opt_.alerting.state_file = (dir_ / "alerts.state").string();
    Healthy();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A healthy organisation: one followed user, one watched phone, a trunk, an edge, a TLS target.
  void Healthy() {
    const UnixNanos now = clock_.Now();
    std::vector<Phone> phones = {MakePhone("p-user", "HQ", true), MakePhone("p-watch", "HQ", true)};
    for (int i = 0; i < 20; ++i) phones.push_back(MakePhone("p" + std::to_string(i), "HQ", true));
    tel_.ReplacePhones(phones, now);
    FollowUserOnPhone(tel_, "u1", "p-user", now);
    tel_.ReplaceTrunks({MakeTrunk("t1", true)}, now);
    tel_.MarkTrunkMetricsLoaded();
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", true)}, now);
    TlsTarget target;
    target.host = "sip.example.net";
    target.source = "config";
    tel_.ReplaceTlsTargets({target}, /*complete=*/true);
    tel_.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", now + 200LL * 86400 * kSec));
    health_.Update([&](HealthData& h) {
      h.genesys_up = true;
      h.sources["phones"].ran = true;
      h.sources["phones"].up = true;
      h.sources["notifications"].ran = true;
      h.sources["notifications"].up = true;
    });
  }

  std::unique_ptr<AlertEngine> NewEngine() {
    return std::make_unique<AlertEngine>(tel_, health_, &sink_, clock_, opt_);
  }

  // Advances simulated time in 10 s steps, evaluating at each, as the periodic tick would.
  void Run(AlertEngine& engine, int seconds, int step = 10) {
    for (int s = 0; s < seconds; s += step) {
      clock_.Advance(step * kSec);
      engine.EvaluateNow();
    }
  }

  std::filesystem::path dir_;
  ManualClock clock_{kT0};
  TelephonyState tel_;
  HealthState health_;
  RecordingSink sink_;
  AlertEngineOptions opt_;
};

TEST_F(AlertEngineTest, EachAlertTypeFiresOnceThenResolvesOnce) {
  auto engine = NewEngine();
  engine->EvaluateNow();
  Run(*engine, 600);
  EXPECT_TRUE(sink_.Take().empty());

  // Break everything at once.
  const UnixNanos now = clock_.Now();
  tel_.ReplacePhones({MakePhone("p-user", "HQ", false), MakePhone("p-watch", "Branch", false)}, now);
  tel_.ReplaceTrunks({MakeTrunk("t1", true, /*proxy_up=*/false)}, now);
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, now);
  tel_.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", now + 3 * 86400 * kSec));
  health_.Update([](HealthData& h) {
    h.genesys_up = false;
    h.sources["notifications"].up = false;
  });
  Run(*engine, 3600);

  std::map<std::string, int> firing, resolved;
  std::set<std::string> firing_fps;
  for (const auto& n : sink_.Take()) {
    ASSERT_TRUE(n.resolved.empty());
    for (const auto& a : n.firing) {
      ++firing[a.name()];
      EXPECT_TRUE(firing_fps.insert(a.fingerprint).second) << "announced twice: " << a.fingerprint;
    }
  }
  // registration_failure: the user and the watched phone (the sites are below site_min_lines);
  // monitoring_blind: the api and the notification stream.
  EXPECT_EQ(firing["registration_failure"], 2);
  EXPECT_EQ(firing["carrier_degradation"], 1);
  EXPECT_EQ(firing["tls_cert_expiry"], 1);
  EXPECT_EQ(firing["edge_offline"], 1);
  EXPECT_EQ(firing["monitoring_blind"], 2);
  int critical_carrier = 0;
  health_.Read([&](const HealthData& h) {
    critical_carrier = h.alerts_firing.at({"carrier_degradation", "warning"});
  });
  EXPECT_EQ(critical_carrier, 1);

  // Heal everything.
  Healthy();
  Run(*engine, 4 * 3600 + 600);  // past repeat_interval: nothing is left to repeat
  for (const auto& n : sink_.Take()) {
    ASSERT_FALSE(n.is_firing()) << n.group_key;
    for (const auto& a : n.resolved) {
      ++resolved[a.name()];
      EXPECT_TRUE(firing_fps.erase(a.fingerprint)) << "resolved twice or never fired";
    }
  }
  EXPECT_EQ(resolved, firing);
  EXPECT_TRUE(firing_fps.empty());
  EXPECT_TRUE(engine->ActiveAlerts().empty());
}

TEST_F(AlertEngineTest, FlapShorterThanForSendsNothing) {
  auto engine = NewEngine();
  engine->EvaluateNow();
  tel_.ReplacePhones({MakePhone("p-user", "HQ", true), MakePhone("p-watch", "HQ", false)}, clock_.Now());
  Run(*engine, 50);
  ASSERT_EQ(engine->ActiveAlerts().size(), 1u);
  EXPECT_EQ(engine->ActiveAlerts()[0].status, AlertStatus::kPending);
  Healthy();
  Run(*engine, 3600);
  EXPECT_TRUE(sink_.Take().empty());
  EXPECT_TRUE(sink_.states.empty());
}

TEST_F(AlertEngineTest, FiveThousandPhoneOutageOfOneSiteIsOneAlertMessage) {
  opt_.alerting.per_phone = true;
  auto engine = NewEngine();
  std::vector<Phone> phones;
  for (int i = 0; i < 5000; ++i) phones.push_back(MakePhone("big" + std::to_string(i), "Plant", true));
  phones.push_back(MakePhone("p-user", "HQ", true));
  tel_.ReplacePhones(phones, clock_.Now());
  engine->EvaluateNow();
  for (auto& p : phones) {
    if (p.site.name == "Plant") p = MakePhone(p.id, "Plant", false);
  }
  tel_.ReplacePhones(phones, clock_.Now());
  Run(*engine, 1800, 30);
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].group_labels.at("site"), "Plant");
  EXPECT_EQ(sent[0].firing.size(), 5001u);  // 5,000 phones and the site's ratio alert
  // Alertmanager receivers: one batch when they fired, then periodic re-sends, never one per phone.
  ASSERT_FALSE(sink_.states.empty());
  EXPECT_LE(sink_.states.size(), 1800u / 60 + 2);
}

TEST_F(AlertEngineTest, RestartDoesNotRepageAndStillResolves) {
  {
    auto engine = NewEngine();
    engine->EvaluateNow();
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
    Run(*engine, 300);
    auto sent = sink_.Take();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].firing.at(0).name(), "edge_offline");
  }
  // A new engine (a restarted exporter) on a fresh state that has not polled edges yet.
  TelephonyState fresh;
  {
    AlertEngine engine(fresh, health_, &sink_, clock_, opt_);
    engine.EvaluateNow();
    ASSERT_EQ(engine.ActiveAlerts().size(), 1u) << "not resolved before the edges are known again";
    fresh.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
    for (int i = 0; i < 60; ++i) {
      clock_.Advance(10 * kSec);
      engine.EvaluateNow();
    }
    EXPECT_TRUE(sink_.Take().empty()) << "re-paged after a restart";
    fresh.ReplaceEdges({MakeEdge("e1", "HQ", true)}, clock_.Now());
    for (int i = 0; i < 60; ++i) {
      clock_.Advance(10 * kSec);
      engine.EvaluateNow();
    }
    auto sent = sink_.Take();
    ASSERT_EQ(sent.size(), 1u);
    ASSERT_EQ(sent[0].resolved.size(), 1u);
    EXPECT_EQ(sent[0].resolved[0].name(), "edge_offline");
  }
}

// Found by the chaos soak: the condition ends, and the exporter is killed before the
// group's next flush has sent the resolved message. The alert must not vanish from the
// state file with it, or the receiver keeps it firing for ever.
TEST_F(AlertEngineTest, AKillBeforeTheResolvedMessageIsSentDoesNotLoseIt) {
  {
    auto engine = NewEngine();
    engine->EvaluateNow();
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
    Run(*engine, 300);
    ASSERT_EQ(sink_.Take().size(), 1u);
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", true)}, clock_.Now());
    clock_.Advance(kSec);
    engine->EvaluateNow();  // resolved; the message waits for the group's next flush
    ASSERT_TRUE(engine->ActiveAlerts().empty());
    ASSERT_TRUE(sink_.Take().empty());
  }  // killed here: nothing more runs
  TelephonyState fresh;
  AlertEngine engine(fresh, health_, &sink_, clock_, opt_);
  engine.EvaluateNow();
  fresh.ReplaceEdges({MakeEdge("e1", "HQ", true)}, clock_.Now());
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(10 * kSec);
    engine.EvaluateNow();
  }
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].firing.empty());
  ASSERT_EQ(sent[0].resolved.size(), 1u);
  EXPECT_EQ(sent[0].resolved[0].name(), "edge_offline");
  EXPECT_TRUE(engine.ActiveAlerts().empty());
}

// A discovered carrier TLS target whose certificate expires in 3 days, and a carrier
// trunk whose QoS mismatches make it degraded: both fire, then the exporter restarts.
TEST_F(AlertEngineTest, RestartKeepsTlsAndQosAlertsUntilTheirFactsAreLoadedAgain) {
  auto carrier_facts = [&](TelephonyState& t, std::int64_t qos, UnixNanos not_after) {
    TrunkMetrics m;
    m.trunk_id = "t1";
    m.qos_mismatches = qos;
    ASSERT_TRUE(t.ApplyTrunkMetrics(m, clock_.Now()));
    t.MarkTrunkMetricsLoaded();
    TlsTarget carrier;
    carrier.host = "carrier.example";
    carrier.source = "trunk";
    carrier.trunk_ids = {"t1"};
    t.ReplaceTlsTargets({carrier}, /*complete=*/true);
    t.ApplyTlsResult(MakeTlsResult("carrier.example:5061", not_after));
  };
  std::map<std::string, UnixNanos> starts;  // fingerprint -> startsAt before the restart
  {
    auto engine = NewEngine();
    engine->EvaluateNow();
    carrier_facts(tel_, 12, clock_.Now() + 3 * 86400 * kSec);
    Run(*engine, 300);
    auto sent = sink_.Take();
    std::set<std::string> names;
    for (const auto& n : sent)
      for (const auto& a : n.firing) names.insert(a.name());
    ASSERT_EQ(names, (std::set<std::string>{"carrier_degradation", "tls_cert_expiry"}));
    for (const Alert& a : engine->ActiveAlerts()) starts[a.fingerprint] = a.fired_at;
    ASSERT_EQ(starts.size(), 2u);
  }
  sink_.states.clear();

  // Restarted: the same health, a fresh telephony state that has the trunk inventory
  // (and the configured target) but neither trunk metrics nor discovered targets yet.
  TelephonyState fresh;
  fresh.ReplaceTrunks({MakeTrunk("t1", true)}, clock_.Now());
  TlsTarget configured;
  configured.host = "sip.example.net";
  configured.source = "config";
  fresh.ReplaceTlsTargets({configured}, /*complete=*/false);
  auto no_resolved_and_same_starts = [&](const std::string& phase) {
    for (const auto& n : sink_.Take()) {
      EXPECT_TRUE(n.resolved.empty()) << phase << ": resolved " << n.resolved[0].name();
      EXPECT_TRUE(n.firing.empty()) << phase << ": re-paged " << n.group_key;
    }
    for (const auto& [states, full] : sink_.states) {
      for (const Alert& a : states) {
        EXPECT_NE(a.status, AlertStatus::kResolved) << phase << ": resolved " << a.name();
        ASSERT_TRUE(starts.count(a.fingerprint)) << phase << ": new alert " << a.name();
        EXPECT_EQ(a.fired_at, starts[a.fingerprint]) << phase << ": new startsAt for " << a.name();
      }
    }
    sink_.states.clear();
  };
  AlertEngine engine(fresh, health_, &sink_, clock_, opt_);
  engine.EvaluateNow();
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(10 * kSec);
    engine.EvaluateNow();
  }
  no_resolved_and_same_starts("facts not loaded");
  ASSERT_EQ(engine.ActiveAlerts().size(), 2u);
  for (const Alert& a : engine.ActiveAlerts()) EXPECT_EQ(a.fired_at, starts[a.fingerprint]) << a.name();

  // The facts arrive and still hold: nothing new is announced.
  carrier_facts(fresh, 12, clock_.Now() + 3 * 86400 * kSec);
  Run(engine, 600);
  no_resolved_and_same_starts("still true");
  ASSERT_EQ(engine.ActiveAlerts().size(), 2u);

  // Now good: each resolves once.
  carrier_facts(fresh, 0, clock_.Now() + 300 * 86400 * kSec);
  Run(engine, 600);
  std::set<std::string> resolved;
  for (const auto& n : sink_.Take()) {
    EXPECT_TRUE(n.firing.empty());
    for (const auto& a : n.resolved) EXPECT_TRUE(resolved.insert(a.name()).second) << a.name();
  }
  EXPECT_EQ(resolved, (std::set<std::string>{"carrier_degradation", "tls_cert_expiry"}));
  EXPECT_TRUE(engine.ActiveAlerts().empty());
}

TEST_F(AlertEngineTest, RepeatsAfterRepeatInterval) {
  auto engine = NewEngine();
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
  Run(*engine, 200);
  ASSERT_EQ(sink_.Take().size(), 1u);
  Run(*engine, 4 * 3600 - 300);
  EXPECT_TRUE(sink_.Take().empty());
  Run(*engine, 600);
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].repeat);
}

TEST_F(AlertEngineTest, WorkerEvaluatesOnStateChange) {
  opt_.alerting.rules["edge_offline"].for_duration = Seconds(0);
  opt_.debounce = std::chrono::milliseconds(1);
  auto engine = NewEngine();
  engine->Start();
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (engine->ActiveAlerts().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(engine->ActiveAlerts().size(), 1u);
  EXPECT_EQ(engine->ActiveAlerts()[0].status, AlertStatus::kFiring);
  engine->Stop();
}

// The heartbeat goes out from the engine's own tick, one per interval, and stays outside the
// alert set: not on the dashboard, not in genesys_alerts_firing, not grouped.
TEST_F(AlertEngineTest, WatchdogHeartbeatEveryIntervalOutsideTheAlertSet) {
  opt_.alerting.watchdog_interval = Seconds(300);
  auto engine = NewEngine();
  engine->EvaluateNow();
  for (int s = 0; s < 1200; s += 10) {
    clock_.Advance(10 * kSec);
    engine->TickNow();
  }
  std::vector<std::pair<AlertMessage, UnixNanos>> beats;
  {
    std::lock_guard l(sink_.mu);
    beats = sink_.heartbeats;
  }
  ASSERT_EQ(beats.size(), 5u);  // at start, then after 5, 10, 15 and 20 minutes
  for (size_t i = 0; i < beats.size(); ++i) {
    EXPECT_EQ(beats[i].first.created_at, kT0 + static_cast<UnixNanos>(i) * 300 * kSec);
    EXPECT_EQ(beats[i].first.repeat, i > 0);
    EXPECT_EQ(beats[i].first.firing.at(0).fingerprint, beats[0].first.firing.at(0).fingerprint);
    EXPECT_EQ(beats[i].second, 1200 * kSec);
  }
  EXPECT_TRUE(engine->ActiveAlerts().empty());
  EXPECT_TRUE(sink_.Take().empty());
  health_.Read([](const HealthData& h) {
    for (const auto& [key, n] : h.alerts_firing) EXPECT_NE(key.first, "watchdog");
  });
}

TEST_F(AlertEngineTest, WatchdogIsOffByDefault) {
  auto engine = NewEngine();
  engine->EvaluateNow();
  Run(*engine, 3600);
  std::lock_guard l(sink_.mu);
  EXPECT_TRUE(sink_.heartbeats.empty());
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// A configuration reload: the new thresholds apply at the next evaluation, alerts already
// firing stay as they are (not announced again), and the heartbeat starts.
TEST_F(AlertEngineTest, ReconfigureAppliesNewThresholdsAndKeepsFiringAlerts) {
  auto engine = NewEngine();
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
  Run(*engine, 600);
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].firing.at(0).name(), "edge_offline");
  const std::string edge_fingerprint = sent[0].firing[0].fingerprint;

  // The certificate expires in 200 days: a warning at 300 days, and a heartbeat every minute.
  AlertingConfig next = opt_.alerting;
  next.tls_warning = Seconds(300 * 86400.0);
  next.watchdog_interval = Seconds(60);
  next.state_file = "/not/used/after/a/reload";
  engine->Reconfigure(next, opt_.eval);
  Run(*engine, 600);
  sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].firing.at(0).name(), "tls_cert_expiry");
  for (const auto& n : sent) {
    for (const auto& a : n.firing) EXPECT_NE(a.fingerprint, edge_fingerprint) << "announced again";
  }
  std::set<std::string> active;
  for (const auto& a : engine->ActiveAlerts()) active.insert(a.name());
  EXPECT_EQ(active, (std::set<std::string>{"edge_offline", "tls_cert_expiry"}));
  EXPECT_GE(sink_.heartbeats.size(), 9u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "alerts.state")) << "the state file stays where it was";
}

}  // namespace
}  // namespace gx
