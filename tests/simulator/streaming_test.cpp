// The notification channel lifecycle against a small Beast WebSocket client: subscriptions,
// event envelopes, heartbeats, ping/pong, socket_closing, expiry, a second connection, drops,
// token revocation and the topic and channel limits.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <optional>

#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using testing::Json;
using testing::SimClient;
using testing::WaitFor;

// Blocking WebSocket client whose reads give up after a timeout.
class WsClient {
 public:
  bool Connect(int port, const std::string& target) {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
    if (ec) return false;
    ws_.handshake("127.0.0.1:" + std::to_string(port), target, ec);
    return !ec;
  }
  // Next text message, or nullopt on timeout, close or error (then `closed`/`error` tell which).
  // A timed-out read stays pending (cancelling would break the stream) and the next call resumes it.
  std::optional<std::string> Read(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    timed_out = false;
    if (!pending_) {
      pending_ = true;
      buffer_.clear();
      ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        pending_ = false;
        result_.reset();
        if (ec) {
          error = ec;
          closed = ec == websocket::error::closed;
          return;
        }
        result_ = beast::buffers_to_string(buffer_.data());
      });
    }
    ioc_.restart();
    ioc_.run_for(timeout);
    if (pending_) {
      timed_out = true;
      return std::nullopt;
    }
    return result_;
  }
  // Reads until a message containing `needle` arrives.
  std::optional<std::string> ReadUntil(const std::string& needle, int max_messages = 200) {
    for (int i = 0; i < max_messages; ++i) {
      auto m = Read();
      if (!m) return std::nullopt;
      if (m->find(needle) != std::string::npos) return m;
    }
    return std::nullopt;
  }
  void Send(const std::string& text) { ws_.write(asio::buffer(text)); }

  beast::error_code error;
  bool closed = false;
  bool timed_out = false;

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::flat_buffer buffer_;
  bool pending_ = false;
  std::optional<std::string> result_;
};

class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scenario_.heartbeat_s = 0.2;
    sim_ = std::make_unique<Simulator>(scenario_);
    ASSERT_TRUE(sim_->Start());
    client_ = std::make_unique<SimClient>(*sim_);
    client_->Login();
  }
  // Creates a channel; returns {id, connectUri path}.
  std::pair<std::string, std::string> CreateChannel() {
    auto r = client_->Post("/api/v2/notifications/channels");
    EXPECT_EQ(r->status, 200);
    Json j;
    EXPECT_TRUE(j.Parse(r->body));
    std::string uri(j.root["connectUri"].get_string().value());
    std::string prefix = "ws://127.0.0.1:" + std::to_string(sim_->ws_port());
    EXPECT_EQ(uri.rfind(prefix, 0), 0u) << uri;
    EXPECT_TRUE(j.root["expires"].is_string());
    return {std::string(j.root["id"].get_string().value()), uri.substr(prefix.size())};
  }
  std::string Subscribe(const std::string& channel, const std::vector<std::string>& topics, int want = 200,
                        const std::string& query = "") {
    std::string body = "[";
    for (const auto& t : topics) body += (body.size() > 1 ? "," : "") + std::string("{\"id\":\"") + t + "\"}";
    body += "]";
    auto r = client_->Put("/api/v2/notifications/channels/" + channel + "/subscriptions" + query, body);
    EXPECT_EQ(r->status, want) << r->body.substr(0, 300);
    return r->body;
  }
  Scenario scenario_ = testing::SmallScenario();
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<SimClient> client_;
};

TEST_F(StreamingTest, SubscribedEventsArriveInTheRealEnvelope) {
  auto [id, path] = CreateChannel();
  auto phone = sim_->PhoneIds()[2];
  auto trunk = sim_->TrunkIds("EXTERNAL")[1];
  auto edge = sim_->EdgeIds()[0];
  std::string body = Subscribe(id, {"v2.telephony.providers.edges.phones." + phone,
                                    "v2.telephony.providers.edges.trunks." + trunk,
                                    "v2.telephony.providers.edges.trunks." + trunk + ".metrics",
                                    "v2.telephony.providers.edges." + edge});
  Json subs;
  ASSERT_TRUE(subs.Parse(body));
  EXPECT_EQ(subs.root["entities"].get_array().size(), 4u);
  EXPECT_EQ(std::string(subs.root["entities"].at(0)["state"].get_string().value()), "Permitted");
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  // Unsubscribed entities publish nothing to this channel.
  sim_->SetLineReachable(sim_->PhoneIds()[3], 0, false);
  sim_->SetLineReachable(phone, 0, false);
  auto m = ws.ReadUntil("phones.");
  ASSERT_TRUE(m);
  Json ev;
  ASSERT_TRUE(ev.Parse(*m));
  EXPECT_EQ(ev.root["topicName"].get_string().value(), "v2.telephony.providers.edges.phones." + phone);
  EXPECT_TRUE(ev.root["version"].is_string());
  EXPECT_FALSE(ev.root["metadata"]["CorrelationId"].get_string().value().empty());
  EXPECT_EQ(ev.root["eventBody"]["id"].get_string().value(), phone);
  EXPECT_FALSE(ev.root["eventBody"]["status"]["lineStatuses"].at(0)["reachable"].get_bool().value());
  // The same change through REST, with the same time.
  Json rest;
  ASSERT_TRUE(rest.Parse(client_->Get("/api/v2/telephony/providers/edges/phones/" + phone)->body));
  EXPECT_EQ(rest.root["status"]["lineStatuses"].at(0)["reachableStateTime"].get_string().value(),
            ev.root["eventBody"]["status"]["lineStatuses"].at(0)["reachableStateTime"].get_string().value());

  sim_->SetTrunkOptions(trunk, 0, false);
  auto t = ws.ReadUntil("trunks." + trunk + "\"");
  ASSERT_TRUE(t);
  Json tj;
  ASSERT_TRUE(tj.Parse(*t));
  EXPECT_FALSE(tj.root["eventBody"]["optionsStatus"].at(0)["optionState"].get_bool().value());
  sim_->SetTrunkCalls(trunk, 3, 4, 1);
  auto tm = ws.ReadUntil(".metrics");
  ASSERT_TRUE(tm);
  Json tmj;
  ASSERT_TRUE(tmj.Parse(*tm));
  EXPECT_EQ(tmj.root["eventBody"]["calls"]["inboundCallCount"].get_int64().value(), 3);
  EXPECT_EQ(tmj.root["eventBody"]["qos"]["mismatchCount"].get_int64().value(), 1);
  sim_->SetEdgeOnline(edge, false);
  auto e = ws.ReadUntil("onlineStatus");
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("\"OFFLINE\""), std::string::npos);
}

TEST_F(StreamingTest, StationAssociationEvents) {
  auto [id, path] = CreateChannel();
  auto user = sim_->UserIds()[0];
  Subscribe(id, {"v2.users." + user + ".station"});
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  auto phone = sim_->PhoneIds()[7];
  ASSERT_TRUE(sim_->SetStationUser(user, phone));
  auto m = ws.ReadUntil("associatedStation");
  ASSERT_TRUE(m);
  Json ev;
  ASSERT_TRUE(ev.Parse(*m));
  EXPECT_EQ(ev.root["eventBody"]["associatedStation"]["associatedUser"]["id"].get_string().value(), user);
  std::string station(ev.root["eventBody"]["associatedStation"]["id"].get_string().value());
  Json rest;
  ASSERT_TRUE(rest.Parse(client_->Get("/api/v2/users/" + user + "/station")->body));
  EXPECT_EQ(rest.root["associatedStation"]["id"].get_string().value(), station);
  Json st;
  ASSERT_TRUE(st.Parse(client_->Get("/api/v2/stations/" + station)->body));
  Json ph;
  ASSERT_TRUE(ph.Parse(client_->Get("/api/v2/telephony/providers/edges/phones/" + phone)->body));
  EXPECT_EQ(st.root["lineAppearanceId"].get_string().value(), ph.root["lines"].at(0)["id"].get_string().value());
  ASSERT_TRUE(sim_->SetStationUser(user, ""));
  auto off = ws.ReadUntil("associatedStation");
  ASSERT_TRUE(off);
  EXPECT_NE(off->find("\"associatedStation\":null"), std::string::npos);
}

TEST_F(StreamingTest, HeartbeatsAndPingPong) {
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  auto hb = ws.ReadUntil("WebSocket Heartbeat");
  ASSERT_TRUE(hb);
  Json j;
  ASSERT_TRUE(j.Parse(*hb));
  EXPECT_EQ(std::string(j.root["topicName"].get_string().value()), "channel.metadata");
  ws.Send(R"({"message":"ping"})");
  auto pong = ws.ReadUntil("pong");
  ASSERT_TRUE(pong);
  EXPECT_EQ(*pong, R"({"topicName":"channel.metadata","eventBody":{"message":"pong"}})");
}

TEST_F(StreamingTest, HeartbeatsStopFault) {
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(ws.ReadUntil("Heartbeat"));
  FaultSpec f;
  f.kind = "heartbeat_stop";
  sim_->InjectFault(f);
  // Drain one that may already be queued, then silence (several intervals of 0.2 s).
  ws.Read(std::chrono::milliseconds(300));
  EXPECT_FALSE(ws.Read(std::chrono::milliseconds(1000)));
  EXPECT_TRUE(ws.timed_out);
  f.kind = "heartbeat_start";
  sim_->InjectFault(f);
  EXPECT_TRUE(ws.ReadUntil("Heartbeat"));
}

TEST_F(StreamingTest, SocketClosingThenClose) {
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  sim_->SetHeartbeats(false);
  EXPECT_EQ(sim_->SendSocketClosing(0), 1);
  auto m = ws.ReadUntil("socket_closing");
  ASSERT_TRUE(m);
  Json j;
  ASSERT_TRUE(j.Parse(*m));
  EXPECT_EQ(std::string(j.root["topicName"].get_string().value()), "v2.system.socket_closing");
  EXPECT_FALSE(ws.Read());
  EXPECT_TRUE(ws.closed) << ws.error.message();
}

TEST_F(StreamingTest, ChannelExpiresWithSocketClosing) {
  sim_->SetChannelLifetime(0.5, false);
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  sim_->SetHeartbeats(false);
  ASSERT_TRUE(ws.ReadUntil("socket_closing"));
  EXPECT_FALSE(ws.Read());
  EXPECT_TRUE(ws.closed);
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + id)->status, 404);
  WsClient again;
  EXPECT_FALSE(again.Connect(sim_->ws_port(), path));  // 404 on the upgrade
}

TEST_F(StreamingTest, StopWithADelayedCloseStillPending) {
  // The delayed close holds the connection; it must be released before the server goes.
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  EXPECT_EQ(sim_->SendSocketClosing(3600), 1);
  ASSERT_TRUE(ws.ReadUntil("socket_closing"));
  sim_->Stop();
  sim_.reset();
}

TEST_F(StreamingTest, SecondConnectionDropsTheFirst) {
  auto [id, path] = CreateChannel();
  WsClient first, second;
  ASSERT_TRUE(first.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  ASSERT_TRUE(second.Connect(sim_->ws_port(), path));
  sim_->SetHeartbeats(false);
  // The first socket ends (close frame) and the second one carries the channel.
  std::optional<std::string> m;
  do {
    m = first.Read();
  } while (m);
  EXPECT_FALSE(first.timed_out);
  Subscribe(id, {"v2.telephony.providers.edges." + sim_->EdgeIds()[1]});
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  sim_->SetEdgeOnline(sim_->EdgeIds()[1], false);
  EXPECT_TRUE(second.ReadUntil("onlineStatus"));
}

TEST_F(StreamingTest, DropWithoutCloseFrame) {
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  FaultSpec f;
  f.kind = "socket_drop";
  sim_->InjectFault(f);
  std::optional<std::string> m;
  do {
    m = ws.Read();
  } while (m);
  EXPECT_FALSE(ws.timed_out);
  EXPECT_FALSE(ws.closed);  // no close frame: an EOF/reset instead
}

TEST_F(StreamingTest, TokenRevocationEndsChannels) {
  auto [id, path] = CreateChannel();
  WsClient ws;
  ASSERT_TRUE(ws.Connect(sim_->ws_port(), path));
  ASSERT_TRUE(WaitFor([&] { return sim_->connected_sockets() == 1; }));
  FaultSpec f;
  f.kind = "token_revoke";
  sim_->InjectFault(f);
  std::optional<std::string> m;
  do {
    m = ws.Read();
  } while (m);
  EXPECT_FALSE(ws.timed_out);
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + id)->status, 401);
  client_->Login();
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + id)->status, 404);
}

TEST_F(StreamingTest, TopicLimitAndRejectedTopics) {
  auto [id, path] = CreateChannel();
  std::vector<std::string> topics;
  for (int i = 0; i < 1001; ++i) topics.push_back("v2.telephony.providers.edges.phones.p" + std::to_string(i));
  Subscribe(id, topics, 400);
  topics.pop_back();
  Subscribe(id, topics, 200);
  // POST appends: one more is over the limit.
  auto r = client_->Post("/api/v2/notifications/channels/" + id + "/subscriptions",
                         R"([{"id":"v2.telephony.providers.edges.phones.extra"}])");
  EXPECT_EQ(r->status, 400);
  Subscribe(id, {"v2.bogus.topic"}, 400);
  std::string body = Subscribe(id, {"v2.bogus.topic", "v2.users.u1.station"}, 200, "?ignoreErrors=true");
  Json j;
  ASSERT_TRUE(j.Parse(body));
  int permitted = 0, rejected = 0;
  for (auto e : j.root["entities"].get_array()) {
    std::string state(e["state"].get_string().value());
    (state == "Permitted" ? permitted : rejected)++;
  }
  EXPECT_EQ(permitted, 1);
  EXPECT_EQ(rejected, 1);
  auto g = client_->Get("/api/v2/notifications/channels/" + id + "/subscriptions");
  Json gj;
  ASSERT_TRUE(gj.Parse(g->body));
  EXPECT_EQ(gj.root["entities"].get_array().size(), 1u);
}

TEST_F(StreamingTest, TwentyChannelsPerClientTheTwentyFirstReplacesTheOldest) {
  auto [oldest, path] = CreateChannel();
  for (int i = 0; i < 19; ++i) CreateChannel();
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + oldest)->status, 200);
  CreateChannel();
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + oldest)->status, 404);
  auto r = client_->Get("/api/v2/notifications/channels");
  Json j;
  ASSERT_TRUE(j.Parse(r->body));
  EXPECT_EQ(j.root["entities"].get_array().size(), 20u);
}

TEST_F(StreamingTest, AvailableTopicsListsTelephonyTopics) {
  auto r = client_->Get("/api/v2/notifications/availabletopics?expand=description,requiresPermissions");
  ASSERT_EQ(r->status, 200);
  Json j;
  ASSERT_TRUE(j.Parse(r->body));
  bool phones = false;
  for (auto t : j.root["entities"].get_array()) {
    if (t["id"].get_string().value() == "v2.telephony.providers.edges.phones.{id}") phones = true;
    EXPECT_TRUE(t["description"].is_string());
  }
  EXPECT_TRUE(phones);
}


TEST_F(StreamingTest, ReportedExpiresIsWhatTheChannelSaysNotHowLongItLives) {
  // A hostile service for the exporter's tests: POST channels reports any `expires` text.
  ASSERT_EQ(client_->Post("/sim/v1/streaming/reported_expires", R"({"expires":"9999-12-31T23:59:59Z"})")->status, 200);
  auto r = client_->Post("/api/v2/notifications/channels");
  Json j;
  ASSERT_TRUE(j.Parse(r->body));
  EXPECT_EQ(std::string(j.root["expires"].get_string().value()), "9999-12-31T23:59:59Z");
  const std::string id(j.root["id"].get_string().value());
  // The channel still lives its real lifetime (the scenario's 24 h).
  Json state;
  ASSERT_TRUE(state.Parse(client_->Get("/sim/v1/streaming")->body));
  const std::string real(state.root["channels"].get_array().at(0)["expires"].get_string().value());
  EXPECT_EQ(real.substr(0, 2), "20") << real;
  EXPECT_EQ(client_->Head("/api/v2/notifications/channels/" + id)->status, 200);

  const std::string too_long = R"({"expires":")" + std::string(65, '9') + R"("})";
  EXPECT_EQ(client_->Post("/sim/v1/streaming/reported_expires", too_long)->status, 400);
  ASSERT_EQ(client_->Post("/sim/v1/streaming/reported_expires", R"({"expires":""})")->status, 200);
  auto [id2, path] = CreateChannel();
  ASSERT_TRUE(state.Parse(client_->Get("/sim/v1/streaming")->body));
  Json again;
  ASSERT_TRUE(again.Parse(client_->Get("/api/v2/notifications/channels")->body));
  for (auto c : again.root["entities"].get_array()) {
    if (c["id"].get_string().value() == id2) {
      EXPECT_EQ(std::string(c["expires"].get_string().value()).substr(0, 2), "20");
    }
  }
}

TEST_F(StreamingTest, AbsurdChannelLifetimesAndHeartbeatsAreRejected) {
  // 10^10 s once gave an `expires` in 1734 (now + lifetime overflowed).
  for (const char* body : {R"({"seconds":10000000000})", R"({"seconds":0})", R"({"seconds":172801})",
                           R"({"seconds":"nan"})"}) {
    auto r = client_->Post("/sim/v1/streaming/channel_lifetime", body);
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find("at most 172800 s (48 h)"), std::string::npos) << r->body;
  }
  ASSERT_EQ(client_->Post("/sim/v1/streaming/channel_lifetime", R"({"seconds":172800})")->status, 200);
  EXPECT_EQ(client_->Post("/sim/v1/streaming/heartbeats", R"({"interval_s":1e300})")->status, 400);
  EXPECT_EQ(client_->Post("/sim/v1/streaming/heartbeats", R"({"interval_s":-1})")->status, 400);
  // In-process callers are clamped to the same bound instead.
  sim_->SetChannelLifetime(1e10);
  Json state;
  ASSERT_TRUE(state.Parse(client_->Get("/sim/v1/streaming")->body));
  EXPECT_EQ(state.root["channelLifetimeS"].get_double().value(), 172800.0);
}

}  // namespace
}  // namespace gx::sim
