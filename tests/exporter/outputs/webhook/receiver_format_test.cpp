// Every receiver format through the dispatcher to a local receiver: the bodies that arrive
// are the rendered ones, one request per message or alert, each with its own webhook-id;
// PagerDuty's 429 and Retry-After get the same clamp as every receiver; the routing key
// reaches PagerDuty and nothing else (spool, dead-letter file, logs, health).
#include "exporter/outputs/webhook/receiver_format.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "exporter/outputs/webhook/pagerduty_format.h"
#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "exporter/util/logging.h"
#include "tests/exporter/outputs/webhook/receiver_test_util.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;
constexpr const char* kRoutingKey = "R0UT1NGKEYs3cr3t0000000000000000";

class ReceiverFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Debug too: a secret must not reach even the most verbose log.
    SetupLogging("debug", LogFormat::kLogfmt, [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_ << line << '\n';
    });
  }
  void TearDown() override { SetupLogging("info", LogFormat::kLogfmt); }
  std::string Logged() {
    std::lock_guard lock(log_mu_);
    return log_.str();
  }

  WebhookDispatcherOptions Options(const std::string& format, const std::string& url) {
    WebhookDispatcherOptions o;
    ReceiverConfig r;
    r.name = "ops";
    r.format = format;
    r.urls = {url};
    r.initial_backoff = Seconds(1);
    r.max_backoff = Seconds(60);
    if (format == "pagerduty") r.routing_key = kRoutingKey;
    if (format == "seed") r.send_resolved = false;
    o.receivers = {r};
    o.spool_dir = dir_.string();
    return o;
  }

  // Everything the exporter wrote to disk or logged, and its health.
  std::string Traces() {
    std::string all = Logged();
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_, ec)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      all += ss.str();
    }
    health_.Read([&](const HealthData& h) {
      for (const auto& [name, failure] : h.webhook_failures) all += name + failure.error;
      return 0;
    });
    return all;
  }

  ScratchDir scratch_{"gx-receiver-format", false};
  const std::filesystem::path& dir_ = scratch_.path();
  ManualClock clock_{kT0};
  HealthState health_;
  std::mutex log_mu_;
  std::ostringstream log_;
};

TEST_F(ReceiverFormatTest, EachFormatDeliversItsRenderedRequests) {
  const std::map<std::string, size_t> expected = {
      {"generic", 1}, {"slack", 2}, {"teams", 2}, {"pagerduty", 3}, {"seed", 2}};
  for (const auto& [format, count] : expected) {
    TestReceiver receiver;
    auto o = Options(format, receiver.url("/" + format));
    o.spool_dir = (dir_ / format).string();
    WebhookDispatcher d(o, clock_, &health_);
    const AlertMessage n = SampleMessage();
    d.Enqueue(n);
    while (d.DeliverDue() > 0) {
    }
    RenderOptions render;
    render.send_resolved = o.receivers[0].send_resolved;
    render.ids = o.ids;
    render.max_alerts = o.group_max_ids;
    const auto want = RenderMessage(format, n, render);
    const auto got = receiver.delivered();
    ASSERT_EQ(got.size(), count) << format;
    ASSERT_EQ(want.size(), count) << format;
    std::set<std::string> ids;
    for (size_t i = 0; i < count; ++i) {
      EXPECT_EQ(got[i].id, want[i].id) << format;
      EXPECT_EQ(got[i].body, format == "pagerduty" ? WithRoutingKey(want[i].body, kRoutingKey) : want[i].body)
          << format;
      ParseJson(got[i].body);  // well-formed
      ids.insert(got[i].id);
    }
    EXPECT_EQ(ids.size(), count) << format << ": one id per request";
  }
}

TEST_F(ReceiverFormatTest, PagerDuty429WithRetryAfterIsClampedLikeEveryReceiver) {
  TestReceiver receiver;
  receiver.Answer(429, "99999999999");  // PagerDuty's rate limit, with an absurd wait
  WebhookDispatcher d(Options("pagerduty", receiver.url()), clock_, &health_);  // max_backoff 60 s
  AlertMessage n = SampleMessage();
  n.resolved.clear();
  n.firing.resize(1);
  d.Enqueue(n);
  EXPECT_EQ(d.DeliverDue(), 1);
  receiver.Answer(202);
  clock_.Advance(59 * kSec);
  EXPECT_EQ(d.DeliverDue(), 0) << "retried before the backoff";
  clock_.Advance(kSec);
  EXPECT_EQ(d.DeliverDue(), 1) << "Retry-After is clamped to max_backoff";
  ASSERT_EQ(receiver.delivered().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].id, receiver.requests()[1].id);
  EXPECT_EQ(receiver.requests()[0].body, receiver.requests()[1].body);
  EXPECT_NE(Logged().find("retry_after_use=\"clamped to max_backoff\""), std::string::npos) << Logged();
}

TEST_F(ReceiverFormatTest, RoutingKeyReachesPagerDutyAndNothingElse) {
  TestReceiver pagerduty;
  pagerduty.Answer(503);
  auto o = Options("pagerduty", pagerduty.url());
  WebhookDispatcher d(o, clock_, &health_);
  d.Enqueue(SampleMessage());  // queued on disk while PagerDuty is down
  EXPECT_EQ(d.DeliverDue(), 1);
  EXPECT_EQ(Traces().find(kRoutingKey), std::string::npos) << "in the spool, the log or the health";
  pagerduty.Answer(400);  // then rejected: dead-lettered with its body
  clock_.Advance(3600 * kSec);
  while (d.DeliverDue() > 0) clock_.Advance(3600 * kSec);
  ASSERT_TRUE(std::filesystem::exists(dir_ / "ops.dead-letter.jsonl"));
  const std::string traces = Traces();
  EXPECT_NE(traces.find("\"event_action\":\"trigger\""), std::string::npos) << "the dead letter has the event";
  EXPECT_EQ(traces.find(kRoutingKey), std::string::npos) << traces;
  for (const auto& r : pagerduty.requests()) {
    EXPECT_EQ(ParseJson(r.body)["routing_key"].Scalar(), kRoutingKey);
  }
}

TEST_F(ReceiverFormatTest, HeartbeatGoesToGenericAndAlertmanagerOnly) {
  TestReceiver receiver;
  WebhookDispatcherOptions o;
  for (const char* format : {"generic", "alertmanager", "slack", "teams", "pagerduty", "seed"}) {
    auto one = Options(format, receiver.url(std::string("/") + format));
    one.receivers[0].name = format;
    o.receivers.push_back(one.receivers[0]);
  }
  o.spool_dir = dir_.string();
  WebhookDispatcher d(o, clock_, &health_);
  AlertMessage beat = ManyFiring(1);
  d.EnqueueWatchdog(beat, 60 * kSec);
  while (d.DeliverDue() > 0) {
  }
  std::set<std::string> paths;
  for (const auto& r : receiver.delivered()) paths.insert(r.path);
  EXPECT_EQ(paths, (std::set<std::string>{"/generic", "/alertmanager"}));
}

// A group message re-states every firing alert of the group; PagerDuty and seed receivers
// get an event only for the alerts they have not been sent yet (and again per repeat round).
TEST_F(ReceiverFormatTest, PerAlertFormatsSendEachAlertOncePerRound) {
  for (const char* format : {"pagerduty", "seed"}) {
    TestReceiver receiver;
    auto o = Options(format, receiver.url());
    o.spool_dir = (dir_ / format).string();
    AlertMessage n = ManyFiring(3);
    WebhookDispatcher d(o, clock_, &health_);
    d.Enqueue(n);
    while (d.DeliverDue() > 0) {
    }
    ASSERT_EQ(receiver.delivered().size(), 3u) << format;
    // The next message adds a fourth phone.
    n.firing.push_back(SampleAlert("p20000", "Plant", AlertStatus::kFiring, kT0 + 90 * kSec));
    n.created_at += 120 * kSec;
    d.Enqueue(n);
    d.Enqueue(n);  // the same message again (another flush, another replica's duplicate)
    while (d.DeliverDue() > 0) {
    }
    const auto got = receiver.delivered();
    ASSERT_EQ(got.size(), 4u) << format << ": only the new alert";
    EXPECT_NE(got[3].body.find("p20000"), std::string::npos) << got[3].body;
    // A repeat after repeat_interval is a new round: all four again.
    n.repeat = true;
    n.created_at = kT0 + o.ids.repeat_interval + 60 * kSec;
    d.Enqueue(n);
    while (d.DeliverDue() > 0) {
    }
    EXPECT_EQ(receiver.delivered().size(), 8u) << format;
  }
}

}  // namespace
}  // namespace gx
