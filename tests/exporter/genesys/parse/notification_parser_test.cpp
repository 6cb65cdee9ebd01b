#include "exporter/genesys/parse/notification_parser.h"

#include <gtest/gtest.h>

#include "exporter/util/iso_time.h"
#include "tests/exporter/genesys/parse/fixture.h"

namespace gx {
namespace {

UnixNanos T(const char* iso) { return *ParseIsoTime(iso); }

NotificationFrame Parse(const std::string& fixture) {
  NotificationFrame n;
  Status st = ParseNotification(testing::ReadFixture("notifications/" + fixture), n);
  EXPECT_TRUE(st.ok()) << fixture << ": " << st.error();
  return n;
}

TEST(NotificationParser, PhoneStatus) {
  NotificationFrame n = Parse("phone.json");
  EXPECT_EQ(n.topic_kind, "phone");
  EXPECT_EQ(n.correlation_id, "2b5d4a8c-1e9f-4c3b-8a7d-6e5f4d3c2b1a");
  const auto* u = std::get_if<PhoneStatusUpdate>(&n.event);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->phone_id, "9e4b2c1a-0f6d-4c1e-9b7a-2d3f4e5a6b01");
  ASSERT_TRUE(u->status.has_value());
  EXPECT_EQ(u->status->operational_status, "OFFLINE");
  EXPECT_EQ(u->status->edges_status, "");  // topic bodies carry none
  EXPECT_EQ(u->status->event_creation_time, T("2026-05-01T10:10:00Z") + 987654321);
  ASSERT_EQ(u->status->lines.size(), 1u);
  EXPECT_FALSE(u->status->lines[0].reachable);
  EXPECT_FALSE(u->secondary_status.has_value());
}

TEST(NotificationParser, TrunkStatusOnlyCarriesWhatWasSent) {
  NotificationFrame n = Parse("trunk.json");
  EXPECT_EQ(n.topic_kind, "trunk");
  const auto* u = std::get_if<TrunkStatusUpdate>(&n.event);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->trunk_id, "t-carrier-a");
  EXPECT_EQ(u->connected, true);
  EXPECT_EQ(u->connected_state_time, T("2026-05-10T08:10:00Z"));
  ASSERT_TRUE(u->options.has_value());
  ASSERT_EQ(u->options->size(), 1u);
  EXPECT_TRUE((*u->options)[0].up);
  EXPECT_FALSE(u->registers.has_value());  // absent: leave held registers alone
  EXPECT_EQ(u->ip_address, "203.0.113.11");
}

TEST(NotificationParser, TrunkMetricsTakeTheIdFromTheTopic) {
  NotificationFrame n = Parse("trunk_metrics.json");
  EXPECT_EQ(n.topic_kind, "trunk_metrics");
  const auto* m = std::get_if<TrunkMetrics>(&n.event);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->trunk_id, "t-carrier-a");
  EXPECT_EQ(m->inbound_calls, 7);
  EXPECT_EQ(m->outbound_calls, 1);
  EXPECT_EQ(m->qos_mismatches, 2);
  EXPECT_EQ(m->event_time, T("2026-05-10T08:10:30Z") + 500000000);
}

TEST(NotificationParser, EdgeAndEdgeMetrics) {
  NotificationFrame n = Parse("edge.json");
  EXPECT_EQ(n.topic_kind, "edge");
  const auto* e = std::get_if<EdgeStatusUpdate>(&n.event);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->edge_id, "e-0002");
  EXPECT_EQ(e->online_status, "ONLINE");

  n = Parse("edge_metrics.json");
  EXPECT_EQ(n.topic_kind, "edge_metrics");
  const auto* m = std::get_if<EdgeMetrics>(&n.event);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->edge_id, "e-0001");
  EXPECT_EQ(m->uptime_ms, 864060000);
}

TEST(NotificationParser, UserStation) {
  NotificationFrame n = Parse("station.json");
  EXPECT_EQ(n.topic_kind, "station");
  const auto* s = std::get_if<UserStation>(&n.event);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->user_id, "u-0001");
  EXPECT_EQ(s->station_id, "st-0002");
  EXPECT_EQ(s->station_name, "WebRTC Ada");

  n = Parse("station_disassociated.json");
  s = std::get_if<UserStation>(&n.event);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->user_id, "u-0001");
  EXPECT_EQ(s->station_id, "");
}

TEST(NotificationParser, HeartbeatPongAndSystem) {
  NotificationFrame n = Parse("heartbeat.json");
  EXPECT_EQ(n.topic_kind, "heartbeat");
  EXPECT_TRUE(std::holds_alternative<HeartbeatEvent>(n.event));
  n = Parse("pong.json");
  EXPECT_EQ(n.topic_kind, "heartbeat");
  EXPECT_TRUE(std::holds_alternative<PongEvent>(n.event));
  n = Parse("socket_closing.json");
  EXPECT_EQ(n.topic_kind, "system");
  EXPECT_TRUE(std::holds_alternative<SocketClosingEvent>(n.event));

  n = Parse("no_longer_subscribed.json");
  EXPECT_EQ(n.topic_kind, "system");
  const auto* sys = std::get_if<SystemEvent>(&n.event);
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ(sys->system_topic_type, "no_longer_subscribed");
  EXPECT_EQ(sys->reason, "another_channel_subscribed");
  EXPECT_EQ(sys->channel_id, "streaming-0-fmtdmf8cdis7jh14udg5p89t6z");

  n = Parse("token_revoked_no_type.json");
  sys = std::get_if<SystemEvent>(&n.event);
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ(sys->system_topic_type, "token_revoked");  // from the topic name
  EXPECT_EQ(sys->reason, "user_tokens_revoked");
}

TEST(NotificationParser, UnknownTopicsAreOther) {
  NotificationFrame n = Parse("logical_interfaces.json");
  EXPECT_EQ(n.topic_kind, "other");
  const auto* u = std::get_if<UnknownTopicEvent>(&n.event);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->topic, "v2.telephony.providers.edges.e-0001.logicalinterfaces");

  NotificationFrame m;
  ASSERT_TRUE(ParseNotification(R"({"topicName":"v2.users.u-1.presence","eventBody":{}})", m).ok());
  EXPECT_EQ(m.topic_kind, "other");
  ASSERT_TRUE(ParseNotification(R"({"topicName":"v2.users..station","eventBody":{}})", m).ok());
  EXPECT_EQ(m.topic_kind, "other");
  ASSERT_TRUE(ParseNotification(R"({"topicName":"v2.telephony.providers.edges.phones.","eventBody":{}})", m).ok());
  EXPECT_EQ(m.topic_kind, "other");
}

TEST(NotificationParser, MalformedFramesAreErrors) {
  NotificationFrame n;
  EXPECT_FALSE(ParseNotification(testing::ReadFixture("notifications/phone_without_body.json"), n).ok());
  EXPECT_FALSE(ParseNotification("", n).ok());
  EXPECT_FALSE(ParseNotification("ping", n).ok());
  EXPECT_FALSE(ParseNotification("[]", n).ok());
  EXPECT_FALSE(ParseNotification(R"({"eventBody":{}})", n).ok());  // no topicName
  EXPECT_FALSE(ParseNotification(R"({"topicName":"v2.telephony.providers.edges.trunks.t.metrics","eventBody":{"calls":)", n).ok());
  std::string big(17u << 20, ' ');
  big.front() = '{';
  big.back() = '}';
  Status st = ParseNotification(big, n);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().find("exceeds"), std::string::npos);
}

}  // namespace
}  // namespace gx
