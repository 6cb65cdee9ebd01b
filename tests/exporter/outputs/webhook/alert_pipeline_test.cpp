// The alert engine feeding the webhook dispatcher and a local receiver, on simulated time.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "exporter/outputs/alerts/alert_engine.h"
#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/util/iso_time.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

using namespace gx::testing;

class AlertPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gx-pipeline-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    alerting_.group_wait = Seconds(30);
    alerting_.group_interval = Seconds(60);
    alerting_.spool_dir = dir_.string();
    alerting_.state_file = (dir_ / "alerts.state").string();
    alerting_.per_phone = true;
    ReceiverConfig r;
    r.name = "ops";
    r.urls = {receiver_.url()};
    alerting_.receivers = {r};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Step(AlertEngine& engine, WebhookDispatcher& d, int seconds) {
    for (int s = 0; s < seconds; s += 10) {
      clock_.Advance(10 * kNanosPerSecond);
      engine.EvaluateNow();
      while (d.DeliverDue() > 0) {
      }
    }
  }

  std::filesystem::path dir_;
  TestReceiver receiver_;
  ManualClock clock_{kT0};
  TelephonyState tel_;
  HealthState health_;
  AlertingConfig alerting_;
};

TEST_F(AlertPipelineTest, EdgeOfflineFiresOnceAndResolvesOnceOverHttp) {
  WebhookDispatcher d(WebhookOptionsFrom(alerting_), clock_, &health_);
  AlertEngine engine(tel_, health_, &d, clock_, {alerting_, {}});
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", false)}, clock_.Now());
  Step(engine, d, 600);
  tel_.ReplaceEdges({MakeEdge("e1", "HQ", true)}, clock_.Now());
  Step(engine, d, 600);
  const auto got = receiver_.delivered();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].body.find("\"status\":\"firing\""), std::string::npos) << got[0].body;
  EXPECT_NE(got[0].body.find("\"alertType\":\"edge_offline\""), std::string::npos);
  EXPECT_NE(got[0].body.find("\"deviceId\":\"e1\""), std::string::npos);
  EXPECT_NE(got[1].body.find("\"status\":\"resolved\""), std::string::npos) << got[1].body;
  EXPECT_NE(got[0].id, got[1].id);
}

TEST_F(AlertPipelineTest, FiveThousandPhoneOutageIsOneRequest) {
  WebhookDispatcher d(WebhookOptionsFrom(alerting_), clock_, &health_);
  AlertEngine engine(tel_, health_, &d, clock_, {alerting_, {}});
  std::vector<Phone> phones;
  for (int i = 0; i < 5000; ++i) phones.push_back(MakePhone(std::string("p").append(std::to_string(10000 + i)), "Plant", true));
  tel_.ReplacePhones(phones, clock_.Now());
  engine.EvaluateNow();
  for (auto& p : phones) p = MakePhone(p.id, "Plant", false);
  tel_.ReplacePhones(phones, clock_.Now());
  Step(engine, d, 120);
  const auto got = receiver_.delivered();
  ASSERT_EQ(got.size(), 1u);
  const std::string& b = got[0].body;
  EXPECT_NE(b.find("\"count\":5001"), std::string::npos);
  EXPECT_NE(b.find("\"truncated\":true"), std::string::npos);
  EXPECT_NE(b.find("\"groupLabels\":{\"alertname\":\"registration_failure\",\"site\":\"Plant\"}"), std::string::npos);
  EXPECT_NE(b.find("\"deviceId\":\"p10000\""), std::string::npos);  // the first ids are listed
  EXPECT_EQ(b.find("\"deviceId\":\"p14999\""), std::string::npos);  // not all 5,000
  EXPECT_LT(b.size(), 64u * 1024);
}


// Every alert type over HTTP: exactly one firing and one resolved message each.
TEST_F(AlertPipelineTest, EachAlertTypeFiresOnceAndResolvesOnceOverHttp) {
  alerting_.per_phone = false;
  alerting_.group_by = {"alertname"};
  alerting_.rules["monitoring_blind"].for_duration = Seconds(60);
  WebhookDispatcher d(WebhookOptionsFrom(alerting_), clock_, &health_);
  AlertEngine engine(tel_, health_, &d, clock_, {alerting_, {}});
  TlsTarget target;
  target.host = "sip.example.net";
  tel_.ReplaceTlsTargets({target}, /*complete=*/true);
  FollowUserOnPhone(tel_, "u1", "p-user", clock_.Now());
  auto set = [&](bool ok) {
    const UnixNanos now = clock_.Now();
    tel_.ReplacePhones({MakePhone("p-user", "HQ", ok)}, now);
    tel_.ReplaceTrunks({MakeTrunk("t1", ok)}, now);
    tel_.MarkTrunkMetricsLoaded();
    tel_.ReplaceEdges({MakeEdge("e1", "HQ", ok)}, now);
    tel_.ApplyTlsResult(MakeTlsResult("sip.example.net:5061", now + (ok ? 300 : 3) * 86400 * kNanosPerSecond));
    health_.Update([&](HealthData& h) { h.genesys_up = ok; });
  };
  set(true);
  Step(engine, d, 600);
  ASSERT_TRUE(receiver_.delivered().empty());
  set(false);
  Step(engine, d, 1800);
  set(true);
  Step(engine, d, 1800);
  std::map<std::string, int> firing, resolved;
  for (const auto& r : receiver_.delivered()) {
    const auto pos = r.body.find("\"alertType\":\"");
    ASSERT_NE(pos, std::string::npos);
    const std::string type = r.body.substr(pos + 13, r.body.find('"', pos + 13) - pos - 13);
    (r.body.find("\"status\":\"firing\"") != std::string::npos ? firing : resolved)[type]++;
  }
  const std::map<std::string, int> once = {{"carrier_degradation", 1}, {"edge_offline", 1}, {"monitoring_blind", 1},
                                           {"registration_failure", 1}, {"tls_cert_expiry", 1}};
  EXPECT_EQ(firing, once);
  EXPECT_EQ(resolved, once);
}

// The heartbeat over HTTP, on simulated time: every 5 minutes to the dead-man receiver (generic)
// and to Alertmanager, never to a receiver that opted out; one identity, a new webhook-id each.
TEST_F(AlertPipelineTest, WatchdogHeartbeatReachesTheReceiversThatTakeIt) {
  TestReceiver deadman, am;
  alerting_.watchdog_interval = Seconds(300);
  alerting_.receivers[0].watchdog = false;  // "ops", a chat channel: no heartbeats
  ReceiverConfig d_cfg;
  d_cfg.name = "deadman";
  d_cfg.urls = {deadman.url()};
  ReceiverConfig am_cfg;
  am_cfg.name = "am";
  am_cfg.format = "alertmanager";
  am_cfg.urls = {am.url("/api/v2/alerts")};
  alerting_.receivers.push_back(d_cfg);
  alerting_.receivers.push_back(am_cfg);
  WebhookDispatcher d(WebhookOptionsFrom(alerting_), clock_, &health_);
  AlertEngine engine(tel_, health_, &d, clock_, {alerting_, {}});
  Step(engine, d, 1210);  // evaluations at 10 s ... 1210 s: heartbeats at 10, 310, 610, 910, 1210

  EXPECT_TRUE(receiver_.requests().empty());
  const auto beats = deadman.delivered();
  ASSERT_EQ(beats.size(), 5u);
  const std::string fingerprint = AlertFingerprint({{"alertname", "watchdog"}});
  std::set<std::string> ids;
  for (size_t i = 0; i < beats.size(); ++i) {
    const std::string& b = beats[i].body;
    for (const char* field : {"\"timestamp\":", "\"userId\":", "\"deviceId\":", "\"registered\":", "\"codec\":",
                              "\"carrierHealth\":", "\"tlsValid\":"}) {
      EXPECT_NE(b.find(field), std::string::npos) << field << " in " << b;
    }
    EXPECT_NE(b.find("\"alertType\":\"watchdog\""), std::string::npos) << b;
    EXPECT_NE(b.find("\"status\":\"firing\""), std::string::npos) << b;
    EXPECT_NE(b.find("\"severity\":\"info\""), std::string::npos) << b;
    EXPECT_NE(b.find("\"fingerprint\":\"" + fingerprint + "\""), std::string::npos) << b;
    EXPECT_NE(b.find("\"groupKey\":\"alertname=\\\"watchdog\\\"\""), std::string::npos) << b;
    EXPECT_NE(b.find("\"timestamp\":\"" + FormatIsoTime(kT0 + (10 + 300 * static_cast<UnixNanos>(i)) * kNanosPerSecond)),
              std::string::npos)
        << b;
    EXPECT_NE(b.find(std::string("\"repeat\":") + (i == 0 ? "false" : "true")), std::string::npos) << b;
    ids.insert(beats[i].id);
  }
  EXPECT_EQ(ids.size(), beats.size()) << "each heartbeat is its own message: receivers deduplicate on webhook-id";

  const auto am_beats = am.delivered();
  ASSERT_EQ(am_beats.size(), 5u);
  const std::string& first = am_beats[0].body;
  EXPECT_NE(first.find("\"alertname\":\"watchdog\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"severity\":\"info\""), std::string::npos) << first;
  // Alertmanager lets it lapse four intervals after the last heartbeat.
  EXPECT_NE(first.find("\"endsAt\":\"" + FormatIsoTime(kT0 + (10 + 1200) * kNanosPerSecond) + "\""), std::string::npos)
      << first;
  EXPECT_TRUE(engine.ActiveAlerts().empty());
}

// While the receiver is down, a newer heartbeat replaces the queued one: no pile of stale
// heartbeats, and no burst of them when it comes back.
TEST_F(AlertPipelineTest, WatchdogHeartbeatsDoNotPileUpWhileTheReceiverIsDown) {
  alerting_.watchdog_interval = Seconds(60);
  alerting_.receivers[0].max_backoff = Seconds(30);
  receiver_.Answer(503);
  WebhookDispatcher d(WebhookOptionsFrom(alerting_), clock_, &health_);
  AlertEngine engine(tel_, health_, &d, clock_, {alerting_, {}});
  std::uint64_t most_queued = 0;
  for (int s = 0; s < 3600; s += 60) {
    Step(engine, d, 60);
    most_queued = std::max(most_queued, d.QueueLength());
  }
  EXPECT_LE(most_queued, 2u) << "the one in flight and the newest";
  receiver_.Answer(200);
  Step(engine, d, 90);  // past max_backoff: the retried head, then the newest
  EXPECT_EQ(d.QueueLength(), 0u);
  const auto got = receiver_.delivered();
  EXPECT_GE(got.size(), 2u);
  EXPECT_LE(got.size(), 4u) << "60 heartbeats were due during the outage; only the latest ones are sent";
}

}  // namespace
}  // namespace gx
