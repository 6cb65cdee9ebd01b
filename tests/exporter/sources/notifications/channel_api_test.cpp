#include "exporter/sources/notifications/channel_api.h"

#include <gtest/gtest.h>

#include <deque>

namespace gx {
namespace {

// Records each request and answers from a queue (one answer per request).
class ScriptedApi final : public ApiClient {
 public:
  struct Request {
    std::string method, path, body, endpoint;
  };
  ApiResponse Get(const std::string& path, const std::string& endpoint) override {
    return Send("GET", path, "", endpoint);
  }
  ApiResponse Send(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& endpoint) override {
    requests.push_back({method, path, body, endpoint});
    if (answers.empty()) return {0, "", "no answer scripted", ""};
    ApiResponse r = answers.front();
    answers.pop_front();
    return r;
  }
  void Answer(int status, std::string body, std::string error = "") {
    answers.push_back({status, std::move(body), std::move(error), ""});
  }
  std::vector<Request> requests;
  std::deque<ApiResponse> answers;
};

class ChannelApiTest : public ::testing::Test {
 protected:
  ScriptedApi api;
  ChannelApi channels{api};
};

TEST_F(ChannelApiTest, CreatePostsAndParsesTheChannel) {
  api.Answer(200, R"({"id":"streaming-0-abc","connectUri":"wss://streaming.example/channels/streaming-0-abc",)"
                  R"("expires":"2026-05-15T10:00:00Z"})");
  const Result<Channel> created = channels.Create();
  ASSERT_TRUE(created.ok()) << created.error();
  const Channel& c = *created;
  EXPECT_EQ(c.id, "streaming-0-abc");
  EXPECT_EQ(c.connect_uri, "wss://streaming.example/channels/streaming-0-abc");
  EXPECT_TRUE(c.expires.has_value());
  ASSERT_EQ(api.requests.size(), 1u);
  EXPECT_EQ(api.requests[0].method, "POST");
  EXPECT_EQ(api.requests[0].path, "/api/v2/notifications/channels");
  EXPECT_EQ(api.requests[0].endpoint, "/api/v2/notifications/channels");
  EXPECT_EQ(api.requests[0].body, "");
}

TEST_F(ChannelApiTest, CreateSaysWhatFailed) {
  api.Answer(503, "", "HTTP 503");
  EXPECT_EQ(channels.Create().error(), "POST channels: HTTP 503");
  api.Answer(0, "");
  EXPECT_EQ(channels.Create().error(), "POST channels: 0");  // a status without a description
  api.Answer(200, R"({"connectUri":"wss://x/channels/1"})");
  EXPECT_EQ(channels.Create().error(), "POST channels: channel: no id");
  api.Answer(200, R"({"id":"../../users","connectUri":"wss://x/channels/1"})");
  const Result<Channel> hostile = channels.Create();  // a hostile id never reaches a request path
  EXPECT_FALSE(hostile.ok());
  EXPECT_EQ(hostile.error().rfind("POST channels: channel: id is not a plain token", 0), 0u) << hostile.error();
}

TEST_F(ChannelApiTest, SubscribePutsTheWholeListAndCountsPermittedTopics) {
  api.Answer(200, R"({"entities":[{"id":"v2.users.u1.station","state":"Permitted"},)"
                  R"({"id":"v2.telephony.providers.edges.phones.p1","state":"Rejected",)"
                  R"("missingPermissions":["telephony:phone:view","telephony:plugin:all"]},)"
                  R"({"id":"v2.telephony.providers.edges.trunks.t1","state":"Rejected"}]})");
  const std::vector<std::string> topics{"v2.users.u1.station", "v2.telephony.providers.edges.phones.p1",
                                        "v2.telephony.providers.edges.trunks.t1"};
  const Result<SubscriptionOutcome> subscribed = channels.Subscribe("ch1", topics);
  ASSERT_TRUE(subscribed.ok()) << subscribed.error();
  const SubscriptionOutcome& out = *subscribed;
  EXPECT_EQ(out.permitted, 1u);
  EXPECT_EQ(out.rejected,
            (std::vector<std::string>{
                "v2.telephony.providers.edges.phones.p1 (missing permission: telephony:phone:view, telephony:plugin:all)",
                "v2.telephony.providers.edges.trunks.t1 (missing permission: unknown)"}));
  ASSERT_EQ(api.requests.size(), 1u);
  EXPECT_EQ(api.requests[0].method, "PUT");
  EXPECT_EQ(api.requests[0].path, "/api/v2/notifications/channels/ch1/subscriptions?ignoreErrors=true");
  EXPECT_EQ(api.requests[0].endpoint, "/api/v2/notifications/channels/{channelId}/subscriptions");
  EXPECT_EQ(api.requests[0].body,
            R"([{"id":"v2.users.u1.station"},{"id":"v2.telephony.providers.edges.phones.p1"},)"
            R"({"id":"v2.telephony.providers.edges.trunks.t1"}])");
}

TEST_F(ChannelApiTest, AnAnswerWithoutEntitiesTakesEveryTopic) {
  api.Answer(200, "{}");
  const Result<SubscriptionOutcome> out = channels.Subscribe("ch1", {"a", "b"});
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ(out->permitted, 2u);
  EXPECT_TRUE(out->rejected.empty());
}

TEST_F(ChannelApiTest, SubscribeSaysWhatFailed) {
  api.Answer(400, "", "HTTP 400: bad.request");
  EXPECT_EQ(channels.Subscribe("ch1", {"a"}).error(), "PUT subscriptions: HTTP 400: bad.request");
  api.Answer(200, "[not json");
  const Result<SubscriptionOutcome> bad = channels.Subscribe("ch1", {"a"});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().rfind("PUT subscriptions: subscriptions", 0), 0u) << bad.error();
}

TEST(SubscriptionBodyTest, EscapesTopicsAndHandlesAnEmptyList) {
  EXPECT_EQ(SubscriptionBody({}), "[]");
  EXPECT_EQ(SubscriptionBody({"a\"b"}), R"([{"id":"a\"b"}])");
}

}  // namespace
}  // namespace gx
