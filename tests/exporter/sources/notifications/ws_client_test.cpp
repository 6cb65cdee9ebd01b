// The WebSocket client's failure points, each reached without a network: the session's
// WebSocket half (ws_stream_session.h, what WsClient runs after dialing) over Beast's
// test::stream, with a scripted server at the other end, on one thread.
#include "exporter/sources/notifications/ws_stream_session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

namespace gx {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using beast::test::stream;

// What the handlers saw.
struct Seen {
  bool opened = false;
  std::vector<std::string> messages;
  int closes = 0;
  std::string step, error;
};

class WsClientTest : public ::testing::Test {
 protected:
  // A session on the client end of a pair whose other end is `server_end`.
  std::shared_ptr<WsStreamSession<stream>> Connect(WsOptions opts = {}) {
    stream client(ioc_);
    client.connect(server_end_);
    WsHandlers h;
    h.on_open = [this] { seen_.opened = true; };
    h.on_message = [this](std::string_view text) { seen_.messages.emplace_back(text); };
    h.on_close = [this](const std::string& step, const std::string& error) {
      ++seen_.closes;
      seen_.step = step;
      seen_.error = error;
    };
    auto session = std::make_shared<WsStreamSession<stream>>(ParseWsUrl("wss://streaming.example/channels/c1").value(),
                                                             opts, std::move(h), std::move(client));
    session->Start();
    return session;
  }

  // Connect(), and the server accepts the upgrade: true once the client is open.
  bool Open(WsOptions opts = {}) {
    session_ = Connect(opts);
    server_.emplace(std::move(server_end_));
    beast::error_code accepted = net::error::would_block;
    server_->async_accept([&](beast::error_code ec) { accepted = ec; });
    return RunUntil([&] { return seen_.opened; }) && !accepted;
  }

  // Runs handlers until `done` holds (the idle timeout waits on the clock, so not poll()).
  bool RunUntil(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) {
      ioc_.restart();
      ioc_.run_one_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  bool Closed() const { return seen_.closes > 0; }

  net::io_context ioc_;
  stream server_end_{ioc_};                        // before Open()
  std::optional<websocket::stream<stream>> server_;  // after Open()
  std::shared_ptr<WsStreamSession<stream>> session_;
  Seen seen_;
};

std::string Message(beast::error_code ec) { return ec.message(); }

TEST_F(WsClientTest, MessagesBothWaysThenACleanCloseThisSideAsked) {
  ASSERT_TRUE(Open());
  auto& server = *server_;
  auto& session = session_;
  server.text(true);
  server.write(net::buffer(std::string(R"({"topicName":"channel.metadata"})")));
  ASSERT_TRUE(RunUntil([&] { return seen_.messages.size() == 1; }));
  EXPECT_EQ(seen_.messages[0], R"({"topicName":"channel.metadata"})");

  session->Send(R"({"message":"ping"})");
  beast::flat_buffer got;
  beast::error_code read_ec = net::error::would_block;
  server.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
  ASSERT_TRUE(RunUntil([&] { return read_ec != net::error::would_block; }));
  EXPECT_FALSE(read_ec) << read_ec.message();
  EXPECT_EQ(beast::buffers_to_string(got.data()), R"({"message":"ping"})");

  session->Close();
  got.clear();
  server.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
  ASSERT_TRUE(RunUntil([&] { return Closed() && read_ec == websocket::error::closed; }));
  EXPECT_EQ(server.reason().code, websocket::close_code::normal);
  EXPECT_EQ(seen_.step, "close");
  EXPECT_EQ(seen_.error, "");
}

TEST_F(WsClientTest, AnUpgradeTheServerRefusesEndsInTheHandshakeStep) {
  Connect();
  // The client's upgrade request arrives, then a 403 instead of 101.
  ASSERT_TRUE(RunUntil([&] { return server_end_.str().find("\r\n\r\n") != std::string::npos; }));
  EXPECT_NE(server_end_.str().find("User-Agent: genesys_exporter\r\n"), std::string::npos) << server_end_.str();
  EXPECT_NE(server_end_.str().find("GET /channels/c1 HTTP/1.1\r\nHost: streaming.example\r\n"), std::string::npos)
      << server_end_.str();
  net::write(server_end_, net::buffer(std::string("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")));
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  EXPECT_FALSE(seen_.opened);
  EXPECT_EQ(seen_.step, "handshake");
  EXPECT_EQ(seen_.error, Message(websocket::error::upgrade_declined));
}

TEST_F(WsClientTest, AConnectionThatEndsBeforeTheUpgradeAnswerEndsInTheHandshakeStep) {
  Connect();
  ASSERT_TRUE(RunUntil([&] { return !server_end_.str().empty(); }));
  server_end_.close();
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  EXPECT_EQ(seen_.step, "handshake");
  EXPECT_EQ(seen_.error, Message(beast::http::error::end_of_stream));
}

// The server's close frame (as Genesys sends before a channel expires): answered, and reported
// as the end of the read loop, not as a close this side asked for.
TEST_F(WsClientTest, TheServersCloseFrameEndsTheReadStep) {
  ASSERT_TRUE(Open());
  auto& server = *server_;
  beast::error_code close_ec = net::error::would_block;
  server.async_close(websocket::close_reason(websocket::close_code::going_away, "channel expired"),
                     [&](beast::error_code ec) { close_ec = ec; });
  ASSERT_TRUE(RunUntil([&] { return Closed() && close_ec != net::error::would_block; }));
  EXPECT_FALSE(close_ec) << "the client did not answer the close frame: " << close_ec.message();
  EXPECT_EQ(seen_.step, "read");
  EXPECT_EQ(seen_.error, Message(websocket::error::closed));
}

TEST_F(WsClientTest, AConnectionCutMidFrameEndsTheReadStepAndDeliversNothing) {
  ASSERT_TRUE(Open());
  auto& server = *server_;
  // A final text frame announcing 256 bytes (16-bit length), of which 3 arrive.
  net::write(server.next_layer(), net::buffer(std::string("\x81\x7e\x01\x00" "abc", 7)));
  server.next_layer().close();
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  EXPECT_TRUE(seen_.messages.empty());
  EXPECT_EQ(seen_.step, "read");
  EXPECT_EQ(seen_.error, Message(net::error::eof));
}

TEST_F(WsClientTest, AFrameTheProtocolForbidsEndsTheReadStep) {
  ASSERT_TRUE(Open());
  auto& server = *server_;
  // A server must not mask its frames (RFC 6455 5.1): the mask bit set on a 1-byte text frame.
  net::write(server.next_layer(), net::buffer(std::string("\x81\x81\x00\x00\x00\x00" "a", 7)));
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  EXPECT_TRUE(seen_.messages.empty());
  EXPECT_EQ(seen_.step, "read");
  EXPECT_EQ(seen_.error, Message(websocket::error::bad_masked_frame));
}

TEST_F(WsClientTest, AMessageOverTheCapEndsTheSessionAsOversized) {
  WsOptions opts;
  opts.max_message_bytes = 16;
  ASSERT_TRUE(Open(opts));
  auto& server = *server_;
  server.text(true);
  server.write(net::buffer(std::string(16, 'a')));  // at the cap: delivered
  beast::error_code write_ec = net::error::would_block;
  server.async_write(net::buffer(std::string(17, 'b')), [&](beast::error_code ec, std::size_t) { write_ec = ec; });
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  ASSERT_EQ(seen_.messages.size(), 1u);
  EXPECT_EQ(seen_.messages[0], std::string(16, 'a'));
  EXPECT_EQ(seen_.step, "oversized");
  EXPECT_EQ(seen_.error, Message(websocket::error::message_too_big));
}

// The client sends no WebSocket pings (Genesys documents an application-level ping): a server
// that goes silent ends the session after the idle timeout, the backstop behind that ping.
// The server's own pings are answered, and keep the session open.
TEST_F(WsClientTest, AServerSilentForTheIdleTimeoutEndsTheReadStep) {
  WsOptions opts;
  opts.idle_timeout_seconds = 0.2;
  ASSERT_TRUE(Open(opts));
  auto& server = *server_;
  bool ponged = false;
  server.control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) ponged = true;
  });
  beast::flat_buffer got;
  beast::error_code read_ec = net::error::would_block;
  server.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
  server.async_ping({}, [](beast::error_code) {});
  ASSERT_TRUE(RunUntil([&] { return ponged; }));
  EXPECT_FALSE(Closed());
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  EXPECT_EQ(seen_.step, "read");
  EXPECT_EQ(seen_.error, Message(beast::error::timeout));
  EXPECT_TRUE(seen_.messages.empty());
}

TEST_F(WsClientTest, AbortDropsTheConnectionWithoutACloseFrame) {
  ASSERT_TRUE(Open());
  auto& server = *server_;
  auto& session = session_;
  beast::flat_buffer got;
  beast::error_code read_ec = net::error::would_block;
  server.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
  session->Abort();
  ASSERT_TRUE(RunUntil([&] { return Closed() && read_ec != net::error::would_block; }));
  EXPECT_EQ(seen_.step, "abort");
  EXPECT_EQ(seen_.error, "aborted");
  EXPECT_EQ(read_ec, net::error::eof) << read_ec.message();  // no close frame came first
}

// Close() before the upgrade is answered: one clean report, and nothing more when the
// handshake then fails.
TEST_F(WsClientTest, CloseDuringTheUpgradeReportsOnce) {
  auto session = Connect();
  ASSERT_TRUE(RunUntil([&] { return !server_end_.str().empty(); }));
  session->Close();
  session->Send("never sent");
  ASSERT_TRUE(RunUntil([&] { return Closed(); }));
  ioc_.restart();
  ioc_.poll();  // the aborted handshake's handler
  EXPECT_EQ(seen_.closes, 1);
  EXPECT_EQ(seen_.step, "close");
  EXPECT_EQ(seen_.error, "");
  EXPECT_FALSE(seen_.opened);
}

}  // namespace
}  // namespace gx
