#include "exporter/state/merge_rules.h"

#include <gtest/gtest.h>

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1778400000LL * kNanosPerSecond;
constexpr UnixNanos kSec = kNanosPerSecond;

PhoneStatus Status(bool reachable, std::optional<UnixNanos> event_time) {
  PhoneStatus s;
  s.operational_status = reachable ? "OPERATIONAL" : "OFFLINE";
  s.event_creation_time = event_time;
  s.lines = {{"l1", reachable}};
  return s;
}

PhoneEntry Held(bool reachable, UnixNanos event_time, UnixNanos observed) {
  PhoneEntry e;
  e.phone.id = "p1";
  e.phone.name = "Desk";
  e.phone.status = Status(reachable, event_time);
  e.phone.status->edges_status = "ACTIVE";
  e.status_observed_at = observed;
  e.fresh = {observed, observed};
  return e;
}

TEST(IsNewer, ServerTimesWhenBothHaveOneElseObservationTimes) {
  EXPECT_TRUE(IsNewer(kT0 + 1, kT0, 0, 100));   // server time wins over observation
  EXPECT_FALSE(IsNewer(kT0, kT0 + 1, 100, 0));
  EXPECT_TRUE(IsNewer(kT0, kT0, 0, 0));          // equal is taken
  EXPECT_TRUE(IsNewer(std::nullopt, kT0, 5, 4));  // one side without: observation
  EXPECT_FALSE(IsNewer(kT0, std::nullopt, 4, 5));
}

TEST(MergePhone, PollTakesConfigurationAlwaysAndStatusOnlyWhenNewer) {
  const PhoneEntry held = Held(false, kT0 + 10 * kSec, kT0 + 11 * kSec);
  Phone polled = held.phone;
  polled.name = "Renamed";
  polled.status = Status(true, kT0);  // older than the pushed status held
  auto m = MergePhone(&held, {polled, std::nullopt, std::nullopt, kT0 + 5 * kSec});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entry.phone.name, "Renamed");
  EXPECT_EQ(m->entry.phone.status->operational_status, "OFFLINE");
  EXPECT_EQ(m->entry.status_observed_at, kT0 + 11 * kSec);
  EXPECT_EQ(m->entry.fresh.last_seen, kT0 + 5 * kSec);
  EXPECT_TRUE(m->observed);

  polled.status = Status(true, kT0 + 20 * kSec);
  m = MergePhone(&held, {polled, std::nullopt, std::nullopt, kT0 + 21 * kSec});
  EXPECT_EQ(m->entry.phone.status->operational_status, "OPERATIONAL");
  EXPECT_EQ(m->entry.fresh.last_change, kT0 + 21 * kSec);
}

TEST(MergePhone, PushIsRefusedWhenOlderOrUnknownAndKeepsEdgesStatus) {
  const PhoneEntry held = Held(true, kT0 + 10 * kSec, kT0 + 10 * kSec);
  EXPECT_FALSE(MergePhone(nullptr, {std::nullopt, Status(false, kT0), std::nullopt, kT0}));
  EXPECT_FALSE(MergePhone(&held, {std::nullopt, Status(false, kT0 + 9 * kSec), std::nullopt, kT0 + 20 * kSec}));
  auto m = MergePhone(&held, {std::nullopt, Status(false, kT0 + 12 * kSec), std::nullopt, kT0 + 12 * kSec});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entry.phone.status->operational_status, "OFFLINE");
  EXPECT_EQ(m->entry.phone.status->edges_status, "ACTIVE");
  EXPECT_EQ(m->entry.fresh.last_change, kT0 + 12 * kSec);
}

TEST(MergePhone, PushAndPollOfTheSameStatusAgree) {
  // The same report reaching the state by push or by poll gives the same status and times.
  const PhoneEntry held = Held(true, kT0, kT0);
  const PhoneStatus offline = Status(false, kT0 + 5 * kSec);
  auto pushed = MergePhone(&held, {std::nullopt, offline, std::nullopt, kT0 + 6 * kSec});
  Phone listing = held.phone;
  listing.status = offline;
  listing.status->edges_status = "ACTIVE";
  auto polled = MergePhone(&held, {listing, std::nullopt, std::nullopt, kT0 + 6 * kSec});
  ASSERT_TRUE(pushed && polled);
  EXPECT_EQ(pushed->entry, polled->entry);
}

TEST(MergeTrunk, ConnectedNewerWinsPerSourceAndProxiesMergePerProxy) {
  TrunkEntry held;
  held.trunk.id = "t1";
  held.trunk.connected = false;
  held.trunk.connected_state_time = kT0 + 10 * kSec;
  held.trunk.options = {{"10.0.0.1", false, kT0 + 10 * kSec, ""}};
  held.connected_observed_at = kT0 + 10 * kSec;

  Trunk polled = held.trunk;
  polled.connected = true;
  polled.connected_state_time = kT0;  // older
  polled.options = {{"10.0.0.1", true, kT0, ""}};
  auto m = MergeTrunk(&held, {polled, std::nullopt, kT0 + 5 * kSec});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->trunk.connected, false);
  EXPECT_FALSE(m->trunk.options[0].up);

  TrunkStatusUpdate stale;
  stale.trunk_id = "t1";
  stale.connected = true;
  stale.connected_state_time = kT0;
  EXPECT_FALSE(MergeTrunk(&held, {std::nullopt, stale, kT0 + 20 * kSec}));
  EXPECT_FALSE(MergeTrunk(nullptr, {std::nullopt, stale, kT0 + 20 * kSec}));
  TrunkStatusUpdate fresh = stale;
  fresh.connected_state_time = kT0 + 30 * kSec;
  m = MergeTrunk(&held, {std::nullopt, fresh, kT0 + 30 * kSec});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->trunk.connected, true);
  EXPECT_EQ(m->fresh.last_change, kT0 + 30 * kSec);
}

TEST(MergeEdge, APollSentBeforeAPushKeepsThePushedStatus) {
  EdgeEntry held;
  held.edge.id = "e1";
  held.edge.online_status = "OFFLINE";
  held.online_observed_at = kT0 + 10 * kSec;
  Edge polled = held.edge;
  polled.online_status = "ONLINE";
  polled.name = "new name";
  auto m = MergeEdge(&held, {polled, std::nullopt, kT0 + 5 * kSec});
  EXPECT_EQ(m->edge.online_status, "OFFLINE");
  EXPECT_EQ(m->edge.name, "new name");
  EXPECT_FALSE(MergeEdge(&held, {std::nullopt, EdgeStatusUpdate{"e1", "ONLINE"}, kT0 + 9 * kSec}));
  EXPECT_FALSE(MergeEdge(&held, {std::nullopt, EdgeStatusUpdate{"e1", ""}, kT0 + 19 * kSec}));
  EXPECT_EQ(MergeEdge(&held, {std::nullopt, EdgeStatusUpdate{"e1", "ONLINE"}, kT0 + 11 * kSec})->edge.online_status,
            "ONLINE");
}

TEST(MergeMetrics, ObservedAtDecidesWhenNoEventTime) {
  // Before: observed_at was ignored, so a poll answer sent before a push overwrote it.
  TrunkMetricsEntry held;
  held.trunk_id = "t1";
  held.inbound_calls = 7;
  held.observed_at = kT0 + 10 * kSec;
  TrunkMetrics older;
  older.trunk_id = "t1";
  older.inbound_calls = 3;
  EXPECT_FALSE(MergeTrunkMetrics(&held, older, kT0 + 5 * kSec));
  auto m = MergeTrunkMetrics(&held, older, kT0 + 15 * kSec);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->inbound_calls, 3);
  EXPECT_EQ(m->observed_at, kT0 + 15 * kSec);
  // With event times on both sides, they decide.
  held.event_time = kT0 + 20 * kSec;
  older.event_time = kT0 + 19 * kSec;
  EXPECT_FALSE(MergeTrunkMetrics(&held, older, kT0 + 30 * kSec));

  EdgeMetricsEntry eh;
  eh.edge_id = "e1";
  eh.uptime_ms = 10;
  eh.observed_at = kT0 + 10 * kSec;
  EXPECT_FALSE(MergeEdgeMetrics(&eh, EdgeMetrics{"e1", std::nullopt, 5}, kT0 + 9 * kSec));
  EXPECT_TRUE(MergeEdgeMetrics(&eh, EdgeMetrics{"e1", std::nullopt, 5}, kT0 + 11 * kSec));
}

TEST(MergeUserStation, OlderAnswersAreRefused) {
  UserEntry held;
  held.station.user_id = "u1";
  EXPECT_TRUE(MergeUserStation(held, {"u1", "st1", "", ""}, kT0));
  held = *MergeUserStation(held, {"u1", "st1", "", ""}, kT0 + 10 * kSec);
  EXPECT_FALSE(MergeUserStation(held, {"u1", "st2", "", ""}, kT0 + 5 * kSec));
  auto m = MergeUserStation(held, {"u1", "st2", "", ""}, kT0 + 20 * kSec);
  EXPECT_EQ(m->station.station_id, "st2");
  EXPECT_EQ(m->fresh.last_change, kT0 + 20 * kSec);
}

// v2.users.{id}.station carries the station's id and name only: a push must not blank the
// type a poll read (genesys_user_station_info would lose its station_type label).
TEST(MergeUserStation, APushWithoutATypeKeepsTheStationsType) {
  UserEntry held;
  held.station.user_id = "u1";
  held = *MergeUserStation(held, {"u1", "st1", "Desk 1", "inin_remote"}, kT0);
  auto same = MergeUserStation(held, {"u1", "st1", "Desk 1", ""}, kT0 + kSec);
  EXPECT_EQ(same->station.station_type, "inin_remote");
  // Another station: its type comes from the station entity when it is known...
  Station st2;
  st2.id = "st2";
  st2.type = "inin_webrtc_softphone";
  auto moved = MergeUserStation(held, {"u1", "st2", "Soft 2", ""}, kT0 + 2 * kSec, &st2);
  EXPECT_EQ(moved->station.station_type, "inin_webrtc_softphone");
  // ...else it is unknown until the station is read, and filled then.
  auto unread = *MergeUserStation(held, {"u1", "st2", "Soft 2", ""}, kT0 + 2 * kSec);
  EXPECT_EQ(unread.station.station_type, "");
  auto filled = FillStationType(unread, st2);
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->station.station_type, "inin_webrtc_softphone");
  EXPECT_EQ(filled->fresh, unread.fresh);
  EXPECT_FALSE(FillStationType(*filled, st2)) << "nothing left to fill";
  Station st1;
  st1.id = "st1";
  st1.type = "inin_remote";
  EXPECT_FALSE(FillStationType(unread, st1)) << "not the user's station";
  // A type in the report wins; no station leaves none.
  EXPECT_EQ(MergeUserStation(held, {"u1", "st1", "Desk 1", "other"}, kT0 + kSec)->station.station_type, "other");
  EXPECT_EQ(MergeUserStation(held, {"u1", "", "", ""}, kT0 + kSec)->station.station_type, "");
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

TEST(MergePhone, ARedeliveredPushIsNothingNew) {
  const PhoneEntry held = Held(true, kT0 + 10 * kSec, kT0 + 10 * kSec);
  auto m = MergePhone(&held, {std::nullopt, Status(true, kT0 + 10 * kSec), std::nullopt, kT0 + 30 * kSec});
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->observed);
  EXPECT_EQ(m->entry, held);
}

}  // namespace
}  // namespace gx
