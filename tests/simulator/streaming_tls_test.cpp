// wss:// streaming: with streaming.tls the connectUri is wss:// and the socket presents a
// certificate for 127.0.0.1 that verifies against the simulator's CA bundle.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "tests/simulator/sim_test_util.h"

namespace gx::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

TEST(StreamingTlsTest, WssChannelVerifiesAndDeliversHeartbeatAndPong) {
  Scenario s = testing::SmallScenario();
  s.streaming_tls = true;
  s.heartbeat_s = 0.1;
  Simulator sim(s);
  ASSERT_TRUE(sim.Start());
  testing::SimClient client(sim);
  client.Login();
  auto r = client.Post("/api/v2/notifications/channels");
  ASSERT_EQ(r->status, 200);
  testing::Json j;
  ASSERT_TRUE(j.Parse(r->body));
  std::string uri(j.root["connectUri"].get_string().value());
  std::string prefix = "wss://127.0.0.1:" + std::to_string(sim.ws_port());
  ASSERT_EQ(uri.rfind(prefix, 0), 0u) << uri;

  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(sim.ca_bundle_path());
  ctx.set_verify_mode(asio::ssl::verify_peer);
  websocket::stream<beast::ssl_stream<tcp::socket>> ws(ioc, ctx);
  ws.next_layer().set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(ws).connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(sim.ws_port())));
  // Bounded reads: the test fails rather than hangs if nothing arrives.
  timeval tv{5, 0};
  setsockopt(beast::get_lowest_layer(ws).native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  beast::error_code ec;
  ws.next_layer().handshake(asio::ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  ws.handshake("127.0.0.1:" + std::to_string(sim.ws_port()), uri.substr(prefix.size()), ec);
  ASSERT_FALSE(ec) << ec.message();
  beast::flat_buffer buf;
  ws.read(buf, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_NE(beast::buffers_to_string(buf.data()).find("WebSocket Heartbeat"), std::string::npos);
  ws.write(asio::buffer(std::string(R"({"message":"ping"})")));
  bool pong = false;
  for (int i = 0; i < 50 && !pong; ++i) {
    buf.clear();
    ws.read(buf, ec);
    ASSERT_FALSE(ec) << ec.message();
    pong = beast::buffers_to_string(buf.data()).find("pong") != std::string::npos;
  }
  EXPECT_TRUE(pong);
}

}  // namespace
}  // namespace gx::sim
