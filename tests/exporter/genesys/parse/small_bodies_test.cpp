#include <gtest/gtest.h>

#include <limits>

#include "exporter/genesys/parse/api_parsers.h"
#include "exporter/util/iso_time.h"
#include "tests/exporter/genesys/parse/fixture.h"

namespace gx {
namespace {

using testing::ReadFixture;

UnixNanos T(const char* iso) { return *ParseIsoTime(iso); }

TEST(TrunkMetricsParser, ReadsArrayWithNullsAndIntegralDoubles) {
  std::vector<TrunkMetrics> out;
  Status st = ParseTrunkMetricsArray(ReadFixture("trunk_metrics.json"), out);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].trunk_id, "t-carrier-a");
  EXPECT_EQ(out[0].event_time, T("2026-05-10T08:05:00Z") + 123456000);
  EXPECT_EQ(out[0].inbound_calls, 3);
  EXPECT_EQ(out[0].outbound_calls, 5);
  EXPECT_EQ(out[0].qos_mismatches, 0);
  EXPECT_FALSE(out[1].inbound_calls.has_value());
  EXPECT_EQ(out[1].qos_mismatches, 17);
  EXPECT_FALSE(out[2].event_time.has_value());
  EXPECT_EQ(out[2].inbound_calls, 2);
  EXPECT_FALSE(out[2].outbound_calls.has_value());
  EXPECT_FALSE(out[2].qos_mismatches.has_value());
}

TEST(TrunkMetricsParser, RejectsWrongShapes) {
  std::vector<TrunkMetrics> out;
  EXPECT_TRUE(ParseTrunkMetricsArray("[]", out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(ParseTrunkMetricsArray("{}", out).ok());
  EXPECT_FALSE(ParseTrunkMetricsArray("[{\"calls\":{}}]", out).ok());  // no trunk id
  EXPECT_FALSE(ParseTrunkMetricsArray("[{\"trunk\":{\"id\":\"t\"}}", out).ok());  // truncated
  EXPECT_FALSE(ParseTrunkMetricsArray("[42]", out).ok());
}

TEST(EdgeMetricsParser, ReadsUptime) {
  std::vector<EdgeMetrics> out;
  Status st = ParseEdgeMetricsArray(ReadFixture("edge_metrics.json"), out);
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].edge_id, "e-0001");
  EXPECT_EQ(out[0].uptime_ms, 864000123);
  EXPECT_EQ(out[0].event_time, T("2026-05-10T08:05:00Z") + 9);
  EXPECT_FALSE(out[1].uptime_ms.has_value());
}

TEST(UserStationParser, AssociatedAndNone) {
  UserStation s;
  ASSERT_TRUE(ParseUserStation(ReadFixture("user_station_associated.json"), "u-0001", s).ok());
  EXPECT_EQ(s.user_id, "u-0001");
  EXPECT_EQ(s.station_id, "st-0001");
  EXPECT_EQ(s.station_name, "Desk 101_1");
  EXPECT_EQ(s.station_type, "inin_remote");
  ASSERT_TRUE(ParseUserStation(ReadFixture("user_station_none.json"), "u-0001", s).ok());
  EXPECT_EQ(s.station_id, "");  // lastAssociatedStation does not count
  EXPECT_EQ(s.station_name, "");
  ASSERT_TRUE(ParseUserStation("{}", "u-2", s).ok());
  EXPECT_EQ(s.user_id, "u-2");
  EXPECT_EQ(s.station_id, "");
  EXPECT_FALSE(ParseUserStation("{\"associatedStation\":", "u-2", s).ok());
  EXPECT_FALSE(ParseUserStation("[]", "u-2", s).ok());
}

TEST(OAuthParser, TokenAndErrors) {
  OAuthToken tok;
  ASSERT_TRUE(ParseOAuthToken(ReadFixture("oauth_token.json"), tok).ok());
  EXPECT_EQ(tok.token_type, "bearer");
  EXPECT_EQ(tok.expires_in, 86399);
  EXPECT_FALSE(tok.access_token.empty());
  EXPECT_FALSE(ParseOAuthToken("{\"token_type\":\"bearer\",\"expires_in\":10}", tok).ok());
  EXPECT_FALSE(ParseOAuthToken("{\"access_token\":\"a\",\"expires_in\":null}", tok).ok());
  Status st = ParseOAuthToken("{\"access_token\":\"very-secret\",\"expires_in\":\"soon\"}", tok);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().find("very-secret"), std::string::npos);

  ApiErrorBody err;
  ASSERT_TRUE(ParseApiErrorBody(ReadFixture("oauth_error.json"), err).ok());
  EXPECT_EQ(err.error, "invalid_client");
  EXPECT_EQ(err.error_description, "client not found");
  EXPECT_FALSE(err.status.has_value());
}

TEST(ApiErrorParser, ErrorBodyAndGarbage) {
  ApiErrorBody err;
  ASSERT_TRUE(ParseApiErrorBody(ReadFixture("api_error_429.json"), err).ok());
  EXPECT_EQ(err.code, "too.many.requests.retry.after");
  EXPECT_EQ(err.status, 429);
  EXPECT_NE(err.message.find("Rate limit"), std::string::npos);
  EXPECT_FALSE(ParseApiErrorBody("<html>502 Bad Gateway</html>", err).ok());
  EXPECT_EQ(err.code, "");
  // Only `description`: used as error_description.
  ASSERT_TRUE(ParseApiErrorBody("{\"error\":\"invalid_grant\",\"description\":\"bad\"}", err).ok());
  EXPECT_EQ(err.error_description, "bad");
}

TEST(ChannelParser, ChannelAndSubscriptions) {
  Channel ch;
  ASSERT_TRUE(ParseChannel(ReadFixture("channel.json"), ch).ok());
  EXPECT_EQ(ch.id, "streaming-0-fmtdmf8cdis7jh14udg5p89t6z");
  EXPECT_EQ(ch.connect_uri, "wss://streaming.mypurecloud.com/channels/streaming-0-fmtdmf8cdis7jh14udg5p89t6z");
  EXPECT_EQ(ch.expires, T("2026-05-16T10:00:00Z"));
  EXPECT_FALSE(ParseChannel("{\"id\":\"x\"}", ch).ok());

  // Hostile channels: times past 2262 saturate, unreadable ones are absent, and the id
  // (which goes into request paths) must be a plain token.
  const std::string uri = R"("connectUri":"wss://s.example/channels/c1")";
  ASSERT_TRUE(ParseChannel(R"({"id":"c1",)" + uri + R"(,"expires":"9999-12-31T23:59:59Z"})", ch).ok());
  EXPECT_EQ(ch.expires, std::numeric_limits<UnixNanos>::max());
  ASSERT_TRUE(ParseChannel(R"({"id":"c1",)" + uri + R"(,"expires":"tomorrow"})", ch).ok());
  EXPECT_EQ(ch.expires, std::nullopt);
  for (const char* id : {"../x", "a/b", "a?b=c", "a b", "a%2F"}) {
    EXPECT_FALSE(ParseChannel(std::string(R"({"id":")") + id + R"(",)" + uri + "}", ch).ok()) << id;
  }
  EXPECT_FALSE(ParseChannel(R"({"id":")" + std::string(257, 'a') + R"(",)" + uri + "}", ch).ok());
  EXPECT_FALSE(
      ParseChannel(R"({"id":"c1","connectUri":"wss://s.example/)" + std::string(2048, 'a') + R"("})", ch).ok());

  std::vector<TopicSubscription> subs;
  ASSERT_TRUE(ParseSubscriptions(ReadFixture("subscriptions.json"), subs).ok());
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].state, "Permitted");
  EXPECT_EQ(subs[1].state, "Rejected");
  EXPECT_EQ(subs[1].rejection_reason, "Missing permissions");
  EXPECT_EQ(subs[1].missing_permissions, std::vector<std::string>{"telephony:otherStationAssociation:view"});
  EXPECT_EQ(subs[2].state, "");
  ASSERT_TRUE(ParseSubscriptions("{\"entities\":[]}", subs).ok());
  EXPECT_TRUE(subs.empty());
  EXPECT_FALSE(ParseSubscriptions("{\"entities\":[", subs).ok());
}

}  // namespace
}  // namespace gx
