// libFuzzer target: what a streaming server sends back to the WebSocket client: the
// HTTP upgrade response and the frames after it, read by Boost.Beast with the limits
// the exporter's client sets (exporter/sources/notifications/ws_client: message size
// cap, no keep-alive pings). The input's first byte chooses the mode:
//   even: the target answers the upgrade correctly, the rest of the input is frames;
//   odd:  the rest of the input is the whole answer ("@ACCEPT@" becomes the right
//         Sec-WebSocket-Accept, so that damaged but accepted handshakes are reachable).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "exporter/sources/notifications/ws_client.h"

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// The Sec-WebSocket-Accept that answers the key of the request the client wrote.
std::string AcceptFor(std::string_view request) {
  constexpr std::string_view kField = "Sec-WebSocket-Key: ";
  const auto at = request.find(kField);
  if (at == std::string_view::npos) return "";
  const auto start = at + kField.size();
  const auto end = request.find("\r\n", start);
  websocket::detail::sec_ws_accept_type accept;
  websocket::detail::make_sec_ws_accept(accept, request.substr(start, end - start));
  return std::string(accept.data(), accept.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool raw = data[0] & 1;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  boost::asio::io_context ioc;
  websocket::stream<beast::test::stream> ws(ioc);
  beast::test::stream server(ioc);
  ws.next_layer().connect(server);
  const gx::WsOptions options;
  ws.read_message_max(options.max_message_bytes);
  // No timers: the input always ends (EOF), and a run must not depend on the clock.
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = websocket::stream_base::none();
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);

  beast::error_code handshake_ec = boost::asio::error::would_block;
  ws.async_handshake("streaming.example:443", "/channels/fuzz",
                     [&](beast::error_code ec) { handshake_ec = ec; });
  ioc.poll();  // the upgrade request is now in the server's input
  const std::string accept = AcceptFor(server.str());
  std::string answer;
  if (raw) {
    answer = std::string(rest);
    if (const auto at = answer.find("@ACCEPT@"); at != std::string::npos) answer.replace(at, 8, accept);
  } else {
    answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: " + accept + "\r\n\r\n" + std::string(rest);
  }
  ws.next_layer().append(answer);
  ws.next_layer().close_remote();  // end of input: the client then sees EOF
  ioc.restart();
  while (handshake_ec == boost::asio::error::would_block && ioc.run_one() > 0) {
  }
  if (handshake_ec) return 0;

  beast::flat_buffer buffer;
  bool reading = true;
  for (int messages = 0; reading && messages < 1000; ++messages) {
    beast::error_code read_ec = boost::asio::error::would_block;
    ws.async_read(buffer, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
    ioc.restart();
    while (read_ec == boost::asio::error::would_block && ioc.run_one() > 0) {
    }
    reading = !read_ec;
    buffer.consume(buffer.size());
  }
  return 0;
}
