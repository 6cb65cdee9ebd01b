#include "exporter/sources/notifications/channel_supervisor.h"

#include <gtest/gtest.h>

#include "exporter/util/clock.h"

namespace gx {
namespace {

using Kind = SupervisorCommand::Kind;
using Commands = std::vector<SupervisorCommand>;

constexpr UnixNanos kSec = kNanosPerSecond;
constexpr UnixNanos kStart = 1'700'000'000 * kSec;

// heartbeat 30 s, ping 10 s, connect 5 s, one rollover per 60 s; backoff from 2 s with
// no jitter (unit random 0: half the nominal delay), so delays run 1 s, 2 s, 4 s, ...
SupervisorPolicy Policy() {
  SupervisorPolicy p;
  p.heartbeat_timeout = 30 * kSec;
  p.ping_timeout = 10 * kSec;
  p.connect_timeout = 5 * kSec;
  p.min_rollover_interval = 60 * kSec;
  p.backoff = {2 * kNanosPerSecond, 60 * kNanosPerSecond};
  return p;
}

LinkView Open(UnixNanos opened_at) {
  LinkView l;
  l.socket.open = true;
  l.socket.opened_at = opened_at;
  l.created = opened_at;
  l.rollover_at = opened_at + 24 * 3600 * kSec;
  l.token_generation = 1;
  return l;
}

LinkView Connecting(UnixNanos created) {
  LinkView l;
  l.created = created;
  l.rollover_at = created + 24 * 3600 * kSec;
  l.token_generation = 1;
  return l;
}

SlotView Slot(std::optional<LinkView> active, std::optional<LinkView> next = std::nullopt) {
  SlotView v;
  v.active = std::move(active);
  v.next = std::move(next);
  v.wanted = true;
  v.token_generation = 1;
  return v;
}

SupervisorCommand Cmd(Kind kind, ReconnectReason reason = ReconnectReason::kNone) { return {kind, reason}; }

class ChannelSupervisorTest : public ::testing::Test {
 protected:
  ManualClock clock{kStart};
  ChannelSupervisor sup{Policy(), [] { return 0.0; }};
  Commands Step(const SlotView& v) { return sup.Step(v, clock.Now()); }
};

TEST(ReconnectReasonTest, LabelsAreTheMetricContract) {
  EXPECT_EQ(ReasonLabel(ReconnectReason::kHeartbeatTimeout), "heartbeat_timeout");
  EXPECT_EQ(ReasonLabel(ReconnectReason::kSocketClosing), "socket_closing");
  EXPECT_EQ(ReasonLabel(ReconnectReason::kChannelExpiry), "channel_expiry");
  EXPECT_EQ(ReasonLabel(ReconnectReason::kTokenRefresh), "token_refresh");
  EXPECT_EQ(ReasonLabel(ReconnectReason::kError), "error");
  EXPECT_EQ(ReasonLabel(ReconnectReason::kNone), "");
  EXPECT_EQ(AllReasonLabels(), (std::vector<std::string_view>{"heartbeat_timeout", "socket_closing",
                                                               "channel_expiry", "token_refresh", "error"}));
}

// --- Building the first link ---

TEST_F(ChannelSupervisorTest, AnEmptyWantedSlotBuildsAtOnce) {
  EXPECT_EQ(Step(Slot(std::nullopt)), Commands{Cmd(Kind::kBuild)});
}

TEST_F(ChannelSupervisorTest, AnUnwantedSlotDoesNothing) {
  SlotView v = Slot(std::nullopt);
  v.wanted = false;
  EXPECT_TRUE(Step(v).empty());
}

TEST_F(ChannelSupervisorTest, AFailedBuildBacksOffThenRetries) {
  ASSERT_EQ(Step(Slot(std::nullopt)), Commands{Cmd(Kind::kBuild)});
  sup.BuildFailed(clock.Now());
  EXPECT_EQ(sup.failures(), 1);
  EXPECT_EQ(sup.retry_at(), kStart + 1 * kSec);
  clock.Advance(1 * kSec - 1);
  EXPECT_TRUE(Step(Slot(std::nullopt)).empty());
  clock.Advance(1);
  ASSERT_EQ(Step(Slot(std::nullopt)), Commands{Cmd(Kind::kBuild)});
  sup.BuildFailed(clock.Now());  // the second failure waits twice as long
  EXPECT_EQ(sup.retry_at(), clock.Now() + 2 * kSec);
}

TEST_F(ChannelSupervisorTest, AConnectingLinkIsWaitedFor) {
  EXPECT_TRUE(Step(Slot(std::nullopt, Connecting(kStart))).empty());
}

TEST_F(ChannelSupervisorTest, TheFirstOpenLinkIsPromotedWithoutAReconnectOrResync) {
  SupervisorCommand promote = Cmd(Kind::kPromote);
  EXPECT_EQ(Step(Slot(std::nullopt, Open(kStart))), Commands{promote});
  EXPECT_EQ(sup.next_rollover_allowed(), 0);  // a first link is not a rollover
}

TEST_F(ChannelSupervisorTest, ALinkThatEndsBeforeOpeningIsAbandonedAndRetriedAfterTheBackoff) {
  LinkView next = Connecting(kStart);
  next.socket.ended = true;
  EXPECT_EQ(Step(Slot(std::nullopt, next)), Commands{Cmd(Kind::kAbandonNext)});
  EXPECT_EQ(sup.failures(), 1);
  EXPECT_EQ(sup.retry_at(), kStart + 1 * kSec);
  EXPECT_TRUE(Step(Slot(std::nullopt)).empty());  // within the backoff
  clock.Advance(1 * kSec);
  EXPECT_EQ(Step(Slot(std::nullopt)), Commands{Cmd(Kind::kBuild)});
}

TEST_F(ChannelSupervisorTest, ALinkThatDoesNotOpenWithinTheConnectTimeoutPlusASecondIsAbandoned) {
  clock.Advance(6 * kSec);  // connect_timeout 5 s + 1 s: not yet
  EXPECT_TRUE(Step(Slot(std::nullopt, Connecting(kStart))).empty());
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(std::nullopt, Connecting(kStart))), Commands{Cmd(Kind::kAbandonNext)});
}

// --- Heartbeat watch and ping ---

TEST_F(ChannelSupervisorTest, SilenceBeyondTheHeartbeatTimeoutSendsOnePing) {
  LinkView a = Open(kStart);
  clock.Advance(30 * kSec);
  EXPECT_TRUE(Step(Slot(a)).empty());  // exactly the timeout: still fine
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kPing)});
  EXPECT_EQ(sup.ping_sent_at(), clock.Now());
  clock.Advance(5 * kSec);
  EXPECT_TRUE(Step(Slot(a)).empty());  // one ping outstanding at a time
}

TEST_F(ChannelSupervisorTest, MessagesKeepTheSocketFreshWithoutPings) {
  LinkView a = Open(kStart);
  for (int i = 0; i < 10; ++i) {
    clock.Advance(20 * kSec);
    a.socket.last_message = clock.Now();
    EXPECT_TRUE(Step(Slot(a)).empty());
  }
}

TEST_F(ChannelSupervisorTest, AnAnsweredPingIsCleared) {
  LinkView a = Open(kStart);
  clock.Advance(31 * kSec);
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kPing)});
  clock.Advance(2 * kSec);
  a.socket.last_message = clock.Now();  // the pong
  EXPECT_TRUE(Step(Slot(a)).empty());
  EXPECT_EQ(sup.ping_sent_at(), 0);
  clock.Advance(11 * kSec);  // past the ping timeout of the first ping: nothing, it was answered
  EXPECT_TRUE(Step(Slot(a)).empty());
}

TEST_F(ChannelSupervisorTest, AnUnansweredPingLosesTheSocketAfterThePingTimeout) {
  LinkView a = Open(kStart);
  clock.Advance(31 * kSec);
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kPing)});
  clock.Advance(10 * kSec);
  EXPECT_TRUE(Step(Slot(a)).empty());  // exactly the ping timeout: not yet
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kDropSilent, ReconnectReason::kHeartbeatTimeout)});
  EXPECT_TRUE(sup.gap());
  EXPECT_EQ(sup.pending_reason(), ReconnectReason::kHeartbeatTimeout);
  EXPECT_EQ(sup.ping_sent_at(), 0);
  EXPECT_EQ(sup.retry_at(), clock.Now() + 1 * kSec);
}

// --- Losing the active socket ---

TEST_F(ChannelSupervisorTest, AnEndedSocketIsAnErrorUnlessTheServiceAnnouncedTheClose) {
  LinkView a = Open(kStart);
  a.socket.ended = true;
  a.socket.open = false;
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kError)});

  ChannelSupervisor other(Policy(), [] { return 0.0; });
  a.socket.socket_closing = true;
  EXPECT_EQ(other.Step(Slot(a), kStart), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kSocketClosing)});
  EXPECT_EQ(other.pending_reason(), ReconnectReason::kSocketClosing);
}

TEST_F(ChannelSupervisorTest, ARevokedTokenRebuildsAsATokenRefresh) {
  LinkView a = Open(kStart);
  a.socket.rebuild = RebuildCause::kTokenRevoked;
  SupervisorCommand c{Kind::kDropRebuild, ReconnectReason::kTokenRefresh, RebuildCause::kTokenRevoked};
  EXPECT_EQ(Step(Slot(a)), Commands{c});
  EXPECT_TRUE(sup.gap());
}

TEST_F(ChannelSupervisorTest, NoLongerSubscribedRebuildsAsAnError) {
  LinkView a = Open(kStart);
  a.socket.rebuild = RebuildCause::kNoLongerSubscribed;
  SupervisorCommand c{Kind::kDropRebuild, ReconnectReason::kError, RebuildCause::kNoLongerSubscribed};
  EXPECT_EQ(Step(Slot(a)), Commands{c});
}

TEST_F(ChannelSupervisorTest, AfterALossTheNextLinkCountsTheReconnectAndResyncs) {
  LinkView a = Open(kStart);
  a.socket.ended = true;
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kError)});
  clock.Advance(1 * kSec);
  ASSERT_EQ(Step(Slot(std::nullopt)), Commands{Cmd(Kind::kBuild, ReconnectReason::kError)});
  clock.Advance(1 * kSec);
  SupervisorCommand promote{Kind::kPromote, ReconnectReason::kError};
  promote.resync = true;
  EXPECT_EQ(Step(Slot(std::nullopt, Open(clock.Now()))), Commands{promote});
  EXPECT_FALSE(sup.gap());
  EXPECT_EQ(sup.pending_reason(), ReconnectReason::kNone);
}

TEST_F(ChannelSupervisorTest, ASocketThatDiesYoungBacksOffFurtherEachTime) {
  for (UnixNanos expected : {1 * kSec, 2 * kSec, 4 * kSec, 8 * kSec}) {
    LinkView a = Open(clock.Now());
    clock.Advance(kStableSocket);  // not longer than the stable time
    a.socket.ended = true;
    ASSERT_EQ(Step(Slot(a)).size(), 1u);
    EXPECT_EQ(sup.retry_at(), clock.Now() + expected);
  }
}

TEST_F(ChannelSupervisorTest, ASocketThatStayedUpResetsTheBackoff) {
  sup.BuildFailed(clock.Now());
  sup.BuildFailed(clock.Now());
  ASSERT_EQ(sup.failures(), 2);
  LinkView a = Open(clock.Now());
  clock.Advance(kStableSocket + 1);
  a.socket.ended = true;
  ASSERT_EQ(Step(Slot(a)).size(), 1u);
  EXPECT_EQ(sup.failures(), 1);
  EXPECT_EQ(sup.retry_at(), clock.Now() + 1 * kSec);
}

TEST_F(ChannelSupervisorTest, ALossWhileAReplacementIsComingDoesNotBackOff) {
  LinkView a = Open(kStart);
  a.socket.ended = true;
  // The replacement is not open yet: it stays `next`; no retry delay is taken.
  EXPECT_EQ(Step(Slot(a, Connecting(kStart))), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kError)});
  EXPECT_EQ(sup.failures(), 0);
  EXPECT_EQ(sup.retry_at(), 0);
  EXPECT_TRUE(sup.gap());
}

TEST_F(ChannelSupervisorTest, ALossInTheStepItsReplacementOpensPromotesWithoutRetiring) {
  LinkView a = Open(kStart);
  a.socket.ended = true;
  SupervisorCommand promote{Kind::kPromote, ReconnectReason::kError};
  promote.resync = true;  // the old socket died before the new one took over
  EXPECT_EQ(Step(Slot(a, Open(kStart))),
            (Commands{Cmd(Kind::kDropEnded, ReconnectReason::kError), promote}));
}

// --- Rollovers ---

TEST_F(ChannelSupervisorTest, SocketClosingRollsOverMakeBeforeBreak) {
  LinkView a = Open(kStart);
  a.socket.socket_closing = true;
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
  EXPECT_EQ(sup.pending_reason(), ReconnectReason::kSocketClosing);
  // While the replacement connects, the old socket keeps serving and nothing more is asked.
  clock.Advance(1 * kSec);
  EXPECT_TRUE(Step(Slot(a, Connecting(kStart))).empty());
  clock.Advance(1 * kSec);
  SupervisorCommand promote{Kind::kPromote, ReconnectReason::kSocketClosing};
  promote.retire_active = true;
  promote.retire_deadline = clock.Now() + kRetireGrace;
  EXPECT_EQ(Step(Slot(a, Open(clock.Now()))), Commands{promote});
  EXPECT_EQ(sup.next_rollover_allowed(), clock.Now() + 60 * kSec);
  EXPECT_FALSE(sup.gap());
}

TEST_F(ChannelSupervisorTest, ANewTokenRollsOver) {
  SlotView v = Slot(Open(kStart));
  v.token_generation = 2;
  EXPECT_EQ(Step(v), Commands{Cmd(Kind::kRollover, ReconnectReason::kTokenRefresh)});
}

TEST_F(ChannelSupervisorTest, TheExpiryRollsOverAtRolloverAt) {
  LinkView a = Open(kStart);
  a.rollover_at = kStart + 100 * kSec;
  a.socket.last_message = kStart + 99 * kSec;
  clock.Set(kStart + 100 * kSec - 1);
  EXPECT_TRUE(Step(Slot(a)).empty());
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kRollover, ReconnectReason::kChannelExpiry)});
}

TEST_F(ChannelSupervisorTest, SocketClosingComesBeforeATokenWhichComesBeforeTheExpiry) {
  LinkView a = Open(kStart);
  a.rollover_at = kStart;
  SlotView v = Slot(a);
  v.token_generation = 2;
  ChannelSupervisor token_first(Policy(), [] { return 0.0; });
  EXPECT_EQ(token_first.Step(v, kStart), Commands{Cmd(Kind::kRollover, ReconnectReason::kTokenRefresh)});
  v.active->socket.socket_closing = true;
  EXPECT_EQ(Step(v), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
}

TEST_F(ChannelSupervisorTest, ASecondRolloverWithinTheIntervalIsDeferredUntilItEnds) {
  LinkView a = Open(kStart);
  a.socket.socket_closing = true;
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
  LinkView b = Open(kStart);
  b.socket.socket_closing = true;  // the service asks again at once on the new socket
  SupervisorCommand promote{Kind::kPromote, ReconnectReason::kSocketClosing};
  promote.retire_active = true;
  promote.retire_deadline = kStart + kRetireGrace;
  EXPECT_EQ(Step(Slot(a, b)),
            (Commands{promote, Cmd(Kind::kRolloverDeferred, ReconnectReason::kSocketClosing)}));
  clock.Advance(60 * kSec - 1);
  b.socket.last_message = clock.Now();
  EXPECT_EQ(Step(Slot(b)), Commands{Cmd(Kind::kRolloverDeferred, ReconnectReason::kSocketClosing)});
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(b)), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
}

TEST_F(ChannelSupervisorTest, AFailedRolloverWaitsForTheBackoffAndKeepsItsReason) {
  LinkView a = Open(kStart);
  a.socket.socket_closing = true;
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
  sup.BuildFailed(clock.Now());
  clock.Advance(1 * kSec - 1);
  EXPECT_TRUE(Step(Slot(a)).empty());
  clock.Advance(1);
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing)});
  // The socket dies meanwhile: the pending reason is the one counted.
  a.socket.ended = true;
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kSocketClosing)});
  EXPECT_EQ(sup.pending_reason(), ReconnectReason::kSocketClosing);
}

TEST_F(ChannelSupervisorTest, TheFirstReasonOfALossIsKept) {
  LinkView a = Open(kStart);
  SlotView v = Slot(a);
  v.token_generation = 2;
  ASSERT_EQ(Step(v), Commands{Cmd(Kind::kRollover, ReconnectReason::kTokenRefresh)});
  v.active->socket.ended = true;  // then the old socket errors before the new one is up
  v.next = Connecting(kStart);
  ASSERT_EQ(Step(v), Commands{Cmd(Kind::kDropEnded, ReconnectReason::kError)});
  EXPECT_EQ(sup.pending_reason(), ReconnectReason::kTokenRefresh);
}

TEST_F(ChannelSupervisorTest, AClosedButNotEndedSocketNeitherPingsNorRollsOver) {
  LinkView a = Open(kStart);
  a.socket.open = false;
  a.socket.socket_closing = true;
  clock.Advance(3600 * kSec);
  EXPECT_TRUE(Step(Slot(a)).empty());
}

// --- Subscriptions ---

TEST_F(ChannelSupervisorTest, ADriftedSubscriptionIsRedoneAfterTheBackoffWhenItFails) {
  LinkView a = Open(kStart);
  a.subscribed_as_planned = false;
  ASSERT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kResubscribe)});
  sup.ResubscribeFailed(clock.Now());
  EXPECT_EQ(sup.resubscribe_at(), kStart + 1 * kSec);
  EXPECT_TRUE(Step(Slot(a)).empty());
  clock.Advance(1 * kSec);
  EXPECT_EQ(Step(Slot(a)), Commands{Cmd(Kind::kResubscribe)});
}

TEST_F(ChannelSupervisorTest, NoResubscriptionWhenThePlanWantsNothingHere) {
  LinkView a = Open(kStart);
  a.subscribed_as_planned = false;
  SlotView v = Slot(a);
  v.wanted = false;
  EXPECT_TRUE(Step(v).empty());
}

TEST_F(ChannelSupervisorTest, APromotedLinkThatDriftedIsResubscribedInTheSameStep) {
  LinkView next = Open(kStart);
  next.subscribed_as_planned = false;
  EXPECT_EQ(Step(Slot(std::nullopt, next)), (Commands{Cmd(Kind::kPromote), Cmd(Kind::kResubscribe)}));
}

TEST_F(ChannelSupervisorTest, ARolloverAndAResubscriptionCanBeDueTogether) {
  LinkView a = Open(kStart);
  a.subscribed_as_planned = false;
  a.socket.socket_closing = true;
  EXPECT_EQ(Step(Slot(a)),
            (Commands{Cmd(Kind::kRollover, ReconnectReason::kSocketClosing), Cmd(Kind::kResubscribe)}));
}

}  // namespace
}  // namespace gx
