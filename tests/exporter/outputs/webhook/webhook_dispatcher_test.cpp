#include "exporter/outputs/webhook/webhook_dispatcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "exporter/outputs/webhook/webhook_signer.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

Notification OneAlert(int i, UnixNanos now) {
  Alert a;
  a.labels = {{"alertname", "edge_offline"}, {"edge_id", "e" + std::to_string(i)}, {"site", "HQ"}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  a.severity = "critical";
  a.summary = "edge e" + std::to_string(i) + " is OFFLINE";
  a.facts.device_id = "e" + std::to_string(i);
  a.fired_at = a.active_since = now;
  Notification n;
  n.group_key = "alertname=\"edge_offline\",site=\"HQ\"";
  n.group_labels = {{"alertname", "edge_offline"}, {"site", "HQ"}};
  n.firing = {a};
  n.created_at = now;
  return n;
}

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gx-webhook-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  WebhookDispatcherOptions Options(const std::string& url) {
    WebhookDispatcherOptions o;
    ReceiverConfig r;
    r.name = "ops";
    r.urls = {url};
    r.timeout = Seconds(5);
    r.initial_backoff = Seconds(1);
    r.max_backoff = Seconds(60);
    r.retry_horizon = Seconds(3600);
    o.receivers = {r};
    o.spool_dir = dir_.string();
    return o;
  }
  WebhookHealth Health() {
    return health_.Read([](const HealthData& h) { return h.webhooks.at("ops"); });
  }

  std::filesystem::path dir_;
  ManualClock clock_{kT0};
  HealthState health_;
};

TEST_F(WebhookDispatcherTest, ReceiverDownTenMinutesThenEverythingDeliveredWithStableIds) {
  TestReceiver receiver;
  receiver.Answer(503);
  WebhookDispatcher d(Options(receiver.url()), clock_, &health_);
  for (int i = 0; i < 5; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
  EXPECT_EQ(Health().queue_length, 5u);
  for (int s = 0; s < 600; ++s) {
    clock_.Advance(kSec);
    d.DeliverDue();
  }
  const auto failed = receiver.requests();
  ASSERT_GE(failed.size(), 8u);  // capped backoff keeps trying: 1, 2, 4, ... 60 s
  EXPECT_LE(failed.size(), 30u);
  receiver.Answer(200);
  for (int s = 0; s < 120 && d.QueueLength() > 0; ++s) {
    clock_.Advance(kSec);
    while (d.DeliverDue() > 0 && d.QueueLength() > 0) {
    }
  }
  EXPECT_EQ(d.QueueLength(), 0u);
  const auto delivered = receiver.delivered();
  ASSERT_EQ(delivered.size(), 5u);
  std::map<std::string, std::set<std::string>> ids_by_body;
  for (const auto& r : receiver.requests()) ids_by_body[r.body].insert(r.id);
  for (const auto& [body, ids] : ids_by_body) EXPECT_EQ(ids.size(), 1u) << "idempotency key changed on retry";
  for (int i = 0; i < 5; ++i) {  // in order
    EXPECT_NE(delivered[i].body.find("\"deviceId\":\"e" + std::to_string(i) + "\""), std::string::npos);
  }
  const auto h = Health();
  EXPECT_EQ(h.delivered, 5u);
  EXPECT_EQ(h.failures, failed.size());
  EXPECT_EQ(h.queue_length, 0u);
}

TEST_F(WebhookDispatcherTest, RejectedWith400GoesToTheDeadLetterFile) {
  TestReceiver receiver;
  receiver.Answer(400);
  WebhookDispatcher d(Options(receiver.url()), clock_, &health_);
  d.Enqueue(OneAlert(7, clock_.Now()));
  EXPECT_EQ(d.DeliverDue(), 1);
  EXPECT_EQ(d.QueueLength(), 0u);
  EXPECT_EQ(receiver.requests().size(), 1u);
  clock_.Advance(3600 * kSec);
  EXPECT_EQ(d.DeliverDue(), 0);  // not retried
  std::ifstream in(dir_ / "ops.dead-letter.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("\"reason\":\"HTTP 400\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"id\":\"" + receiver.requests()[0].id + "\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"deviceId\":\"e7\""), std::string::npos) << line;
  EXPECT_EQ(Health().dead_letters, 1u);
}

TEST_F(WebhookDispatcherTest, RetryAfterOn429IsHonoured) {
  TestReceiver receiver;
  receiver.Answer(429, "120");
  WebhookDispatcher d(Options(receiver.url()), clock_, &health_);
  d.Enqueue(OneAlert(1, clock_.Now()));
  EXPECT_EQ(d.DeliverDue(), 1);
  receiver.Answer(200);
  for (int s = 0; s < 119; ++s) {
    clock_.Advance(kSec);
    ASSERT_EQ(d.DeliverDue(), 0) << "retried " << s + 1 << " s after a Retry-After of 120 s";
  }
  clock_.Advance(kSec);
  EXPECT_EQ(d.DeliverDue(), 1);
  EXPECT_EQ(receiver.delivered().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].id, receiver.requests()[1].id);
}

TEST_F(WebhookDispatcherTest, RetryHorizonDeadLetters) {
  TestReceiver receiver;
  receiver.Answer(500);
  auto o = Options(receiver.url());
  o.receivers[0].retry_horizon = Seconds(300);
  WebhookDispatcher d(o, clock_, &health_);
  d.Enqueue(OneAlert(1, clock_.Now()));
  for (int s = 0; s < 700 && d.QueueLength() > 0; ++s) {
    clock_.Advance(kSec);
    d.DeliverDue();
  }
  EXPECT_EQ(d.QueueLength(), 0u);
  EXPECT_EQ(Health().dead_letters, 1u);
  EXPECT_EQ(Health().delivered, 0u);
}

TEST_F(WebhookDispatcherTest, FullSpoolRefusesAndCounts) {
  auto o = Options("http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook");
  o.spool_max_bytes = 4096;
  WebhookDispatcher d(o, clock_, &health_);
  for (int i = 0; i < 20; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
  EXPECT_LT(d.QueueLength(), 20u);
  EXPECT_GT(d.QueueLength(), 0u);
  EXPECT_EQ(Health().spool_dropped, 20u - d.QueueLength());
}

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST_F(WebhookDispatcherTest, SignaturesVerifyWithOpenssl) {
  TestReceiver receiver;
  auto o = Options(receiver.url());
  // A Standard Webhooks secret (base64 key) and, during rotation, a plain one.
  const std::string key1 = "0123456789abcdef-rotation-one";
  o.receivers[0].hmac_secrets = {"whsec_" + Base64Encode(key1), "second-secret-2"};
  WebhookDispatcher d(o, clock_, &health_);
  d.Enqueue(OneAlert(3, clock_.Now()));
  ASSERT_EQ(d.DeliverDue(), 1);
  ASSERT_EQ(receiver.delivered().size(), 1u);
  const auto r = receiver.delivered()[0];
  EXPECT_EQ(r.timestamp, std::to_string(kT0 / kSec));
  const std::string msg_path = (std::filesystem::temp_directory_path() / ("gx-sig-" + std::to_string(::getpid()))).string();
  {
    std::ofstream f(msg_path, std::ios::binary);
    f << r.id << "." << r.timestamp << "." << r.body;
  }
  std::string hex1;
  for (unsigned char c : key1) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", c);
    hex1 += b;
  }
  const std::string sig1 =
      Shell("openssl dgst -sha256 -mac HMAC -macopt hexkey:" + hex1 + " -binary " + msg_path + " | base64 -w0");
  const std::string sig2 = Shell("openssl dgst -sha256 -hmac second-secret-2 -binary " + msg_path + " | base64 -w0");
  std::remove(msg_path.c_str());
  ASSERT_FALSE(sig1.empty());
  EXPECT_EQ(r.signature, "v1," + sig1 + " v1," + sig2);
}

// kill -9 with 100 notifications queued, then a restart delivers every one.
TEST_F(WebhookDispatcherTest, SurvivesKillNineWithHundredQueued) {
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    HealthState h;
    auto o = Options(dead_url);
    o.receivers[0].initial_backoff = Seconds(0.01);
    WebhookDispatcher d(o, SystemClock::Instance(), &h);
    d.Start();
    for (int i = 0; i < 100; ++i) d.Enqueue(OneAlert(i, SystemClock::Instance().Now()));
    // Die mid-delivery: after the first failed attempts against the dead receiver.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (h.Read([](const HealthData& x) { return x.webhooks.at("ops").failures; }) < 2 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(::getpid(), SIGKILL);
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  TestReceiver receiver;
  auto o = Options(receiver.url());  // the receiver moved: the queue follows it
  o.receivers[0].initial_backoff = Seconds(0.01);
  WebhookDispatcher d(o, SystemClock::Instance(), &health_);
  EXPECT_EQ(d.QueueLength(), 100u);
  d.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (d.QueueLength() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  d.Stop();
  std::set<std::string> devices;
  for (const auto& r : receiver.delivered()) {
    const auto pos = r.body.find("\"deviceId\":\"");
    ASSERT_NE(pos, std::string::npos);
    devices.insert(r.body.substr(pos + 12, r.body.find('"', pos + 12) - pos - 12));
  }
  EXPECT_EQ(devices.size(), 100u);
  EXPECT_EQ(d.QueueLength(), 0u);
}

}  // namespace
}  // namespace gx
