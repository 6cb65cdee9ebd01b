#include "exporter/state/telephony_state.h"

#include <gtest/gtest.h>

#include "exporter/state/registration.h"

namespace gx {
namespace {

constexpr UnixNanos kT0 = 1778400000LL * kNanosPerSecond;
constexpr UnixNanos kSec = kNanosPerSecond;

Phone MakePhone(const std::string& id, bool reachable, UnixNanos event_time, const std::string& site = "HQ") {
  Phone p;
  p.id = id;
  p.name = "Phone " + id;
  p.site = {"site-" + site, site};
  p.line_ids = {"l-" + id};
  PhoneStatus s;
  s.operational_status = reachable ? "OPERATIONAL" : "OFFLINE";
  s.event_creation_time = event_time;
  LineStatus l;
  l.id = "l-" + id;
  l.reachable = reachable;
  s.lines = {l};
  p.status = s;
  return p;
}

template <typename Entity>
Entity WithId(const std::string& id) {
  Entity e;
  e.id = id;
  return e;
}

PhoneStatusUpdate Push(const std::string& id, bool reachable, UnixNanos event_time) {
  PhoneStatusUpdate u;
  u.phone_id = id;
  u.status = MakePhone(id, reachable, event_time).status;
  return u;
}

bool Registered(const TelephonyState& s, const std::string& id) {
  return s.Read([&](const TelephonyData& d) { return PhoneRegistered(d.phones.at(id).phone); });
}

SiteRegistrationCounters Site(const TelephonyState& s, const std::string& site) {
  return s.Read([&](const TelephonyData& d) {
    auto it = d.registration_by_site.find(site);
    return it == d.registration_by_site.end() ? SiteRegistrationCounters{} : it->second;
  });
}

// A poll's status pass: one snapshot per batch of kStatusBatch phones, not one per phone (each
// publish wakes every listener and copies a chunk), and never the whole pass in one batch.
TEST(TelephonyState, ManyStatusesArePublishedInBoundedBatches) {
  TelephonyState s;
  std::vector<Phone> phones;
  for (int i = 0; i < 200; ++i) phones.push_back(MakePhone("p" + std::to_string(1000 + i), true, kT0));
  s.ReplacePhones(phones, kT0);
  int published = 0;
  s.AddChangeListener([&] { ++published; });
  std::vector<PhoneStatusUpdate> updates;
  for (const auto& p : phones) updates.push_back(Push(p.id, false, kT0 + 10 * kSec));
  updates[7] = Push("p1007", false, kT0 - kSec);  // older than what is held: refused
  updates.push_back(Push("ghost", false, kT0 + 10 * kSec));
  EXPECT_EQ(s.ApplyPhoneStatuses(updates, kT0 + 11 * kSec), 199u);
  EXPECT_EQ(published, static_cast<int>((updates.size() + TelephonyState::kStatusBatch - 1) / TelephonyState::kStatusBatch));
  EXPECT_FALSE(Registered(s, "p1199"));
  EXPECT_TRUE(Registered(s, "p1007"));
  EXPECT_EQ(s.ApplyPhoneStatuses({}, kT0 + 12 * kSec), 0u);
  EXPECT_EQ(published, 4);
}

// Issue 13: a 50,000-phone listing merged in one batch held the writers' lock for 0.4 s of CPU,
// and a pushed event waited that long. A listing after the first goes in slices; the result is
// the one batch's, and the last batch removes what it no longer lists.
TEST(TelephonyState, ALaterListingIsMergedInSlicesWithTheResultOfOneBatch) {
  auto listing = [](int n, UnixNanos t, int skip) {
    std::vector<Phone> phones;
    for (int i = 0; i < n; ++i) {
      if (i != skip) phones.push_back(MakePhone("p" + std::to_string(1000 + i), i % 3 != 0, t, i % 2 ? "HQ" : "Lab"));
    }
    return phones;
  };
  TelephonyState sliced, whole;
  sliced.ReplacePhones(listing(300, kT0, -1), kT0);
  whole.Write([&](TelephonyWriter& w) { w.ReplacePhones(listing(300, kT0, -1), kT0); });
  int published = 0;
  sliced.AddChangeListener([&] { ++published; });
  // Every phone's status is newer; p1007 is no longer listed, p1300 and p1301 are new.
  sliced.ReplacePhones(listing(302, kT0 + 10 * kSec, 7), kT0 + 10 * kSec);
  whole.Write([&](TelephonyWriter& w) { w.ReplacePhones(listing(302, kT0 + 10 * kSec, 7), kT0 + 10 * kSec); });
  const std::size_t slices = (301 + TelephonyState::kListingSlice - 1) / TelephonyState::kListingSlice;
  EXPECT_EQ(published, static_cast<int>(slices) + 1) << "one batch per slice, then the removal and the index";
  const TelephonySnapshot a = sliced.Snapshot(), b = whole.Snapshot();
  ASSERT_EQ(a->phones.size(), 301u);
  EXPECT_FALSE(a->phones.contains("p1007"));
  auto it = b->phones.begin();
  for (const auto& [id, entry] : a->phones) {
    ASSERT_EQ(id, it->first);
    EXPECT_TRUE(entry == it->second) << id;
    ++it;
  }
  std::vector<std::string> lines_a, lines_b;
  for (const auto& [line, id] : a->phone_by_line) lines_a.push_back(line + "=" + id);
  for (const auto& [line, id] : b->phone_by_line) lines_b.push_back(line + "=" + id);
  EXPECT_EQ(lines_a, lines_b);
  EXPECT_TRUE(a->phones_loaded);
  EXPECT_EQ(Site(sliced, "HQ").checks, Site(whole, "HQ").checks);
  // The same listing again publishes if and only if one batch would.
  published = 0;
  const std::uint64_t version = whole.version();
  sliced.ReplacePhones(listing(302, kT0 + 10 * kSec, 7), kT0 + 10 * kSec);
  whole.Write([&](TelephonyWriter& w) { w.ReplacePhones(listing(302, kT0 + 10 * kSec, 7), kT0 + 10 * kSec); });
  EXPECT_EQ(published > 0, whole.version() != version);
  EXPECT_LE(published, static_cast<int>(slices));
}

TEST(TelephonyState, NewerPushWinsOverOlderPoll) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0);
  // The phone goes offline at t0+10 (pushed); a poll sent at t0+5 answers with the old status.
  ASSERT_TRUE(s.ApplyPhoneStatus(Push("p1", false, kT0 + 10 * kSec), kT0 + 11 * kSec));
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0 + 5 * kSec);
  EXPECT_FALSE(Registered(s, "p1"));
  // An older push is refused.
  EXPECT_FALSE(s.ApplyPhoneStatus(Push("p1", true, kT0 + 2 * kSec), kT0 + 12 * kSec));
  EXPECT_FALSE(Registered(s, "p1"));
  // A newer poll wins.
  s.ReplacePhones({MakePhone("p1", true, kT0 + 20 * kSec)}, kT0 + 21 * kSec);
  EXPECT_TRUE(Registered(s, "p1"));
}

TEST(TelephonyState, PushForUnknownPhoneIsRefused) {
  TelephonyState s;
  EXPECT_FALSE(s.ApplyPhoneStatus(Push("ghost", true, kT0), kT0));
}

TEST(TelephonyState, EntitiesMissingFromAnInventoryAreRemoved) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0), MakePhone("p2", true, kT0)}, kT0);
  s.ReplacePhones({MakePhone("p2", true, kT0)}, kT0 + 60 * kSec);
  s.Read([](const TelephonyData& d) {
    EXPECT_EQ(d.phones.size(), 1u);
    EXPECT_TRUE(d.phones.count("p2"));
  });

  Trunk t1, t2;
  t1.id = "t1";
  t2.id = "t2";
  s.ReplaceTrunks({t1, t2}, kT0);
  TrunkMetrics m;
  m.trunk_id = "t1";
  m.inbound_calls = 4;
  ASSERT_TRUE(s.ApplyTrunkMetrics(m, kT0));
  s.ReplaceTrunks({t2}, kT0 + 30 * kSec);
  s.Read([](const TelephonyData& d) {
    EXPECT_EQ(d.trunks.size(), 1u);
    EXPECT_EQ(d.trunk_metrics.count("t1"), 0u);  // its metrics go with it
  });
  EXPECT_FALSE(s.ApplyTrunkMetrics(m, kT0 + 31 * kSec));

  Edge e1;
  e1.id = "e1";
  s.ReplaceEdges({e1}, kT0);
  EdgeMetrics em;
  em.edge_id = "e1";
  em.uptime_ms = 1000;
  ASSERT_TRUE(s.ApplyEdgeMetrics(em, kT0));
  s.ReplaceEdges({}, kT0 + 60 * kSec);
  s.Read([](const TelephonyData& d) {
    EXPECT_TRUE(d.edges.empty());
    EXPECT_TRUE(d.edge_metrics.empty());
  });
}

TEST(TelephonyState, TransitionCountedOnceWhetherPushedOrPolled) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0);
  ASSERT_TRUE(s.ApplyPhoneStatus(Push("p1", false, kT0 + 10 * kSec), kT0 + 10 * kSec));
  // The next poll sees the same change: no second transition.
  s.ReplacePhones({MakePhone("p1", false, kT0 + 10 * kSec)}, kT0 + 60 * kSec);
  SiteRegistrationCounters c = Site(s, "HQ");
  EXPECT_EQ(c.to_unreachable, 1u);
  EXPECT_EQ(c.to_reachable, 0u);
  EXPECT_EQ(c.checks, 3u);
  EXPECT_EQ(c.failures, 2u);
  // Back to reachable by poll only.
  s.ReplacePhones({MakePhone("p1", true, kT0 + 100 * kSec)}, kT0 + 120 * kSec);
  c = Site(s, "HQ");
  EXPECT_EQ(c.to_reachable, 1u);
  EXPECT_EQ(c.to_unreachable, 1u);
  s.Read([](const TelephonyData& d) {
    EXPECT_EQ(d.registration_checks, 4u);
    EXPECT_EQ(d.registration_successes, 2u);
    EXPECT_EQ(d.last_registration_failure, kT0 + 60 * kSec);
  });
}

TEST(TelephonyState, PhonesWithoutStatusAreNotObservations) {
  TelephonyState s;
  Phone p = MakePhone("p1", true, kT0);
  p.status.reset();
  s.ReplacePhones({p}, kT0);
  EXPECT_EQ(Site(s, "HQ").checks, 0u);
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.registration_checks, 0u); });
}

TEST(TelephonyState, SlidingWindows) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", false, kT0)}, kT0);                               // fail at t0
  s.ReplacePhones({MakePhone("p1", true, kT0 + 3600 * kSec)}, kT0 + 3600 * kSec);    // ok at +1h
  s.ReplacePhones({MakePhone("p1", true, kT0 + 7200 * kSec)}, kT0 + 7200 * kSec);    // ok at +2h
  const UnixNanos now = kT0 + 7200 * kSec + 30 * kSec;
  s.Read([&](const TelephonyData& d) {
    WindowTotals hour = d.RegistrationTotalsSince(now, 60);
    EXPECT_EQ(hour.checks, 1u);
    EXPECT_EQ(hour.failures, 0u);
    WindowTotals day = d.RegistrationTotalsSince(now, 24 * 60);
    EXPECT_EQ(day.checks, 3u);
    EXPECT_EQ(day.failures, 1u);
    // A day later, the old minutes have left both windows.
    WindowTotals later = d.RegistrationTotalsSince(now + 25 * 3600 * kSec, 24 * 60);
    EXPECT_EQ(later.checks, 0u);
  });
  // Slots are reused after 24 h without leaking old counts.
  s.ReplacePhones({MakePhone("p1", true, kT0 + 86400 * kSec)}, kT0 + 86400 * kSec);
  s.Read([&](const TelephonyData& d) {
    WindowTotals day = d.RegistrationTotalsSince(kT0 + 86400 * kSec, 24 * 60);
    EXPECT_EQ(day.checks, 3u);  // +1h, +2h, +24h; the t0 minute was overwritten/expired
    EXPECT_EQ(day.failures, 0u);
  });
}

TEST(TelephonyState, PhoneOfUserByLineAppearanceAndWebRtc) {
  TelephonyState s;
  Phone desk = MakePhone("desk", true, kT0);
  Phone soft = MakePhone("soft", false, kT0);
  soft.web_rtc_user_id = "u-soft";
  s.ReplacePhones({desk, soft}, kT0);
  Station st1;
  st1.id = "st-desk";
  st1.line_appearance_id = "l-desk";
  Station st2;
  st2.id = "st-soft";
  st2.web_rtc_user_id = "u-soft";
  s.ReplaceStations({st1, st2}, kT0);
  s.SetFollowedUsers({"u1", "u2", "u3", "u4"});
  EXPECT_TRUE(s.ApplyUserStation({"u1", "st-desk", "Desk", "inin_remote"}, kT0));
  EXPECT_TRUE(s.ApplyUserStation({"u2", "st-soft", "Soft", "inin_webrtc_softphone"}, kT0));
  EXPECT_TRUE(s.ApplyUserStation({"u3", "", "", ""}, kT0));
  EXPECT_FALSE(s.ApplyUserStation({"not-followed", "st-desk", "", ""}, kT0));
  s.Read([](const TelephonyData& d) {
    const PhoneEntry* p1 = d.PhoneOfUser("u1");
    ASSERT_NE(p1, nullptr);
    EXPECT_EQ(p1->phone.id, "desk");
    const PhoneEntry* p2 = d.PhoneOfUser("u2");
    ASSERT_NE(p2, nullptr);
    EXPECT_EQ(p2->phone.id, "soft");
    EXPECT_EQ(d.PhoneOfUser("u3"), nullptr);   // no station
    EXPECT_EQ(d.PhoneOfUser("u4"), nullptr);   // not read yet
    EXPECT_FALSE(d.users.at("u4").known);
    EXPECT_EQ(d.PhoneOfUser("nobody"), nullptr);
    // The one-pass version agrees with the per-user lookup.
    const auto all = d.PhonesOfUsers();
    EXPECT_EQ(all.size(), 2u);
    for (const auto& [user_id, u] : d.users) {
      auto it = all.find(user_id);
      EXPECT_EQ(it == all.end() ? nullptr : it->second, d.PhoneOfUser(user_id)) << user_id;
    }
  });
  // An older station answer does not overwrite a newer one.
  EXPECT_FALSE(s.ApplyUserStation({"u1", "", "", ""}, kT0 - kSec));
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.users.at("u1").station.station_id, "st-desk"); });
}

// v2.users.{id}.station carries no station type: a pushed association keeps the type a poll
// read for the same station; for another station the type comes from its entity, at once
// when it is read already, else when the stations poller reads it.
TEST(TelephonyState, APushedAssociationKeepsOrLearnsTheStationType) {
  TelephonyState s;
  Station desk;
  desk.id = "st-desk";
  desk.type = "inin_remote";
  s.ReplaceStations({desk}, kT0);
  s.SetFollowedUsers({"u1"});
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st-desk", "Desk", "inin_remote"}, kT0));      // a poll
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st-desk", "Desk", ""}, kT0 + kSec));          // a push
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.users.at("u1").station.station_type, "inin_remote"); });
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st-soft", "Soft", ""}, kT0 + 2 * kSec));      // a push, new station
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.users.at("u1").station.station_type, ""); });
  Station soft;
  soft.id = "st-soft";
  soft.type = "inin_webrtc_softphone";
  s.ReplaceStations({soft}, kT0 + 3 * kSec);
  s.Read([](const TelephonyData& d) {
    EXPECT_EQ(d.users.at("u1").station.station_type, "inin_webrtc_softphone");
    EXPECT_EQ(d.users.at("u1").station.station_id, "st-soft");
  });
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st-desk", "Desk", ""}, kT0 + 4 * kSec));      // back, desk not held
  s.ReplaceStations({desk, soft}, kT0 + 5 * kSec);
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st-soft", "Soft", ""}, kT0 + 6 * kSec));      // both held
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.users.at("u1").station.station_type, "inin_webrtc_softphone"); });
}

TEST(TelephonyState, PhoneOfUserFollowsALineThatMovesAndPushedLines) {
  TelephonyState s;
  Phone a = MakePhone("a", true, kT0);
  Phone b = MakePhone("b", true, kT0);
  s.ReplacePhones({a, b}, kT0);
  Station st;
  st.id = "st";
  st.line_appearance_id = "l-a";
  s.ReplaceStations({st}, kT0);
  s.SetFollowedUsers({"u"});
  ASSERT_TRUE(s.ApplyUserStation({"u", "st", "", ""}, kT0));
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.PhoneOfUser("u")->phone.id, "a"); });
  // The line moves to phone b in the next inventory.
  b.line_ids = {"l-b", "l-a"};
  a.line_ids = {};
  a.status->lines.clear();
  s.ReplacePhones({a, b}, kT0 + 60 * kSec);
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.PhoneOfUser("u")->phone.id, "b"); });
  // A push that names a new status line makes it findable; the old owner is verified.
  PhoneStatusUpdate push = Push("a", true, kT0 + 70 * kSec);
  push.status->lines[0].id = "l-new";
  ASSERT_TRUE(s.ApplyPhoneStatus(push, kT0 + 70 * kSec));
  Station st2 = st;
  st2.line_appearance_id = "l-new";
  s.ReplaceStations({st2}, kT0 + 80 * kSec);
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.PhoneOfUser("u")->phone.id, "a"); });
  // The phone leaves the inventory: no phone.
  s.ReplacePhones({b}, kT0 + 120 * kSec);
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.PhoneOfUser("u"), nullptr); });
}

TEST(TelephonyState, TrunkConnectedNewerWinsAndProxiesMerge) {
  TelephonyState s;
  Trunk t;
  t.id = "t1";
  t.connected = true;
  t.connected_state_time = kT0;
  ProxyState p;
  p.proxy_address = "sip.example";
  p.up = true;
  p.state_time = kT0;
  t.options = {p};
  s.ReplaceTrunks({t}, kT0);

  TrunkStatusUpdate u;
  u.trunk_id = "t1";
  u.connected = false;
  u.connected_state_time = kT0 + 10 * kSec;
  ProxyState down = p;
  down.up = false;
  down.state_time = kT0 + 10 * kSec;
  u.options = std::vector<ProxyState>{down};
  ASSERT_TRUE(s.ApplyTrunkStatus(u, kT0 + 10 * kSec));
  // A poll sent before the push carries the older state: the push stays.
  s.ReplaceTrunks({t}, kT0 + 5 * kSec);
  s.Read([](const TelephonyData& d) {
    const Trunk& held = d.trunks.at("t1").trunk;
    EXPECT_EQ(held.connected, false);
    ASSERT_EQ(held.options.size(), 1u);
    EXPECT_FALSE(held.options[0].up);
  });
  // Older trunk metrics never replace newer ones.
  TrunkMetrics m1;
  m1.trunk_id = "t1";
  m1.event_time = kT0 + 20 * kSec;
  m1.inbound_calls = 9;
  TrunkMetrics m0 = m1;
  m0.event_time = kT0;
  m0.inbound_calls = 1;
  ASSERT_TRUE(s.ApplyTrunkMetrics(m1, kT0));
  EXPECT_FALSE(s.ApplyTrunkMetrics(m0, kT0));
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.trunk_metrics.at("t1").inbound_calls, 9); });
}

TEST(TelephonyState, EdgePushAfterPollRequestWins) {
  TelephonyState s;
  Edge e;
  e.id = "e1";
  e.online_status = "ONLINE";
  s.ReplaceEdges({e}, kT0);
  ASSERT_TRUE(s.ApplyEdgeStatus({"e1", "OFFLINE"}, kT0 + 10 * kSec));
  s.ReplaceEdges({e}, kT0 + 5 * kSec);  // request sent before the push
  s.Read([](const TelephonyData& d) { EXPECT_EQ(d.edges.at("e1").edge.online_status, "OFFLINE"); });
  EXPECT_FALSE(s.ApplyEdgeStatus({"e1", "ONLINE"}, kT0 + 1 * kSec));
}

TEST(TelephonyState, VersionAndListenersOnChange) {
  TelephonyState s;
  int calls = 0;
  s.AddChangeListener([&] { ++calls; });
  const auto v0 = s.version();
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0);
  EXPECT_GT(s.version(), v0);
  EXPECT_EQ(calls, 1);
}

// What the alerts need to tell "known good" from "not known yet".
TEST(TelephonyState, CompletenessOfTrunkMetricsAndTlsTargets) {
  TelephonyState s;
  int calls = 0;
  s.AddChangeListener([&] { ++calls; });
  auto read = [&] {
    return s.Read([](const TelephonyData& d) { return std::pair(d.trunk_metrics_loaded, d.tls_targets_complete); });
  };
  EXPECT_EQ(read(), std::pair(false, false));
  s.MarkTrunkMetricsLoaded();
  s.MarkTrunkMetricsLoaded();  // no change, no listener call
  EXPECT_EQ(calls, 1);
  TlsTarget t;
  t.host = "sip.example.net";
  s.ReplaceTlsTargets({t}, /*complete=*/false);
  EXPECT_EQ(read(), std::pair(true, false));
  s.ReplaceTlsTargets({t}, /*complete=*/true);
  EXPECT_EQ(read(), std::pair(true, true));
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// Each of these writes repeats what the state holds: no new version, no listener woken.
TEST(TelephonyState, AWriteThatChangesNothingPublishesNothing) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0);
  Trunk t1;
  t1.id = "t1";
  s.ReplaceTrunks({t1}, kT0);
  Edge e1;
  e1.id = "e1";
  s.ReplaceEdges({e1}, kT0);
  TrunkMetrics m{"t1", kT0, 3, 4, 0};
  ASSERT_TRUE(s.ApplyTrunkMetrics(m, kT0));
  ASSERT_TRUE(s.ApplyEdgeMetrics({"e1", kT0, 100}, kT0));
  ASSERT_TRUE(s.ApplyPhoneStatus(Push("p1", false, kT0 + kSec), kT0 + kSec));
  TrunkBase base{"b1", "Carrier", "EXTERNAL", "tls", {"sip.example.net"}};
  s.ReplaceTrunkBases({base});
  s.SetPushed({"p1"}, {"t1"}, {});
  s.SetFollowedUsers({"u1"});
  TlsTarget tls;
  tls.host = "sip.example.net";
  s.ReplaceTlsTargets({tls}, true);
  const SiteRegistrationCounters site_before = Site(s, "HQ");

  int calls = 0;
  s.AddChangeListener([&] { ++calls; });
  const auto v0 = s.version();
  const TelephonySnapshot snap0 = s.Snapshot();
  s.ApplyTrunkMetrics(m, kT0);
  s.ApplyEdgeMetrics({"e1", kT0, 100}, kT0);
  EXPECT_TRUE(s.ApplyPhoneStatus(Push("p1", false, kT0 + kSec), kT0 + 2 * kSec));  // re-delivered
  s.ReplaceTrunkBases({base});
  s.SetPushed({"p1"}, {"t1"}, {});
  s.SetFollowedUsers({"u1"});
  s.ReplaceTlsTargets({tls}, true);
  s.MarkTrunkMetricsLoaded();
  s.MarkTrunkMetricsLoaded();
  EXPECT_EQ(s.version(), v0 + 1);  // only the first MarkTrunkMetricsLoaded was news
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Site(s, "HQ"), site_before);  // a re-delivered event is not another registration check
  // The unchanged tables are the very same ones the earlier snapshot holds.
  const TelephonySnapshot snap1 = s.Snapshot();
  EXPECT_EQ(snap1->phones.version(), snap0->phones.version());
  EXPECT_EQ(snap1->trunk_bases.version(), snap0->trunk_bases.version());
}

TEST(TelephonyState, ASnapshotHeldByAReaderNeverChanges) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0), MakePhone("p2", true, kT0)}, kT0);
  const TelephonySnapshot held = s.Snapshot();
  ASSERT_TRUE(s.ApplyPhoneStatus(Push("p1", false, kT0 + kSec), kT0 + kSec));
  s.ReplacePhones({MakePhone("p2", true, kT0)}, kT0 + 2 * kSec);
  // The writes above went through while `held` was alive (no reader lock to wait for).
  EXPECT_TRUE(PhoneRegistered(held->phones.at("p1").phone));
  EXPECT_EQ(held->phones.size(), 2u);
  const TelephonySnapshot now = s.Snapshot();
  EXPECT_EQ(now->phones.size(), 1u);
  EXPECT_GT(now->version, held->version);
  EXPECT_GT(now->phones.version(), held->phones.version());
}

TEST(TelephonyState, OneBatchPublishesOneSnapshot) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0), MakePhone("p2", true, kT0)}, kT0);
  int calls = 0;
  s.AddChangeListener([&] { ++calls; });
  const auto v0 = s.version();
  const int applied = s.Write([&](TelephonyWriter& w) {
    return int(w.ApplyPhoneStatus(Push("p1", false, kT0 + kSec), kT0 + kSec)) +
           int(w.ApplyPhoneStatus(Push("p2", false, kT0 + kSec), kT0 + kSec)) +
           int(w.ApplyPhoneStatus(Push("ghost", false, kT0 + kSec), kT0 + kSec));
  });
  EXPECT_EQ(applied, 2);
  EXPECT_EQ(s.version(), v0 + 1);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(Registered(s, "p1"));
  EXPECT_FALSE(Registered(s, "p2"));
}

// The phones table iterates in phone-id order (renderers need no sort per scrape).
TEST(TelephonyState, PhonesIterateInIdOrder) {
  TelephonyState s;
  std::vector<Phone> phones;
  for (const char* id : {"p9", "p1", "p5", "p3"}) phones.push_back(MakePhone(id, true, kT0));
  s.ReplacePhones(phones, kT0);
  std::vector<std::string> ids;
  for (const auto& [id, e] : s.Snapshot()->phones) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<std::string>{"p1", "p3", "p5", "p9"}));
}

// observed_at decides between a poll answer and a push of trunk or edge metrics without event times.
TEST(TelephonyState, MetricsHonourObservedAt) {
  TelephonyState s;
  Trunk t1;
  t1.id = "t1";
  s.ReplaceTrunks({t1}, kT0);
  ASSERT_TRUE(s.ApplyTrunkMetrics({"t1", std::nullopt, 7, 0, 0}, kT0 + 10 * kSec));  // pushed
  EXPECT_FALSE(s.ApplyTrunkMetrics({"t1", std::nullopt, 1, 0, 0}, kT0 + 5 * kSec));  // polled, sent earlier
  EXPECT_EQ(s.Snapshot()->trunk_metrics.at("t1").inbound_calls, 7);
  Edge e1;
  e1.id = "e1";
  s.ReplaceEdges({e1}, kT0);
  ASSERT_TRUE(s.ApplyEdgeMetrics({"e1", std::nullopt, 500}, kT0 + 10 * kSec));
  EXPECT_FALSE(s.ApplyEdgeMetrics({"e1", std::nullopt, 100}, kT0 + 5 * kSec));
  EXPECT_EQ(s.Snapshot()->edge_metrics.at("e1").uptime_ms, 500);
}

// A listing merged page by page: each page is in the state as it arrives, and only the sweep
// at the end of a complete listing removes what no page named and counts the inventory loaded.
TEST(TelephonyState, AListingMergedPageByPageRemovesOnlyWhenSwept) {
  TelephonyState s;
  s.ReplacePhones({MakePhone("p1", true, kT0), MakePhone("p2", true, kT0), MakePhone("p3", true, kT0)}, kT0);
  const UnixNanos at = kT0 + 60 * kSec;
  ListingMarks marks;
  s.Write([&](TelephonyWriter& w) { w.UpsertPhones({MakePhone("p1", false, at), MakePhone("p4", true, at)}, at, marks); });
  // The page is in: p1's new status and p4; p2 and p3 are not named yet and stay.
  EXPECT_FALSE(Registered(s, "p1"));
  EXPECT_EQ(s.Snapshot()->phones.size(), 4u);
  s.Write([&](TelephonyWriter& w) { w.UpsertPhones({MakePhone("p3", true, at)}, at, marks); });
  EXPECT_EQ(s.Snapshot()->phones.size(), 4u) << "nothing leaves before the sweep";
  s.Write([&](TelephonyWriter& w) { w.SweepPhones(marks); });
  std::vector<std::string> ids;
  for (const auto& [id, e] : s.Snapshot()->phones) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<std::string>{"p1", "p3", "p4"}));
}

TEST(TelephonyState, AListingThatIsNeverSweptRemovesNothingAndLoadsNothing) {
  TelephonyState s;
  ListingMarks first;
  s.Write([&](TelephonyWriter& w) { w.UpsertPhones({MakePhone("p1", true, kT0)}, kT0, first); });
  EXPECT_FALSE(s.Snapshot()->phones_loaded) << "a first listing that failed after page 1";
  EXPECT_EQ(s.Snapshot()->phones.size(), 1u);
  s.ReplacePhones({MakePhone("p1", true, kT0), MakePhone("p2", true, kT0)}, kT0);
  ASSERT_TRUE(s.Snapshot()->phones_loaded);
  ListingMarks failed;  // names p2 only, then fails
  s.Write([&](TelephonyWriter& w) { w.UpsertPhones({MakePhone("p2", true, kT0)}, kT0 + kSec, failed); });
  EXPECT_EQ(s.Snapshot()->phones.size(), 2u);
}

// An org changing while it is paged shows a phone on two pages: the later copy is kept, and
// the listing counts it as one registration check.
TEST(TelephonyState, APhoneOnTwoPagesKeepsTheLaterCopyAndCountsOnce) {
  TelephonyState s;
  ListingMarks marks;
  Phone later = MakePhone("p1", true, kT0);
  later.name = "Renamed";
  s.Write([&](TelephonyWriter& w) {
    w.UpsertPhones({MakePhone("p1", true, kT0)}, kT0, marks);
    w.UpsertPhones({later, MakePhone("p2", true, kT0)}, kT0, marks);
    w.SweepPhones(marks);
  });
  EXPECT_EQ(s.Snapshot()->phones.at("p1").phone.name, "Renamed");
  EXPECT_EQ(Site(s, "HQ").checks, 2u);
  EXPECT_EQ(s.Snapshot()->registration_checks, 2u);
}

// A phone that first appears on a page is found for its user before the sweep rebuilds the index.
TEST(TelephonyState, APhoneUpsertedBeforeTheSweepIsFoundByItsLine) {
  TelephonyState s;
  s.SetFollowedUsers({"u1"});
  Station st;
  st.id = "st1";
  st.line_appearance_id = "l-p2";
  s.ReplaceStations({st}, kT0);
  ASSERT_TRUE(s.ApplyUserStation({"u1", "st1", "Station 1", ""}, kT0));
  s.ReplacePhones({MakePhone("p1", true, kT0)}, kT0);
  const auto links = s.Snapshot()->phone_links_version;
  ListingMarks marks;
  s.Write([&](TelephonyWriter& w) { w.UpsertPhones({MakePhone("p2", true, kT0 + kSec)}, kT0 + kSec, marks); });
  const TelephonySnapshot mid = s.Snapshot();
  ASSERT_NE(mid->PhoneOfUser("u1"), nullptr);
  EXPECT_EQ(mid->PhoneOfUser("u1")->phone.id, "p2");
  EXPECT_GT(mid->phone_links_version, links);
  s.Write([&](TelephonyWriter& w) { w.SweepPhones(marks); });
  ASSERT_NE(s.Snapshot()->PhoneOfUser("u1"), nullptr);
  EXPECT_EQ(s.Snapshot()->PhoneOfUser("u1")->phone.id, "p2");
}

// Entities that merge to what is held stay the very nodes the snapshots share.
TEST(TelephonyState, AnUnchangedPageKeepsItsEntries) {
  TelephonyState s;
  s.ReplaceEdges({WithId<Edge>("e1"), WithId<Edge>("e2")}, kT0);
  const TelephonySnapshot before = s.Snapshot();
  ListingMarks marks;
  s.Write([&](TelephonyWriter& w) {
    w.UpsertEdges({WithId<Edge>("e1"), WithId<Edge>("e2")}, kT0, marks);  // the same answer, observed at the same time
    w.SweepEdges(marks);
  });
  EXPECT_EQ(s.Snapshot()->edges.version(), before->edges.version());
  EXPECT_EQ(s.Snapshot()->edges.FindNode("e1"), before->edges.FindNode("e1"));
}

// A trunk or edge the sweep removes takes its metrics with it; a listing not swept keeps them.
TEST(TelephonyState, TheSweepRemovesTheMetricsOfWhatLeft) {
  TelephonyState s;
  s.ReplaceTrunks({WithId<Trunk>("t1"), WithId<Trunk>("t2")}, kT0);
  ASSERT_TRUE(s.ApplyTrunkMetrics({"t1", std::nullopt, 1, 0, 0}, kT0));
  ASSERT_TRUE(s.ApplyTrunkMetrics({"t2", std::nullopt, 2, 0, 0}, kT0));
  ListingMarks marks;
  s.Write([&](TelephonyWriter& w) { w.UpsertTrunks({WithId<Trunk>("t2")}, kT0 + kSec, marks); });
  EXPECT_EQ(s.Snapshot()->trunk_metrics.size(), 2u);
  s.Write([&](TelephonyWriter& w) { w.SweepTrunks(marks); });
  EXPECT_EQ(s.Snapshot()->trunks.size(), 1u);
  EXPECT_EQ(s.Snapshot()->trunk_metrics.size(), 1u);
  EXPECT_TRUE(s.Snapshot()->trunk_metrics.contains("t2"));
}

}  // namespace
}  // namespace gx
