#include "exporter/outputs/webhook/webhook_dispatcher.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "exporter/outputs/webhook/spool_layout.h"
#include "exporter/outputs/webhook/webhook_signer.h"
#include "exporter/state/self_metrics.h"
#include "exporter/util/base64.h"
#include "exporter/util/iso_time.h"
#include "tests/exporter/outputs/alerts/alert_test_util.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

AlertMessage OneAlert(int i, UnixNanos now) {
  Alert a;
  a.labels = {{"alertname", "edge_offline"}, {"edge_id", "e" + std::to_string(i)}, {"site", "HQ"}};
  a.fingerprint = AlertFingerprint(a.labels);
  a.status = AlertStatus::kFiring;
  a.severity = "critical";
  a.summary = "edge e" + std::to_string(i) + " is OFFLINE";
  a.facts.device_id = "e" + std::to_string(i);
  a.fired_at = a.active_since = now;
  AlertMessage n;
  n.group_key = "alertname=\"edge_offline\",site=\"HQ\"";
  n.group_labels = {{"alertname", "edge_offline"}, {"site", "HQ"}};
  n.firing = {a};
  n.created_at = now;
  return n;
}

class WebhookDispatcherTest : public ::testing::Test {
 protected:

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
  WebhookDispatcherOptions AlertmanagerOptions(const std::string& url) {
    auto o = Options(url);
    o.receivers[0].format = "alertmanager";
    o.resend_interval = Seconds(60);  // firing alerts carry endsAt = now + 240 s
    return o;
  }
  // Steps the clock a second at a time, attempting what is due, for `seconds` at most; with
  // `until_empty`, stops once the queue is empty. `each(s)` runs after step s.
  void Step(WebhookDispatcher& d, int seconds, bool until_empty, const std::function<void(int)>& each = {}) {
    for (int s = 1; s <= seconds && !(until_empty && d.QueueLength() == 0); ++s) {
      clock_.Advance(kSec);
      if (each) each(s);
      d.DeliverDue();
    }
  }
  WebhookCounts Health() { return health_.self_metrics().WebhookReceivers().at("ops"); }

  ScratchDir scratch_{"gx-webhook", false};
  const std::filesystem::path& dir_ = scratch_.path();
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

// The backoff's randomness comes through the options (util/backoff's UnitRandom), so the
// wait is known: with jitter 0 the first retry comes at half of initial_backoff, with
// jitter 1 at all of it (equal jitter).
TEST_F(WebhookDispatcherTest, InjectedJitterSetsTheRetryWait) {
  for (const double jitter : {0.0, 1.0}) {
    TestReceiver receiver;
    receiver.Answer(503);
    auto o = Options(receiver.url());
    o.receivers[0].initial_backoff = Seconds(8);
    o.receivers[0].max_backoff = Seconds(60);
    o.jitter = [jitter] { return jitter; };
    WebhookDispatcher d(o, clock_, &health_);
    d.Enqueue(OneAlert(1, clock_.Now()));
    ASSERT_EQ(d.DeliverDue(), 1);
    receiver.Answer(200);
    const int wait_s = jitter == 0.0 ? 4 : 8;
    for (int s = 1; s < wait_s; ++s) {
      clock_.Advance(kSec);
      ASSERT_EQ(d.DeliverDue(), 0) << "jitter " << jitter << ": retried after " << s << " s";
    }
    clock_.Advance(kSec);
    EXPECT_EQ(d.DeliverDue(), 1) << "jitter " << jitter << ": not retried after " << wait_s << " s";
  }
}

TEST_F(WebhookDispatcherTest, RetryAfterOn429IsHonoured) {
  TestReceiver receiver;
  receiver.Answer(429, "120");
  auto o = Options(receiver.url());
  o.receivers[0].max_backoff = Seconds(300);
  WebhookDispatcher d(o, clock_, &health_);
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
  EXPECT_EQ(Health().dropped[kDropSpoolFull], 20u - d.QueueLength());
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

// kill -9 with 100 messages queued, then a restart delivers every one.
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
    while (h.self_metrics().WebhookReceivers().at("ops").failures < 2 &&
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

// A 503 whose Retry-After is zero, overflows the nanosecond range, or names the year
// 9999 once made the dispatcher retry at once, in a hot loop (10,700 POSTs in 15 s).
// Retry-After may only lengthen the backoff, and never beyond max_backoff.
class RetryAfterTest : public WebhookDispatcherTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(RetryAfterTest, NeverShortensTheBackoffAndIsCappedAtMaxBackoff) {
  TestReceiver receiver;
  receiver.Answer(503, GetParam());
  auto o = Options(receiver.url());
  o.receivers[0].initial_backoff = Seconds(1);
  o.receivers[0].max_backoff = Seconds(60);
  WebhookDispatcher d(o, clock_, &health_);
  d.Enqueue(OneAlert(1, clock_.Now()));
  // The clock stands still: whatever the answer, one attempt and no more.
  for (int i = 0; i < 1000; ++i) d.DeliverDue();
  ASSERT_EQ(receiver.requests().size(), 1u) << "hot loop on Retry-After: " << GetParam();
  // Never silenced beyond max_backoff either.
  clock_.Advance(60 * kSec);
  EXPECT_EQ(d.DeliverDue(), 1) << "Retry-After " << GetParam() << " was not capped at max_backoff";
  // Ten simulated minutes, polled every second: at most one attempt per backoff step.
  for (int s = 0; s < 600; ++s) {
    clock_.Advance(kSec);
    for (int i = 0; i < 10; ++i) d.DeliverDue();
  }
  const size_t attempts = receiver.requests().size();
  EXPECT_GE(attempts, 10u);  // every 60 s at least
  EXPECT_LE(attempts, 30u);  // 1, 2, 4 ... 60 s, never faster
  EXPECT_EQ(d.QueueLength(), 1u);
}

INSTANTIATE_TEST_SUITE_P(HostileValues, RetryAfterTest,
                         ::testing::Values("0", "99999999999", "Fri, 31 Dec 9999 23:59:59 GMT",
                                           "999999999999999999999999999999"));

TEST_F(WebhookDispatcherTest, RetryAfterBeyondMaxBackoffIsCapped) {
  TestReceiver receiver;
  receiver.Answer(429, "120");
  WebhookDispatcher d(Options(receiver.url()), clock_, &health_);  // max_backoff 60 s
  d.Enqueue(OneAlert(1, clock_.Now()));
  EXPECT_EQ(d.DeliverDue(), 1);
  receiver.Answer(200);
  clock_.Advance(59 * kSec);
  EXPECT_EQ(d.DeliverDue(), 0);
  clock_.Advance(kSec);
  EXPECT_EQ(d.DeliverDue(), 1);
  EXPECT_EQ(receiver.delivered().size(), 1u);
}

std::vector<std::string> MsgFiles(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".msg") || name.ends_with(".tmp")) out.push_back(e.path().string());
  }
  return out;
}

// `ops.x` and `ops_x` once shared one folder: after a restart half the queue was lost
// and the other half went to both receivers.
TEST_F(WebhookDispatcherTest, ReceiversWhoseNamesOnceCollidedKeepTheirOwnQueues) {
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook";
  auto o = Options(dead_url);
  o.receivers.push_back(o.receivers[0]);
  o.receivers[0].name = "ops.x";
  o.receivers[1].name = "ops_x";
  o.receivers[1].send_resolved = false;
  {
    WebhookDispatcher d(o, clock_, &health_);
    for (int i = 0; i < 3; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
    AlertMessage resolved = OneAlert(9, clock_.Now());
    resolved.resolved = resolved.firing;
    resolved.resolved[0].status = AlertStatus::kResolved;
    resolved.firing.clear();
    d.Enqueue(resolved);  // ops.x only
    EXPECT_EQ(d.QueueLength(), 7u);
  }
  EXPECT_EQ(MsgFiles(dir_).size(), 7u) << "two receivers wrote into one folder";
  TestReceiver dotted, underscored;
  o.receivers[0].urls = {dotted.url()};
  o.receivers[1].urls = {underscored.url()};
  WebhookDispatcher d(o, clock_, &health_);
  EXPECT_EQ(d.QueueLength(), 7u);
  for (int i = 0; i < 20 && d.QueueLength() > 0; ++i) d.DeliverDue();
  EXPECT_EQ(d.QueueLength(), 0u);
  ASSERT_EQ(dotted.delivered().size(), 4u);
  ASSERT_EQ(underscored.delivered().size(), 3u);
  // A message has one id for every receiver (message_id.h): a receiver that got
  // the other's queue too would see an id twice.
  for (auto* r : {&dotted, &underscored}) {
    std::set<std::string> ids;
    for (const auto& req : r->delivered()) ids.insert(req.id);
    EXPECT_EQ(ids.size(), r->delivered().size()) << "a message was delivered twice to one receiver";
  }
  for (const auto& req : underscored.delivered()) {
    EXPECT_EQ(req.body.find("\"status\":\"resolved\""), std::string::npos) << "ops_x has send_resolved off";
  }
  EXPECT_TRUE(MsgFiles(dir_).empty());
}

// The spool folder cannot be created (a file is in the way; chmod would not stop root):
// every message is still delivered, from memory, and the failure is counted.
TEST_F(WebhookDispatcherTest, UnwritableSpoolStillDeliversEveryMessage) {
  for (const std::string spool : {"/dev/null/spool", "file-in-the-way"}) {
    std::filesystem::create_directories(dir_);
    const std::string in_the_way = (dir_ / "file").string();
    std::ofstream(in_the_way) << "x";
    TestReceiver receiver;
    auto o = Options(receiver.url());
    o.spool_dir = spool == "file-in-the-way" ? in_the_way + "/spool" : spool;
    HealthState health;
    WebhookDispatcher d(o, clock_, &health);
    for (int i = 0; i < 9; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
    EXPECT_EQ(d.QueueLength(), 9u) << spool;
    EXPECT_FALSE(d.SpoolErrors().empty());
    for (int s = 0; s < 10 && d.QueueLength() > 0; ++s) {
      clock_.Advance(kSec);
      while (d.DeliverDue() > 0 && d.QueueLength() > 0) {
      }
    }
    EXPECT_EQ(d.QueueLength(), 0u) << spool;
    EXPECT_EQ(receiver.delivered().size(), 9u) << spool;
    const auto h = health.Read([](const HealthData& x) { return x; });
    const WebhookCounts w = health.self_metrics().WebhookReceivers().at("ops");
    EXPECT_EQ(w.delivered, 9u);
    for (const char* reason : kWebhookDropReasons) EXPECT_EQ(w.dropped.at(reason), 0u) << reason;
    EXPECT_FALSE(h.spool.writable()) << spool;
    ASSERT_EQ(h.spool.errors.count("receiver ops #0"), 1u);
    EXPECT_NE(h.spool.errors.at("receiver ops #0").find("not a directory"), std::string::npos)
        << h.spool.errors.at("receiver ops #0");
    std::filesystem::remove_all(dir_);
  }
}

TEST_F(WebhookDispatcherTest, MemoryOnlyMessagesAreShownUntilDelivered) {
  TestReceiver receiver;
  receiver.Answer(503);
  auto o = Options(receiver.url());
  o.spool_dir = "/dev/null/spool";
  WebhookDispatcher d(o, clock_, &health_);
  for (int i = 0; i < 3; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
  EXPECT_EQ(Health().queue_length, 3u);
  EXPECT_EQ(Health().queue_memory_only, 3u);
  receiver.Answer(200);
  for (int s = 0; s < 10 && d.QueueLength() > 0; ++s) {
    clock_.Advance(kSec);
    while (d.DeliverDue() > 0 && d.QueueLength() > 0) {
    }
  }
  EXPECT_EQ(Health().queue_memory_only, 0u);
}

TEST_F(WebhookDispatcherTest, SpoolThatBecomesWritableIsUsedAgain) {
  std::filesystem::create_directories(dir_);
  const auto blocker = dir_ / "spool";
  std::ofstream(blocker) << "x";
  auto o = Options("http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook");
  o.spool_dir = blocker.string();
  WebhookDispatcher d(o, clock_, &health_);
  d.Enqueue(OneAlert(1, clock_.Now()));
  EXPECT_FALSE(health_.Read([](const HealthData& h) { return h.spool.writable(); }));
  std::filesystem::remove(blocker);
  d.Enqueue(OneAlert(2, clock_.Now()));
  EXPECT_TRUE(health_.Read([](const HealthData& h) { return h.spool.writable(); }));
  EXPECT_EQ(MsgFiles(blocker).size(), 1u);  // the second one; the first stays in memory
  EXPECT_EQ(Health().queue_memory_only, 1u);
}

TEST_F(WebhookDispatcherTest, ReceiverFoldersAreCreatedPrivate) {
  auto o = Options("http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook");
  o.spool_dir = (dir_ / "a" / "b").string();
  WebhookDispatcher d(o, clock_, &health_);
  for (const auto& p : {dir_, dir_ / "a", dir_ / "a" / "b", dir_ / "a" / "b" / "ops-0"}) {
    ASSERT_TRUE(std::filesystem::is_directory(p)) << p;
    const auto perms = std::filesystem::status(p).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all) << p;
  }
}

// A spool file named `5.msg` was loaded, delivered, then Remove deleted
// `00000000000000000005.msg` instead: it came back on every restart.
TEST_F(WebhookDispatcherTest, NonCanonicalSpoolFileIsDeliveredOnceAndThenGone) {
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(DeadPort()) + "/hook";
  {
    WebhookDispatcher d(Options(dead_url), clock_, &health_);
    d.Enqueue(OneAlert(1, clock_.Now()));
  }
  const auto folder = dir_ / "ops-0";
  std::filesystem::rename(folder / "00000000000000000001.msg", folder / "5.msg");
  TestReceiver receiver;
  for (int run = 0; run < 3; ++run) {
    WebhookDispatcher d(Options(receiver.url()), clock_, &health_);
    while (d.DeliverDue() > 0) {
    }
    EXPECT_EQ(d.QueueLength(), 0u);
  }
  EXPECT_EQ(receiver.delivered().size(), 1u) << "re-delivered on a restart";
  EXPECT_TRUE(MsgFiles(dir_).empty());
}

TEST_F(WebhookDispatcherTest, EveryDeliveredFileDisappears) {
  TestReceiver receiver;
  WebhookDispatcher d(Options(receiver.url()), clock_, &health_);
  for (int i = 0; i < 5; ++i) d.Enqueue(OneAlert(i, clock_.Now()));
  EXPECT_EQ(MsgFiles(dir_).size(), 5u);
  while (d.DeliverDue() > 0) {
  }
  EXPECT_EQ(receiver.delivered().size(), 5u);
  EXPECT_TRUE(MsgFiles(dir_).empty());
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// A reload: the queue of a receiver that stays is kept (in memory too), and goes to its new
// URL; a new receiver gets what comes next; a removed one stops, its queue left on disk.
TEST_F(WebhookDispatcherTest, ReconfigureKeepsTheQueuesOfReceiversThatStay) {
  TestReceiver old_url, new_url, added;
  old_url.Answer(503);
  WebhookDispatcherOptions first = Options(old_url.url("/ops"));
  ReceiverConfig gone;
  gone.name = "gone";
  gone.urls = {old_url.url("/gone")};
  first.receivers.push_back(gone);
  old_url.Answer(503);
  WebhookDispatcher d(first, clock_, &health_);
  d.Enqueue(OneAlert(1, clock_.Now()));
  d.Enqueue(OneAlert(2, clock_.Now()));
  EXPECT_EQ(d.DeliverDue(), 2);  // the head of each receiver's queue, refused: retried later
  ASSERT_EQ(Health().queue_length, 2u);

  WebhookDispatcherOptions next = Options(new_url.url("/ops"));
  ReceiverConfig extra;
  extra.name = "added";
  extra.urls = {added.url("/added")};
  next.receivers.push_back(extra);
  next.spool_dir = "/ignored/at/a/reload";
  d.Reconfigure(next);
  EXPECT_EQ(Health().queue_length, 2u);
  EXPECT_EQ(d.QueueLength(), 2u);  // ops's 2; gone's are no longer the dispatcher's; added has none
  const auto receivers = health_.self_metrics().WebhookReceivers();
  EXPECT_EQ(receivers.count("gone"), 0u);
  EXPECT_EQ(receivers.count("added"), 1u);
  EXPECT_EQ(health_.Read([](const HealthData& h) { return h.webhook_failures.count("gone"); }), 0u)
      << "its last failure went with it";
  EXPECT_TRUE(std::filesystem::exists(dir_ / "gone-0")) << "the removed receiver's queue stays on disk";
  EXPECT_FALSE(std::filesystem::exists("/ignored/at/a/reload"));

  // The kept queue goes to the new URL at once (the old URL's backoff does not apply to it).
  d.DeliverDue();
  d.DeliverDue();
  EXPECT_EQ(new_url.delivered().size(), 2u);
  EXPECT_EQ(Health().queue_length, 0u);
  // What comes next reaches both receivers.
  d.Enqueue(OneAlert(3, clock_.Now()));
  d.DeliverDue();
  EXPECT_EQ(new_url.delivered().size(), 3u);
  EXPECT_EQ(added.delivered().size(), 1u);
  EXPECT_EQ(old_url.requests().size(), 2u);  // before the reload, to /ops and /gone; none after
}

TEST_F(WebhookDispatcherTest, ReconfigureWhileRunningStartsAndStopsWorkers) {
  TestReceiver receiver;
  WebhookDispatcher d(Options(receiver.url("/ops")), clock_, &health_);
  d.Start();
  WebhookDispatcherOptions next = Options(receiver.url("/ops"));
  ReceiverConfig extra;
  extra.name = "added";
  extra.urls = {receiver.url("/added")};
  next.receivers.push_back(extra);
  d.Reconfigure(next);
  d.Enqueue(OneAlert(1, clock_.Now()));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (receiver.delivered().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(receiver.delivered().size(), 2u);
  d.Reconfigure(Options(receiver.url("/ops")));  // "added" goes: its worker ends
  d.Stop();
}

// Alertmanager takes a firing alert whose endsAt has passed for a resolved one. A push that
// waited in the queue longer than its endsAt (an Alertmanager down for a while, or a replica
// restarted after a long death with its spool) would resolve, in that Alertmanager, an alert
// that is still firing (and that the other replica keeps firing), until the next resend.
TEST_F(WebhookDispatcherTest, AlertmanagerNeverGetsAFiringAlertWhoseEndsAtHasPassed) {
  TestReceiver receiver;
  receiver.Answer(503);
  auto o = AlertmanagerOptions(receiver.url("/"));
  o.receivers[0].max_backoff = Seconds(30);
  WebhookDispatcher d(o, clock_, &health_);
  Alert a = OneAlert(1, clock_.Now()).firing.front();
  d.EnqueueAlertStates({a}, false, clock_.Now());  // the alert fired
  // Ten minutes of outage; the engine re-sends everything firing every resend_interval.
  Step(d, 600, false, [&](int s) {
    if (s % 60 == 0) d.EnqueueAlertStates({a}, true, clock_.Now());
  });
  receiver.Answer(200);
  Step(d, 120, true);
  ASSERT_EQ(d.QueueLength(), 0u);
  const auto delivered = receiver.delivered();
  ASSERT_FALSE(delivered.empty());  // the newest full set, at least
  const std::regex ends_at(R"re("endsAt":"([^"]+)")re");
  for (const auto& r : delivered) {
    const UnixNanos sent_at = std::stoll(r.timestamp) * kSec;
    for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), ends_at); it != std::sregex_iterator(); ++it) {
      const auto ends = ParseIsoTime((*it)[1].str());
      ASSERT_TRUE(ends) << r.body;
      EXPECT_GT(*ends, sent_at) << "a firing alert delivered after its endsAt (Alertmanager resolves it): " << r.body;
    }
  }
  // Expired pushes with a newer full set queued behind them are superseded (as Add() drops
  // older full sets); nothing else was queued, so nothing was dead-lettered.
  EXPECT_EQ(Health().dead_letters, 0u);
}

// A replica restarted long after its death finds a push in its spool that expired meanwhile:
// it is not delivered (it would resolve the alert that the other replica keeps firing), and
// not dropped silently either: it is dead-lettered, and says why.
TEST_F(WebhookDispatcherTest, ExpiredAlertmanagerPushLeftInTheSpoolIsDeadLettered) {
  TestReceiver receiver;
  auto o = AlertmanagerOptions(receiver.url("/"));
  Alert a = OneAlert(1, clock_.Now()).firing.front();
  {
    WebhookDispatcher before(o, clock_, &health_);
    before.EnqueueAlertStates({a}, true, clock_.Now());
  }  // the replica dies before delivering it
  clock_.Advance(600 * kSec);
  WebhookDispatcher after(o, clock_, &health_);
  ASSERT_EQ(after.QueueLength(), 1u);
  after.DeliverDue();
  EXPECT_EQ(after.QueueLength(), 0u);
  EXPECT_TRUE(receiver.requests().empty()) << receiver.requests().front().body;
  EXPECT_EQ(Health().dead_letters, 1u);
  std::ifstream dead(dir_ / DeadLetterFileName("ops"));
  std::string line;
  ASSERT_TRUE(std::getline(dead, line));
  EXPECT_NE(line.find("endsAt passed"), std::string::npos) << line;
}

// A push still within its endsAt is delivered however long it waited.
TEST_F(WebhookDispatcherTest, AlertmanagerPushWithinItsEndsAtIsDelivered) {
  TestReceiver receiver;
  receiver.Answer(503);
  auto o = AlertmanagerOptions(receiver.url("/"));
  o.receivers[0].max_backoff = Seconds(5);
  WebhookDispatcher d(o, clock_, &health_);
  d.EnqueueAlertStates({OneAlert(1, clock_.Now()).firing.front()}, false, clock_.Now());
  Step(d, 200, false);  // within the 240 s of its endsAt
  receiver.Answer(200);
  Step(d, 30, true);
  EXPECT_EQ(d.QueueLength(), 0u);
  EXPECT_EQ(receiver.delivered().size(), 1u);
  EXPECT_EQ(Health().dead_letters, 0u);
}

}  // namespace
}  // namespace gx
