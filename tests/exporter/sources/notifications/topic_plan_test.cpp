#include "exporter/sources/notifications/topic_plan.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace gx {
namespace {

void AddPhone(TelephonyData& d, const std::string& id, const std::string& line = "") {
  PhoneEntry e;
  e.phone.id = id;
  if (!line.empty()) e.phone.line_ids.push_back(line);
  d.phones.Put(id, e);
}

TelephonyData Org(int phones, int trunks, int edges) {
  TelephonyData d;
  char buf[32];
  for (int i = 0; i < phones; ++i) {
    std::snprintf(buf, sizeof buf, "p%05d", i);
    AddPhone(d, buf);
  }
  for (int i = 0; i < trunks; ++i) {
    std::snprintf(buf, sizeof buf, "t%03d", i);
    TrunkEntry t;
    t.trunk.id = buf;
    d.trunks.Put(buf, t);
  }
  for (int i = 0; i < edges; ++i) {
    std::snprintf(buf, sizeof buf, "e%03d", i);
    EdgeEntry e;
    e.edge.id = buf;
    d.edges.Put(buf, e);
  }
  return d;
}

// User u1, known, with station st1 on `line`.
void FollowUserOnLine(TelephonyData& d, const std::string& line) {
  StationEntry st;
  st.station.id = "st1";
  st.station.line_appearance_id = line;
  d.stations.Put("st1", st);
  UserEntry u;
  u.station.user_id = "u1";
  u.station.station_id = "st1";
  u.known = true;
  d.users.Put("u1", u);
}

std::vector<std::string> All(const TopicPlan& p) {
  std::vector<std::string> out;
  for (const auto& c : p.channels) out.insert(out.end(), c.begin(), c.end());
  return out;
}

TEST(TopicPlanTest, TopicNamesFollowTheApi) {
  EXPECT_EQ(PhoneTopic("a"), "v2.telephony.providers.edges.phones.a");
  EXPECT_EQ(TrunkTopic("a"), "v2.telephony.providers.edges.trunks.a");
  EXPECT_EQ(TrunkMetricsTopic("a"), "v2.telephony.providers.edges.trunks.a.metrics");
  EXPECT_EQ(EdgeTopic("a"), "v2.telephony.providers.edges.a");
  EXPECT_EQ(EdgeMetricsTopic("a"), "v2.telephony.providers.edges.a.metrics");
  EXPECT_EQ(UserStationTopic("u"), "v2.users.u.station");
}

TEST(TopicPlanTest, EmptyInventoryPlansNoChannel) {
  TelephonyData d;
  const auto plan = PlanTopics(d, {}, TopicBudget{});
  EXPECT_TRUE(plan.channels.empty());
  EXPECT_EQ(plan.polled_phones, 0u);
}

TEST(TopicPlanTest, ThousandAndOneTopicsNeedTwoChannels) {
  // 1 trunk (2 topics) + 1 edge (1 + metrics) + 997 phones = 1,001 topics.
  auto d = Org(997, 1, 1);
  const auto plan = PlanTopics(d, {}, TopicBudget{});
  ASSERT_EQ(plan.channels.size(), 2u);
  EXPECT_EQ(plan.channels[0].size(), 1000u);
  EXPECT_EQ(plan.channels[1].size(), 1u);
  EXPECT_EQ(plan.topic_count(), 1001u);
  EXPECT_EQ(plan.pushed_phones.size(), 997u);
  EXPECT_EQ(plan.polled_phones, 0u);
}

TEST(TopicPlanTest, TrunksAndEdgesComeBeforePhones) {
  auto d = Org(50, 3, 2);
  TopicBudget b;
  b.total = 10;  // 3 trunks x 2 + 2 edges + 2 edge metrics = 10: no phone fits
  const auto plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.pushed_trunks.size(), 3u);
  EXPECT_EQ(plan.pushed_edges.size(), 2u);
  EXPECT_TRUE(plan.pushed_phones.empty());
  EXPECT_EQ(plan.polled_phones, 50u);
  const auto topics = All(plan);
  EXPECT_EQ(topics.front(), TrunkTopic("t000"));
  EXPECT_NE(std::find(topics.begin(), topics.end(), EdgeMetricsTopic("e001")), topics.end());
}

TEST(TopicPlanTest, EdgeMetricsOnlyWhenTheBudgetAllows) {
  auto d = Org(0, 0, 3);
  TopicBudget b;
  b.total = 4;  // three edge statuses, then one metrics topic
  auto plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.pushed_edges.size(), 3u);
  EXPECT_EQ(plan.topic_count(), 4u);
  b.edge_metrics = false;
  b.total = 100;
  plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.topic_count(), 3u);
}

TEST(TopicPlanTest, BudgetSmallerThanPhonesLeavesTheRestPolled) {
  auto d = Org(100, 0, 0);
  TopicBudget b;
  b.total = 40;
  const auto plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.pushed_phones.size(), 40u);
  EXPECT_EQ(plan.polled_phones, 60u);
  EXPECT_EQ(plan.dropped_topics, 60u);
}

TEST(TopicPlanTest, FollowedUsersStationsAndPhonesComeBeforeOtherPhones) {
  auto d = Org(10, 0, 0);
  AddPhone(d, "zz-user-phone", "line-9");
  FollowUserOnLine(d, "line-9");
  TopicBudget b;
  b.total = 3;  // the station topic, the user's phone, one more phone
  const auto plan = PlanTopics(d, {"u1"}, b);
  const auto topics = All(plan);
  ASSERT_EQ(topics.size(), 3u);
  EXPECT_EQ(topics[0], UserStationTopic("u1"));
  EXPECT_EQ(topics[1], PhoneTopic("zz-user-phone"));
  EXPECT_EQ(topics[2], PhoneTopic("p00000"));
  EXPECT_EQ(plan.station_users, std::vector<std::string>{"u1"});
  EXPECT_EQ(plan.polled_phones, 9u);
}

TEST(TopicPlanTest, ChannelLimitKeepsOneSlotFreeForRollover) {
  auto d = Org(5000, 0, 0);
  TopicBudget b;
  b.per_channel = 1000;
  b.max_channels = 3;  // 2 usable: the third is for make-before-break
  const auto plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.channels.size(), 2u);
  EXPECT_EQ(plan.pushed_phones.size(), 2000u);
  EXPECT_EQ(plan.polled_phones, 3000u);
}

TEST(TopicPlanTest, TrunkTopicsStayTogether) {
  auto d = Org(0, 2, 0);
  TopicBudget b;
  b.total = 3;  // trunk 0 (2 topics) fits, trunk 1 would be split: it is left out
  const auto plan = PlanTopics(d, {}, b);
  EXPECT_EQ(plan.pushed_trunks, std::vector<std::string>{"t000"});
  EXPECT_EQ(plan.topic_count(), 2u);
}

TEST(TopicPlanTest, DeterministicForTheSameInventory) {
  auto d = Org(300, 5, 2);
  TopicBudget b;
  b.per_channel = 50;
  const auto a = PlanTopics(d, {}, b);
  const auto c = PlanTopics(d, {}, b);
  EXPECT_EQ(a.channels, c.channels);
}

TEST(TopicPlanTest, SourcesForTopics) {
  const auto c = SourcesForTopics({PhoneTopic("p"), TrunkTopic("t"), TrunkMetricsTopic("t"), EdgeTopic("e"),
                                      EdgeMetricsTopic("e"), UserStationTopic("u")});
  EXPECT_EQ(c, (std::vector<std::string>{"edge_metrics", "edges", "phones", "stations", "trunk_metrics", "trunks"}));
  EXPECT_TRUE(SourcesForTopics({"v2.system.socket_closing"}).empty());
}

}  // namespace
}  // namespace gx

namespace gx {
namespace {

// 5,000 phones (five channels), user u1's station on the line of phone `phone`.
TelephonyData OrgWithStationOn(const std::string& phone) {
  TelephonyData d = Org(0, 0, 0);
  char buf[32];
  for (int i = 0; i < 5000; ++i) {
    std::snprintf(buf, sizeof buf, "p%05d", i);
    AddPhone(d, buf, std::string("line-") + buf);
  }
  FollowUserOnLine(d, "line-" + phone);
  return d;
}

std::size_t ChannelsDiffering(const std::vector<std::vector<std::string>>& a,
                              const std::vector<std::vector<std::string>>& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    n += i >= a.size() || i >= b.size() || a[i] != b[i];
  }
  return n;
}

// Issue 13: a station moving to another phone moved that phone's topic up a band, so that
// packing afresh shifted every later channel by one and re-subscribed them all.
TEST(KeepChannelsTest, AStationMovingToAnotherPhoneResubscribesNoChannel) {
  TopicBudget b;
  b.total = 5001;
  const auto before = PlanTopics(OrgWithStationOn("p04000"), {"u1"}, b);
  const auto after = PlanTopics(OrgWithStationOn("p00100"), {"u1"}, b);
  ASSERT_EQ(before.channels.size(), 6u);
  ASSERT_EQ(ChannelsDiffering(before.channels, after.channels), 5u) << "packed afresh, the shift moves five";
  const auto kept = KeepChannels(before.channels, after.channels, 1000);
  EXPECT_EQ(kept, before.channels) << "the same topics: nothing to re-subscribe";
}

TEST(KeepChannelsTest, TopicsStayWhereTheyAreAndNewOnesFillTheGapsFirst) {
  const std::vector<std::vector<std::string>> held = {{"a", "b", "c"}, {"d", "e", "f"}, {"g"}};
  // b and e are gone; x, y and z are new; the plan's own packing order is irrelevant.
  const std::vector<std::vector<std::string>> planned = {{"x", "a", "c"}, {"d", "y", "f"}, {"g", "z"}};
  const auto kept = KeepChannels(held, planned, 3);
  EXPECT_EQ(kept, (std::vector<std::vector<std::string>>{{"a", "c", "x"}, {"d", "f", "y"}, {"g", "z"}}));
  EXPECT_EQ(ChannelsDiffering(held, kept), 3u);  // each channel lost or gained one
  // More new topics than free places: a new channel, never an overfull one.
  const auto grown = KeepChannels(held, {{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}}, 3);
  EXPECT_EQ(grown, (std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"d", "e", "f"}, {"g", "h", "i"}, {"j"}}));
  // Channels emptied at the end are dropped; an emptied one in the middle stays (its
  // neighbours keep their places) until new topics fill it.
  EXPECT_EQ(KeepChannels(held, {{"a", "b", "c"}}, 3), (std::vector<std::vector<std::string>>{{"a", "b", "c"}}));
  EXPECT_EQ(KeepChannels(held, {{"a", "g"}}, 3), (std::vector<std::vector<std::string>>{{"a"}, {}, {"g"}}));
  EXPECT_TRUE(KeepChannels(held, {}, 3).empty());
  EXPECT_EQ(KeepChannels({}, planned, 3), (std::vector<std::vector<std::string>>{{"x", "a", "c"}, {"d", "y", "f"}, {"g", "z"}}));
}

}  // namespace
}  // namespace gx
