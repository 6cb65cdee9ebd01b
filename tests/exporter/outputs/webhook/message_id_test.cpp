// Deterministic message ids: the same message gets the same webhook-id and
// PagerDuty dedup_key from two replicas whose clocks and evaluation ticks differ, and from
// one replica after a restart; a different transition, part, repeat round or episode gets a
// different one.
#include "exporter/outputs/webhook/message_id.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "exporter/outputs/alerts/alert_engine.h"
#include "exporter/outputs/webhook/webhook_dispatcher.h"
#include "tests/exporter/outputs/webhook/receiver_test_util.h"
#include "tests/exporter/outputs/webhook/webhook_test_server.h"
#include "tests/exporter/util/scratch_dir.h"

namespace gx {
namespace {

using namespace gx::testing;
constexpr UnixNanos kSec = kNanosPerSecond;

MessageIdPolicy Policy(UnixNanos resolution = 60 * kSec, UnixNanos hold = 60 * kSec) {
  MessageIdPolicy p;
  p.resolution = resolution;
  p.hold["registration_failure"] = hold;
  p.repeat_interval = 3600 * kSec;
  return p;
}

TEST(MessageIdTest, EpisodeStartIsStartsAtOnTheGridNeverCoarserThanFor) {
  Alert a = SampleAlert("p1", "HQ", AlertStatus::kFiring, kT0 + 59 * kSec);  // kT0 is 14:13:20
  EXPECT_EQ(Policy().EpisodeStart(a), kT0 + 40 * kSec);                      // 14:14:00
  EXPECT_EQ(Policy(60 * kSec, 10 * kSec).EpisodeStart(a), kT0 + 50 * kSec);  // `for` 10 s: 10 s grid
  EXPECT_EQ(Policy(0).EpisodeStart(a), kT0 + 59 * kSec);                     // resolution 0: exact
  EXPECT_EQ(Policy(60 * kSec, 0).EpisodeStart(a), kT0 + 59 * kSec);          // `for` 0: exact
  a.labels["alertname"] = "not_a_rule";
  EXPECT_EQ(Policy().EpisodeStart(a), kT0 + 59 * kSec);  // unknown rule: exact
  a = SampleAlert("p1", "HQ", AlertStatus::kFiring, -90 * kSec);
  EXPECT_EQ(Policy().EpisodeStart(a), -120 * kSec);  // floors before 1970 too
}

TEST(MessageIdTest, AnAlertThatFiresAgainAfterForGetsANewEpisode) {
  // A new episode fires `for` after the old one resolved at the earliest, so it never
  // shares a grid cell with the old one, whatever the phase.
  for (UnixNanos hold : {5 * kSec, 60 * kSec, 600 * kSec}) {
    const MessageIdPolicy p = Policy(60 * kSec, hold);
    for (UnixNanos first = kT0; first < kT0 + 120 * kSec; first += 7 * kSec) {
      const Alert a = SampleAlert("p1", "HQ", AlertStatus::kFiring, first);
      const Alert again = SampleAlert("p1", "HQ", AlertStatus::kFiring, first + hold);
      EXPECT_NE(p.EpisodeStart(a), p.EpisodeStart(again)) << hold << " " << first;
      EXPECT_NE(PagerDutyDedupKey(a, p), PagerDutyDedupKey(again, p));
    }
  }
}

TEST(MessageIdTest, SameMessageSameIdWhateverTheSendTime) {
  const AlertMessage n = SampleMessage();
  AlertMessage later = n;
  later.created_at += 45 * kSec;
  for (auto* list : {&later.firing, &later.resolved}) {
    for (auto& a : *list) a.fired_at += 5 * kSec;  // another replica's clock; same grid cell
  }
  for (MessagePart part : {MessagePart::kWhole, MessagePart::kFiring, MessagePart::kResolved}) {
    EXPECT_EQ(GroupMessageId(n, part, Policy()), GroupMessageId(later, part, Policy()));
  }
  EXPECT_EQ(PerAlertMessageId(n.firing[0], n, Policy()), PerAlertMessageId(later.firing[0], later, Policy()));
  EXPECT_EQ(PagerDutyDedupKey(n.firing[0], Policy()), PagerDutyDedupKey(later.firing[0], Policy()));
  EXPECT_EQ(GroupMessageId(n, MessagePart::kWhole, Policy()).size(), 36u);
  EXPECT_EQ(GroupMessageId(n, MessagePart::kWhole, Policy()).substr(0, 4), "msg_");
}

TEST(MessageIdTest, DifferentMessagesDifferentIds) {
  const AlertMessage n = SampleMessage();
  const std::string whole = GroupMessageId(n, MessagePart::kWhole, Policy());
  EXPECT_NE(whole, GroupMessageId(n, MessagePart::kFiring, Policy()));
  EXPECT_NE(GroupMessageId(n, MessagePart::kFiring, Policy()), GroupMessageId(n, MessagePart::kResolved, Policy()));
  AlertMessage other = n;
  other.group_key = "alertname=\"registration_failure\",site=\"Plant\"";
  EXPECT_NE(whole, GroupMessageId(other, MessagePart::kWhole, Policy()));
  // {p1, p2} firing with p0 resolved is not {p1, p2} firing alone.
  other = n;
  other.resolved.clear();
  EXPECT_NE(GroupMessageId(n, MessagePart::kFiring, Policy()), GroupMessageId(other, MessagePart::kFiring, Policy()));
  // A repeat is a new message each repeat_interval.
  AlertMessage repeat = n;
  repeat.repeat = true;
  repeat.created_at = kT0 + 3700 * kSec;
  const std::string first_repeat = GroupMessageId(repeat, MessagePart::kWhole, Policy());
  EXPECT_NE(whole, first_repeat);
  repeat.created_at += 3600 * kSec;
  EXPECT_NE(first_repeat, GroupMessageId(repeat, MessagePart::kWhole, Policy()));
  // The trigger and the resolve of one alert: one dedup_key, two webhook-ids.
  Alert resolved = n.firing[0];
  resolved.status = AlertStatus::kResolved;
  EXPECT_EQ(PagerDutyDedupKey(n.firing[0], Policy()), PagerDutyDedupKey(resolved, Policy()));
  EXPECT_NE(PerAlertMessageId(n.firing[0], n, Policy()), PerAlertMessageId(resolved, n, Policy()));
}

// Two exporter replicas (engine + dispatcher each, own clock phase, own spool) watch the same
// edge; it goes offline and comes back. Replica B sees each change 4 s later and evaluates 3 s
// out of phase with A. Halfway, A is restarted from its state file.
class TwoReplicasTest : public ::testing::Test {
 protected:
  struct Replica {
    Replica(std::string n, UnixNanos l, UnixNanos p) : name(std::move(n)), lag(l), phase(p) {}
    std::string name;
    UnixNanos lag;  // sees changes this much later
    UnixNanos phase;
    ManualClock clock{kT0};
    TelephonyState tel;
    HealthState health;
    AlertingConfig alerting;
    std::unique_ptr<WebhookDispatcher> dispatcher;
    std::unique_ptr<AlertEngine> engine;

    void Start() {
      dispatcher = std::make_unique<WebhookDispatcher>(WebhookOptionsFrom(alerting), clock, &health);
      engine = std::make_unique<AlertEngine>(tel, health, dispatcher.get(), clock, AlertEngineOptions{alerting, {}});
      engine->LoadState();
    }
    void Stop() {
      engine.reset();
      dispatcher.reset();
    }
  };

  void SetUp() override {
    for (auto* r : {&a_, &b_}) {
      r->alerting.group_wait = Seconds(30);
      r->alerting.group_interval = Seconds(60);
      r->alerting.spool_dir = (dir_ / r->name).string();
      r->alerting.state_file = (dir_ / r->name / "alerts.state").string();
      ReceiverConfig generic;
      generic.name = "ops";
      generic.urls = {receiver_.url("/" + r->name + "/generic")};
      ReceiverConfig pd;
      pd.name = "pd";
      pd.format = "pagerduty";
      pd.routing_key = "R0UTINGKEY";
      pd.urls = {receiver_.url("/" + r->name + "/pd")};
      r->alerting.receivers = {generic, pd};
      r->tel.ReplaceEdges({MakeEdge("e1", "HQ", true)}, kT0);
      r->Start();
    }
  }
  void TearDown() override {
    a_.Stop();
    b_.Stop();
  }

  // Runs both replicas from second `from` to `to`: the edge is offline from `offline_at` to `online_at`.
  void Run(int from, int to, int offline_at, int online_at) {
    for (int s = from; s < to; ++s) {
      for (auto* r : {&a_, &b_}) {
        const UnixNanos now = kT0 + s * kSec;
        r->clock.Set(now);
        const UnixNanos seen = now - r->lag;
        if (seen == kT0 + offline_at * kSec) r->tel.ReplaceEdges({MakeEdge("e1", "HQ", false)}, now);
        if (seen == kT0 + online_at * kSec) r->tel.ReplaceEdges({MakeEdge("e1", "HQ", true)}, now);
        if ((now - r->phase) % (10 * kSec) == 0) r->engine->EvaluateNow();
        while (r->dispatcher->DeliverDue() > 0) {
        }
      }
    }
  }

  std::vector<ReceivedRequest> At(const std::string& path) {
    std::vector<ReceivedRequest> out;
    for (const auto& r : receiver_.delivered()) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }

  ScratchDir scratch_{"gx-replicas", false};
  const std::filesystem::path& dir_ = scratch_.path();
  TestReceiver receiver_;
  Replica a_{"a", 0, 0};
  Replica b_{"b", 4 * kSec, 3 * kSec};
};

TEST_F(TwoReplicasTest, SameIdsFromBothReplicasAndAfterARestart) {
  Run(0, 400, 100, 700);
  a_.Stop();  // a restart of replica A: same spool and state file, a new process
  a_.Start();
  Run(400, 1200, 100, 700);
  for (const char* kind : {"generic", "pd"}) {
    const auto from_a = At(std::string("/a/") + kind);
    const auto from_b = At(std::string("/b/") + kind);
    ASSERT_EQ(from_a.size(), 2u) << kind << ": one firing, one resolved";
    ASSERT_EQ(from_b.size(), 2u) << kind;
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(from_a[i].id, from_b[i].id) << kind << " #" << i << "\n" << from_a[i].body << "\n" << from_b[i].body;
    }
    EXPECT_NE(from_a[0].id, from_a[1].id);
  }
  const auto pd_a = At("/a/pd"), pd_b = At("/b/pd");
  const std::string key = ParseJson(pd_a[0].body)["dedup_key"].Scalar();
  EXPECT_EQ(ParseJson(pd_a[1].body)["dedup_key"].Scalar(), key) << "the resolve after the restart closes the incident";
  EXPECT_EQ(ParseJson(pd_b[0].body)["dedup_key"].Scalar(), key);
  EXPECT_EQ(ParseJson(pd_b[1].body)["dedup_key"].Scalar(), key);
  EXPECT_EQ(ParseJson(pd_a[0].body)["routing_key"].Scalar(), "R0UTINGKEY");
  EXPECT_EQ(ParseJson(pd_b[1].body)["event_action"].Scalar(), "resolve");
}

}  // namespace
}  // namespace gx
